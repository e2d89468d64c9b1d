#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Intake of a pinned public corpus: extracts a git clone (or bare snapshot) at the pinned commit into a data folder
# outside the repository, verifies every file against the sha256 list, and writes the manifest.csv the dataset
# scanner reads (path,label,speaker). Files with the same sha256 (ASED holds 4 such pairs) are listed once.
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

name="" repo="" list="" commit="" out="" force=0
while [ $# -gt 0 ]; do
  case "$1" in
    nemo|ased) name="$1" ;;
    --repo) repo="${2:?}"; shift ;;
    --list) list="${2:?}"; shift ;;
    --commit) commit="${2:?}"; shift ;;
    --out) out="${2:?}"; shift ;;
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
if [ -e "$out" ] && [ "$force" -ne 1 ]; then echo "intake: $out: exists (use --force to replace it)" >&2; exit 2; fi

header="$(head -n1 "$list" | tr -d '\r')"
[ "$header" = "path_in_repo,label,speaker,sha256,sample_rate,frames" ] ||
  { echo "intake: $list: unexpected header '$header'" >&2; exit 2; }

work="$out.partial.$$"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"
# Only the paths the list names; attributes of the archive (e.g. text=auto) never touch binary audio, and the
# checksums below would catch it if they did.
tail -n +2 "$list" | cut -d, -f1 | tr -d '\r' > "$work/.paths"
mapfile -t tops < <(cut -d/ -f1 "$work/.paths" | sort -u)
git -C "$repo" archive --format=tar "$commit" -- "${tops[@]}" | tar -x -f - -C "$work" ||
  { echo "intake: $repo: git archive of $commit failed" >&2; exit 1; }

# Verify: sha256 of every listed file; collect the manifest, one row per distinct content.
bad=0
declare -A seen=()
{
  echo "path,label,speaker,sha256"
  while IFS=, read -r path label speaker sha rate frames; do
    sha="${sha%$'\r'}"
    f="$work/$path"
    if [ ! -f "$f" ]; then echo "intake: $path: missing at $commit" >&2; bad=$((bad + 1)); continue; fi
    got="$(sha256sum "$f" | cut -d' ' -f1)"
    if [ "$got" != "$sha" ]; then
      echo "intake: $path: sha256 mismatch (expected $sha, got $got)" >&2; bad=$((bad + 1)); continue
    fi
    if [ -n "${seen[$sha]:-}" ]; then echo "intake: $path: same content as ${seen[$sha]}; listed once" >&2; continue; fi
    seen[$sha]="$path"
    echo "$path,$label,$speaker,$sha"
  done < <(tail -n +2 "$list")
} > "$work/manifest.csv.tmp"
rm -f "$work/.paths"
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
