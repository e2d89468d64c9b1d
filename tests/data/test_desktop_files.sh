#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The launcher and the AppStream metainfo in resources/: desktop-file-validate and appstreamcli validate --pedantic
# report nothing, and the two agree with each other and with the build (one id for desktop file, metainfo, icon and
# cmake/Packaging.cmake; the newest release, here and in packaging/changelog, is the project's version; every screenshot URL names a file in
# docs/screenshots). Exit 77 (CTest: skipped) when a validator is not installed (packaging/install-deps.sh installs
# both: desktop-file-utils, appstream). Run by CTest (EMOSCOPE_SOURCE_DIR set) or by hand.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="${EMOSCOPE_SOURCE_DIR:-$here/../..}"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

desktops=("$src"/resources/*.desktop)
metainfos=("$src"/resources/*.metainfo.xml)
[ ${#desktops[@]} -eq 1 ] && [ -f "${desktops[0]}" ] || { echo "FAIL: expected one resources/*.desktop"; exit 1; }
[ ${#metainfos[@]} -eq 1 ] && [ -f "${metainfos[0]}" ] || { echo "FAIL: expected one resources/*.metainfo.xml"; exit 1; }
desktop="${desktops[0]}" metainfo="${metainfos[0]}"
missing=()

# ---- The validators.
if command -v desktop-file-validate >/dev/null; then
  out="$(desktop-file-validate "$desktop" 2>&1)"; rc=$?
  echo "desktop-file-validate $(basename "$desktop"): exit $rc${out:+, said:}"
  [ -n "$out" ] && echo "$out"
  [ $rc -eq 0 ] && [ -z "$out" ] || fail "desktop-file-validate reported problems"
else
  missing+=("desktop-file-validate (Debian package desktop-file-utils)")
fi
if command -v appstreamcli >/dev/null; then
  out="$(appstreamcli validate --pedantic --no-net "$metainfo" 2>&1)"; rc=$?
  echo "appstreamcli validate --pedantic --no-net $(basename "$metainfo"): exit $rc"
  echo "$out"
  [ $rc -eq 0 ] || fail "appstreamcli validate failed"
  # --pedantic hints do not change the exit status: any issue line (E/W/I/P) counts here.
  if grep -qE '^[EWIP]: ' <<<"$out"; then fail "appstreamcli reported issues"; fi
else
  missing+=("appstreamcli (Debian package appstream)")
fi

# ---- One id everywhere.
id="$(sed -n 's|.*<id>\(.*\)</id>.*|\1|p' "$metainfo" | head -1)"
[ -n "$id" ] || fail "no <id> in $(basename "$metainfo")"
[ "$(basename "$desktop")" = "$id.desktop" ] || fail "desktop file $(basename "$desktop") is not $id.desktop"
[ "$(basename "$metainfo")" = "$id.metainfo.xml" ] || fail "metainfo $(basename "$metainfo") is not $id.metainfo.xml"
grep -q "<launchable type=\"desktop-id\">$id.desktop</launchable>" "$metainfo" || fail "launchable is not $id.desktop"
grep -qx "Icon=$id" "$desktop" || fail "the desktop file's Icon is not $id"
grep -q "EMOSCOPE_APP_ID \"$id\"" "$src/cmake/Packaging.cmake" || fail "cmake/Packaging.cmake installs another id than $id"
grep -qx 'Exec=emoscope %F' "$desktop" || fail "Exec is not 'emoscope %F'"

# ---- The newest release is the version the build stamps into the programs.
project_version="$(sed -n 's/^project(Emoscope VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")"
release="$(sed -n 's/.*<release version="\([^"]*\)".*/\1/p' "$metainfo" | head -1)"
[ -n "$project_version" ] && [ "$release" = "$project_version" ] \
  || fail "newest <release> is '$release', the project version is '$project_version' (add a <release> entry)"

changelog="$(sed -n '1s/^emoscope (\([^)]*\)).*/\1/p' "$src/packaging/changelog")"
[ "$changelog" = "$project_version" ] \
  || fail "packaging/changelog's newest entry is '$changelog', the project version is '$project_version'"

# ---- Screenshots: https URLs whose path names a file of this repository.
n=0
while read -r url; do
  n=$((n + 1))
  case "$url" in https://*) ;; *) fail "screenshot URL is not https: $url" ;; esac
  path="${url#https://raw.githubusercontent.com/*/*/*/}"
  [ -f "$src/$path" ] || fail "screenshot $url: no $path in the repository"
done < <(sed -n 's|.*<image>\(.*\)</image>.*|\1|p' "$metainfo")
[ $n -gt 0 ] || fail "no screenshots"

if [ $failures -gt 0 ]; then echo "$failures failure(s)"; exit 1; fi
if [ ${#missing[@]} -gt 0 ]; then
  printf 'SKIP: not installed: %s\n' "${missing[@]}"
  echo "(packaging/install-deps.sh installs them)"
  exit 77
fi
echo "ok: $(basename "$desktop") and $(basename "$metainfo") validate and agree ($n screenshots, release $release)"
