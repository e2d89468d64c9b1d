#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# README "Scale-out": GNU parallel over a folder of 20 TESS clips, in batches of 5 files per emoscope-cli process,
# JSON lines merged and turned into one CSV by packaging/examples/jsonl-to-csv.awk. The CSV has one header and one
# row per file, and the same label and status for every file as a single `emoscope-cli classify` run over them all.
# Exit 77 (CTest: skipped) when GNU parallel is not installed (packaging/install-deps.sh installs it).
# Run by CTest (EMOSCOPE_CLI, EMOSCOPE_SHARED_DIR, EMOSCOPE_SOURCE_DIR set) or by hand.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="${EMOSCOPE_SOURCE_DIR:-$here/../..}"
cli="${EMOSCOPE_CLI:-$src/build/app/emoscope-cli}"
tess="${EMOSCOPE_TESS_DIR:-${EMOSCOPE_SHARED_DIR:-$src/../shared}/data/tess}"
to_csv="$src/packaging/examples/jsonl-to-csv.awk"

if ! command -v parallel >/dev/null; then
  echo "SKIP: GNU parallel is not installed (Debian package parallel; packaging/install-deps.sh installs it)"
  exit 77
fi
[ -x "$cli" ] || { echo "FAIL: no emoscope-cli at $cli (set EMOSCOPE_CLI)"; exit 1; }
[ -f "$tess/split.csv" ] || { echo "FAIL: no TESS at $tess (set EMOSCOPE_SHARED_DIR)"; exit 1; }
parallel --version 2>/dev/null | head -1 | grep -q 'GNU parallel' || { echo "FAIL: 'parallel' is not GNU parallel"; exit 1; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/emoscope-parallel-test.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
export OMP_WAIT_POLICY=PASSIVE

# A folder of 20 clips (copies: the README command finds regular files): every 21st of the 420 fixed test clips, so every emotion and both speakers appear.
mkdir -p "$tmp/clips"
grep ',test$' "$tess/split.csv" | cut -d, -f1 | awk 'NR % 21 == 1' | head -20 \
  | while read -r rel; do cp "$tess/$rel" "$tmp/clips/"; done
n="$(find "$tmp/clips" -name '*.flac' | wc -l)"
[ "$n" -eq 20 ] || { echo "FAIL: expected 20 clips, linked $n"; exit 1; }

# ---- The README's command (batches of 5 here instead of 200, so that 20 files make 4 jobs).
cd "$tmp"
start=$(date +%s.%N)
find clips -type f \( -name '*.wav' -o -name '*.flac' -o -name '*.ogg' -o -name '*.mp3' \) -print0 \
  | parallel -0 -n 5 -j 2 --keep-order "$cli" classify --threads 1 --json > all.jsonl 2> parallel.err
rc=$?
[ $rc -eq 0 ] || { cat parallel.err; fail "parallel exited $rc"; }
awk -f "$to_csv" all.jsonl > all.csv || fail "jsonl-to-csv.awk failed"
elapsed=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')

# ---- One header, one row per file.
headers="$(grep -c '^file,label,confidence,' all.csv)"
[ "$headers" -eq 1 ] || fail "$headers header lines in the merged CSV"
head -1 all.csv | grep -qx 'file,label,confidence,angry,disgust,fear,happy,neutral,ps,sad,status,speech_seconds' \
  || fail "unexpected header: $(head -1 all.csv)"
rows=$(( $(wc -l < all.csv) - 1 ))
[ "$rows" -eq 20 ] || fail "$rows rows for 20 files"
find clips -type f | sort > files.txt
tail -n +2 all.csv | cut -d, -f1 | sort > csv-files.txt
cmp -s files.txt csv-files.txt || fail "the CSV's files differ from the folder's: $(diff files.txt csv-files.txt | head -5)"

# ---- The same labels and statuses as one classify run over all the files.
xargs -a files.txt -d '\n' "$cli" classify --json > single.jsonl 2> single.err || { cat single.err; fail "single run failed"; }
awk -f "$to_csv" single.jsonl > single.csv || fail "jsonl-to-csv.awk failed on the single run"
# file,label,status (status is the second field from the end)
pick() { tail -n +2 "$1" | awk -F, '{ print $1 "," $2 "," $(NF - 1) }' | sort; }
pick all.csv > merged.labels
pick single.csv > single.labels
[ "$(wc -l < single.labels)" -eq 20 ] || fail "the single run gave $(wc -l < single.labels) rows"
if ! cmp -s merged.labels single.labels; then
  fail "labels differ between the parallel and the single run:"
  diff merged.labels single.labels | head -10
fi

if [ $failures -gt 0 ]; then echo "$failures failure(s)"; exit 1; fi
echo "ok: 20 files in 4 parallel jobs (${elapsed} s), one CSV with one header and 20 rows, labels as in one run:"
cut -d, -f2 merged.labels | sort | uniq -c | tr '\n' ' '; echo
