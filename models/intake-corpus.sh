#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Intake of a pinned public corpus: extracts a git clone (or bare snapshot) at the pinned commit into a data folder
# outside both the project and the clone, verifies every file against the sha256 list, and writes the manifest.csv
# the dataset scanner reads (path,label,speaker). Files with the same sha256 (ASED holds 4 such pairs) are listed once.
#
#   models/intake-corpus.sh --repo CLONE --list ../shared/corpora/nemo.csv --commit SHA --out DEST
#   models/intake-corpus.sh nemo|ased --repo CLONE --out DEST   (list and commit of ../shared/corpora/README.md)
#
# The folder appears only when every file is verified: the work happens in DEST.partial.PID, renamed at the end.
# Exit 0 on success; 1 when verification fails (every failing file named); 2 on bad usage.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
shared="${EMOSCOPE_SHARED_DIR:-$here/../../shared}"
usage() { sed -n '3,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

# An option without its value is bad usage (exit 2), not a shell error (${2:?} would exit 1).
value() { [ $# -ge 2 ] && [ -n "$2" ] || { echo "intake: $1 needs a value" >&2; usage; }; }

name="" repo="" list="" commit="" out="" force=0
while [ $# -gt 0 ]; do
  case "$1" in
    nemo|ased) name="$1" ;;
    --repo) value "$@"; repo="$2"; shift ;;
    --list) value "$@"; list="$2"; shift ;;
    --commit) value "$@"; commit="$2"; shift ;;
    --out) value "$@"; out="$2"; shift ;;
    --force) force=1 ;;
    -h|--help) usage ;;
    *) echo "intake: unknown argument '$1'" >&2; usage ;;
  esac
  shift
done

# The pins of ../shared/corpora/README.md.
case "$name" in
  nemo) : "${list:=$shared/corpora/nemo.csv}" "${commit:=66de9999a8f2f605eb5f64841790aa5cb0877782}" ;;
  ased) : "${list:=$shared/corpora/ased.csv}" "${commit:=30fee0345cbd37e12dd725fbe69f90522cffb046}" ;;
esac
[ -n "$repo" ] && [ -n "$list" ] && [ -n "$commit" ] && [ -n "$out" ] || usage
[ -f "$list" ] || { echo "intake: $list: no such sha256 list" >&2; exit 2; }
git -C "$repo" rev-parse --git-dir >/dev/null 2>&1 || { echo "intake: $repo: not a git repository" >&2; exit 2; }
git -C "$repo" cat-file -e "$commit^{commit}" 2>/dev/null || { echo "intake: $repo: commit $commit is not there" >&2; exit 2; }
out="$(realpath -m "$out")"
case "$out/" in "$(realpath -m "$here/..")/"*) echo "intake: $out: inside the project repository; choose a folder outside it" >&2; exit 2 ;; esac
# Nor inside the corpus clone (its work tree or git directory): the data would land among the files it is read from.
for inside in "$(git -C "$repo" rev-parse --show-toplevel 2>/dev/null || true)" \
              "$(git -C "$repo" rev-parse --absolute-git-dir 2>/dev/null || true)"; do
  [ -n "$inside" ] || continue
  case "$out/" in "$(realpath -m "$inside")/"*)
    echo "intake: $out: inside the corpus repository $inside; choose a folder outside it" >&2; exit 2 ;;
  esac
done
if [ -e "$out" ] && [ "$force" -ne 1 ]; then echo "intake: $out: exists (use --force to replace it)" >&2; exit 2; fi

header="$(head -n1 "$list" | tr -d '\r')"
[ "$header" = "path_in_repo,label,speaker,sha256,sample_rate,frames" ] ||
  { echo "intake: $list: unexpected header '$header'" >&2; exit 2; }

# The list's rows: header dropped, CR stripped (the shared lists are CRLF), blank lines skipped, and a last line
# without a newline kept (a plain `while read` loop would silently drop that file).
rows() { tail -n +2 "$list" | tr -d '\r' | sed '/^[[:space:]]*$/d'; echo; }
[ -n "$(rows | cut -d, -f1 | tr -d '[:space:]')" ] || { echo "intake: $list: lists no files" >&2; exit 2; }

work="$out.partial.$$"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM HUP # so the EXIT trap cleans up on interruption too
mkdir -p "$work"
# Only the top-level folders the list names, and of those only the ones present at the commit (git archive fails
# as a whole on a missing path; the verification below names each missing file instead). Attributes of the
# archive (e.g. text=auto) never touch binary audio, and the checksums below would catch it if they did.
mapfile -t tops < <(rows | cut -d, -f1 | sed '/^$/d' | cut -d/ -f1 | sort -u)
mapfile -d "" -t present < <(git -C "$repo" ls-tree -z --name-only "$commit" -- "${tops[@]}")
if [ "${#present[@]}" -gt 0 ]; then
  git -C "$repo" archive --format=tar "$commit" -- "${present[@]}" | tar -x -f - -C "$work" ||
    { echo "intake: $repo: git archive of $commit failed" >&2; exit 1; }
fi

# Verify: sha256 of every listed file; collect the manifest, one row per distinct content.
bad=0
declare -A seen=()
{
  echo "path,label,speaker,sha256"
  while IFS=, read -r path label speaker sha rate frames; do
    [ -n "$path" ] || continue
    sha="$(printf '%s' "$sha" | tr 'A-F' 'a-f')"
    # Paths stay inside the extracted tree: nothing absolute, no '..' component.
    case "/$path/" in //*|*/../*) echo "intake: $path: not a relative path inside the repository" >&2; bad=$((bad + 1)); continue ;; esac
    f="$work/$path"
    if [ ! -f "$f" ]; then echo "intake: $path: missing at $commit" >&2; bad=$((bad + 1)); continue; fi
    got="$(sha256sum "$f" | cut -d' ' -f1)"
    if [ "$got" != "$sha" ]; then
      echo "intake: $path: sha256 mismatch (expected $sha, got $got)" >&2; bad=$((bad + 1)); continue
    fi
    if [ -n "${seen[$sha]:-}" ]; then echo "intake: $path: same content as ${seen[$sha]}; listed once" >&2; continue; fi
    seen[$sha]="$path"
    echo "$path,$label,$speaker,$sha"
  done < <(rows)
} > "$work/manifest.csv.tmp"
if [ "$bad" -ne 0 ]; then
  echo "intake: $bad file(s) failed verification; nothing was installed at $out" >&2
  exit 1
fi
mv "$work/manifest.csv.tmp" "$work/manifest.csv"
printf 'repository commit %s\nlist %s\n' "$commit" "$(realpath "$list")" > "$work/INTAKE.txt"
[ -e "$out" ] && rm -rf "$out"
mv "$work" "$out"
trap - EXIT
echo "intake: $(($(wc -l < "$out/manifest.csv") - 1)) clips verified into $out"
