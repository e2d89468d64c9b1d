#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Install test of the Debian package (packaging/test.sh runs it after CTest when it runs as root, as CI does):
#   cpack -G DEB in the build folder -> emoscope_<version>_<arch>.deb with Depends from dpkg-shlibdeps;
#   apt-get install it; /usr/bin/emoscope-cli classifies a TESS clip with no environment (the installed model is
#   found, with the source tree's models/ hidden where a private mount namespace is allowed); man finds both pages;
#   the installed launcher and AppStream file validate; /usr/bin/emoscope starts offscreen and grabs its window
#   after analysing the clip; apt-get remove leaves none of the package's files or folders behind.
# The package is removed again however the test ends. Needs root. Build folder: $EMOSCOPE_BUILD_DIR (default build/).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${EMOSCOPE_BUILD_DIR:-$root/build}"
shared="${EMOSCOPE_SHARED_DIR:-$root/../shared}"
export DEBIAN_FRONTEND=noninteractive

say() { echo "package-test: $*"; }
die() { echo "package-test: FAIL: $*" >&2; exit 1; }
now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

[ "$(id -u)" -eq 0 ] || die "needs root (it installs and removes the package)"
[ -f "$build/CPackConfig.cmake" ] || die "no CPackConfig.cmake in $build: configure and build first"
if dpkg-query -W -f='${Status}' emoscope 2>/dev/null | grep -q "install ok installed"; then
  die "a package named emoscope is already installed; remove it first (apt-get remove emoscope)"
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/emoscope-package-test.XXXXXX")"
installed=0
cleanup() {
  if [ "$installed" -eq 1 ]; then
    say "removing the package (cleanup)"
    apt-get remove -y -qq emoscope >/dev/null 2>&1 || dpkg --remove emoscope >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
start_all="$(now)"

# ---- Build the package.
version="$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")"
arch="$(dpkg --print-architecture)"
deb="$build/emoscope_${version}_${arch}.deb"
rm -f "$deb"
t="$(now)"
(cd "$build" && cpack -G DEB) > "$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log"; die "cpack -G DEB failed"; }
[ -f "$deb" ] || { cat "$tmp/cpack.log"; die "cpack made no $(basename "$deb")"; }
say "built $(basename "$deb"): $(stat -c %s "$deb") bytes, installed size $(dpkg-deb -f "$deb" Installed-Size) KiB ($(took "$t"))"
depends="$(dpkg-deb -f "$deb" Depends)"
say "Depends: $depends"
for lib in libtorch libqt6widgets6 libsndfile1 libc6; do
  case "$depends" in *"$lib"*) ;; *) die "Depends lacks $lib: dpkg-shlibdeps did not run?" ;; esac
done

# ---- Debian policy, where lintian is installed (not in install-deps.sh: it is big). Errors and warnings fail.
if command -v lintian >/dev/null; then
  lintian --allow-root --fail-on error,warning "$deb" > "$tmp/lintian.log" 2>&1 \
    || { cat "$tmp/lintian.log"; die "lintian reports errors or warnings (or could not run)"; }
  say "lintian: no errors or warnings"
fi

# ---- Launcher, AppStream entry and icons together, as the package lays them out.
if command -v appstreamcli >/dev/null; then
  mkdir -p "$tmp/tree"
  dpkg-deb -x "$deb" "$tmp/tree"
  appstreamcli validate-tree --pedantic --no-net "$tmp/tree" > "$tmp/as-tree.log" 2>&1 \
    || { cat "$tmp/as-tree.log"; die "appstreamcli validate-tree on the package's files"; }
  say "appstreamcli validate-tree --pedantic --no-net: $(tail -1 "$tmp/as-tree.log")"
fi

# ---- The files as they will be installed, and which of them exist already (shared folders such as /usr/share).
dpkg-deb --fsys-tarfile "$deb" | tar -t | sed 's|^\./|/|; s|/$||' | grep -v '^/\?$' > "$tmp/paths"
while read -r p; do [ -e "$p" ] && echo "$p"; done < "$tmp/paths" > "$tmp/preexisting" || true

# ---- Install.
t="$(now)"
apt-get install -y -qq --no-install-recommends "$deb" > "$tmp/apt-install.log" 2>&1 \
  || { cat "$tmp/apt-install.log"; die "apt-get install $deb failed"; }
installed=1
say "installed with apt-get ($(took "$t"))"
dpkg -L emoscope > "$tmp/dpkg-L"
for f in /usr/bin/emoscope /usr/bin/emoscope-cli /usr/share/emoscope/models/emoscope.pt \
         /usr/share/emoscope/models/README.md /usr/share/applications/io.github.emoscope.emoscope.desktop \
         /usr/share/metainfo/io.github.emoscope.emoscope.metainfo.xml \
         /usr/share/icons/hicolor/scalable/apps/io.github.emoscope.emoscope.svg \
         /usr/share/icons/hicolor/48x48/apps/io.github.emoscope.emoscope.png \
         /usr/share/doc/emoscope/copyright; do
  grep -qx "$f" "$tmp/dpkg-L" || die "the package does not install $f"
done

# Runs a command with no environment but PATH, HOME and what is given, from an empty folder. Where the kernel allows
# a private mount namespace, the source tree's models/ (a fallback compiled into the binaries) is hidden, so only
# the installed model can be found.
isolate=""
if [ -d "$root/models" ] && unshare --mount --propagation private true 2>/dev/null; then isolate=yes; fi
clean_run() {
  local cmd=(env -i PATH=/usr/bin:/bin HOME="$tmp/home" "$@")
  if [ -n "$isolate" ]; then
    unshare --mount --propagation private sh -c 'mount -t tmpfs -o size=1m emoscope-hidden "$0" && cd "$1" && shift && exec "$@"' \
      "$root/models" "$tmp/home" "${cmd[@]}"
  else
    (cd "$tmp/home" && "${cmd[@]}")
  fi
}
mkdir -p "$tmp/home"
[ -n "$isolate" ] && say "the source tree's models/ is hidden from the installed programs" \
  || say "note: no private mount namespace here; the source tree's models/ stays visible (installed one comes first)"

# ---- The CLI from /usr/bin, no EMOSCOPE_* variables, on a TESS test clip.
clip_rel="$(grep -m1 ',test$' "$shared/data/tess/split.csv" | cut -d, -f1)" || true
clip="$shared/data/tess/$clip_rel"
[ -n "$clip_rel" ] && [ -f "$clip" ] || die "no TESS test clip under $shared/data/tess (set EMOSCOPE_SHARED_DIR)"
want="$(basename "$clip" | sed 's/\.[^.]*$//; s/.*_//')"
t="$(now)"
out="$(clean_run /usr/bin/emoscope-cli classify --json "$clip" 2>"$tmp/cli.err")" \
  || { cat "$tmp/cli.err"; die "/usr/bin/emoscope-cli classify failed"; }
case "$out" in *"\"label\":\"$want\""*) ;; *) die "emoscope-cli classify $clip_rel: expected $want, got: $out" ;; esac
say "/usr/bin/emoscope-cli classify $clip_rel -> $want ($(took "$t"))"

# ---- Man pages. (Slim Docker images tell dpkg not to unpack man pages: then only the package's contents are checked.)
if grep -qs '^path-exclude=*/usr/share/man' /etc/dpkg/dpkg.cfg.d/*; then
  grep -q '/usr/share/man/man1/emoscope-cli.1.gz$' "$tmp/paths" || die "the package has no emoscope-cli(1)"
  say "note: dpkg here excludes /usr/share/man (/etc/dpkg/dpkg.cfg.d), so man -w cannot find the pages"
else
  for page in emoscope emoscope-cli; do
    where="$(man -w "$page" 2>/dev/null)" || die "man -w $page finds no page"
    case "$where" in /usr/share/man/man1/"$page".1.gz) ;; *) die "man -w $page: $where" ;; esac
  done
  MANWIDTH=100 man emoscope-cli 2>/dev/null | grep -q -- "--json" || die "man emoscope-cli does not show the options"
  say "man -w: $(man -w emoscope-cli), $(man -w emoscope)"
fi

# ---- Launcher and AppStream file as installed.
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate /usr/share/applications/io.github.emoscope.emoscope.desktop || die "desktop-file-validate"
fi
if command -v appstreamcli >/dev/null; then
  appstreamcli validate --pedantic --no-net /usr/share/metainfo/io.github.emoscope.emoscope.metainfo.xml >"$tmp/as.log" 2>&1 \
    || { cat "$tmp/as.log"; die "appstreamcli validate"; }
fi

# ---- The GUI from /usr/bin, offscreen: it must load the installed model, analyse the clip and grab its window.
t="$(now)"
clean_run QT_QPA_PLATFORM=offscreen timeout 150 /usr/bin/emoscope --screenshot "$tmp/gui.png" "$clip" \
  > "$tmp/gui.log" 2>&1 || { rc=$?; cat "$tmp/gui.log"; die "/usr/bin/emoscope --screenshot failed (exit $rc)"; }
[ "$(head -c 4 "$tmp/gui.png" | od -An -c | tr -d ' ')" = "211PNG" ] || die "/usr/bin/emoscope wrote no PNG"
say "/usr/bin/emoscope started offscreen, analysed the clip and saved its window ($(took "$t"))"

# ---- Remove: nothing of the package may remain.
t="$(now)"
apt-get remove -y -qq emoscope > "$tmp/apt-remove.log" 2>&1 || { cat "$tmp/apt-remove.log"; die "apt-get remove failed"; }
installed=0
say "removed with apt-get ($(took "$t"))"
if dpkg-query -W -f='${db:Status-Abbrev}' emoscope 2>/dev/null | grep -q .; then
  die "dpkg still knows emoscope after removal: $(dpkg-query -W -f='${db:Status-Abbrev}' emoscope)"
fi
left="$(while read -r p; do
          [ -e "$p" ] || [ -L "$p" ] || continue
          grep -qxF "$p" "$tmp/preexisting" && continue
          echo "$p"
        done < "$tmp/paths")"
[ -z "$left" ] || die "left behind after apt-get remove: $left"
say "nothing left behind ($(wc -l < "$tmp/dpkg-L") paths listed by dpkg -L)"
say "ok ($(took "$start_all") in all)"
