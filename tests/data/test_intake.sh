#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# models/intake-corpus.sh against a tiny generated corpus repository: verified intake and manifest, duplicates listed
# once, a tampered file refused (exit 1, nothing installed), a missing commit (exit 2), an --out inside the corpus
# or project repository refused, a list without a final newline or with CRLF, bad usage (exit 2).
# Run by CTest (EMOSCOPE_SOURCE_DIR set) or by hand from anywhere.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="${EMOSCOPE_SOURCE_DIR:-$here/../..}"
intake="$src/models/intake-corpus.sh"
[ -f "$intake" ] || { echo "FAIL: no intake script at $intake"; exit 1; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/emoscope-intake-test.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
failures=0 reported=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# Closes a section: "ok" only when it added no failure.
pass() { [ "$failures" -eq "$reported" ] && echo "ok: $*"; reported=$failures; }

# Git that ignores the user's configuration (no signing hooks, templates, identities).
g() { GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 git -c user.name=test -c user.email=test@example.org \
        -c init.defaultBranch=main -c commit.gpgsign=false "$@"; }

# Runs the intake; sets rc, out_text (stdout+stderr).
run() { out_text="$(EMOSCOPE_SHARED_DIR="${EMOSCOPE_SHARED_DIR:-$src/../shared}" bash "$intake" "$@" 2>&1)"; rc=$?; }

# ---- A corpus repository: three distinct "WAV" files in two speaker folders, and one byte-identical copy ----
repo="$tmp/corpus"
mkdir -p "$repo/spk1" "$repo/spk2" "$repo/docs"
wav() { printf 'RIFF\x24\x00\x00\x00WAVEfmt %s' "$1"; head -c 64 /dev/urandom; }
wav one > "$repo/spk1/a_angry.wav"
wav two > "$repo/spk1/b_sad.wav"
wav three > "$repo/spk2/c_happy.wav"
cp "$repo/spk1/a_angry.wav" "$repo/spk2/d_angry.wav" # same content under another name
echo "not listed" > "$repo/docs/README"
g init -q "$repo"
g -C "$repo" add -A
g -C "$repo" commit -qm "corpus"
commit1="$(g -C "$repo" rev-parse HEAD)"

sha() { sha256sum "$1" | cut -d' ' -f1; }
list="$tmp/list.csv"
{
  echo "path_in_repo,label,speaker,sha256,sample_rate,frames"
  echo "spk1/a_angry.wav,angry,s1,$(sha "$repo/spk1/a_angry.wav"),16000,40"
  echo "spk1/b_sad.wav,sad,s1,$(sha "$repo/spk1/b_sad.wav"),16000,40"
  echo "spk2/c_happy.wav,happy,s2,$(sha "$repo/spk2/c_happy.wav"),16000,40"
  echo "spk2/d_angry.wav,angry,s2,$(sha "$repo/spk2/d_angry.wav"),16000,40"
} > "$list"

# ---- 1. Success: manifest with 3 rows (the duplicate once), the files present and intact ----
out="$tmp/data/corpus"
run --repo "$repo" --list "$list" --commit "$commit1" --out "$out"
if [ "$rc" -ne 0 ]; then
  fail "intake of a good corpus exited $rc: $out_text"
else
  pass "good corpus accepted"
  [ "$(head -n1 "$out/manifest.csv")" = "path,label,speaker,sha256" ] || fail "manifest header: $(head -n1 "$out/manifest.csv")"
  rows="$(tail -n +2 "$out/manifest.csv")"
  [ "$(printf '%s\n' "$rows" | wc -l)" -eq 3 ] || fail "manifest should have 3 rows, has: $rows"
  grep -qx "spk1/a_angry.wav,angry,s1,$(sha "$repo/spk1/a_angry.wav")" <<<"$rows" || fail "row for a_angry missing"
  grep -qx "spk1/b_sad.wav,sad,s1,$(sha "$repo/spk1/b_sad.wav")" <<<"$rows" || fail "row for b_sad missing"
  grep -qx "spk2/c_happy.wav,happy,s2,$(sha "$repo/spk2/c_happy.wav")" <<<"$rows" || fail "row for c_happy missing"
  grep -q "d_angry" <<<"$rows" && fail "duplicate content listed twice"
  grep -q "d_angry.wav: same content as spk1/a_angry.wav" <<<"$out_text" || fail "duplicate not reported: $out_text"
  while IFS=, read -r path label speaker hash; do
    [ -f "$out/$path" ] || { fail "$path not extracted"; continue; }
    [ "$(sha "$out/$path")" = "$hash" ] || fail "$path differs from its manifest sha256"
  done <<<"$rows"
  [ -d "$out/docs" ] && fail "an unlisted folder was extracted"
  [ -z "$(find "$tmp/data" -maxdepth 1 -name '*.partial.*')" ] || fail "a .partial folder was left behind"
  pass "manifest: 3 rows, duplicate once, files verified"
fi

# ---- 2. Output exists: refused without --force (exit 2), replaced with it ----
run --repo "$repo" --list "$list" --commit "$commit1" --out "$out"
[ "$rc" -eq 2 ] || fail "existing --out without --force: exit $rc (want 2)"
run --repo "$repo" --list "$list" --commit "$commit1" --out "$out" --force
[ "$rc" -eq 0 ] && [ -f "$out/manifest.csv" ] || fail "--force over an existing --out: exit $rc: $out_text"
pass "existing output needs --force"

# ---- 3. Tampered file in a second commit, intake pinned to it: exit 1, the file named, nothing installed ----
printf 'tampered' >> "$repo/spk1/b_sad.wav"
g -C "$repo" commit -qam "tamper"
commit2="$(g -C "$repo" rev-parse HEAD)"
out2="$tmp/data/tampered"
run --repo "$repo" --list "$list" --commit "$commit2" --out "$out2"
[ "$rc" -eq 1 ] || fail "tampered corpus: exit $rc (want 1): $out_text"
grep -q "spk1/b_sad.wav: sha256 mismatch" <<<"$out_text" || fail "tampered file not named: $out_text"
grep -q "a_angry.wav: sha256 mismatch" <<<"$out_text" && fail "an intact file reported as tampered"
[ -e "$out2" ] && fail "--out exists after a failed verification"
[ -z "$(find "$tmp/data" -maxdepth 1 -name '*.partial.*')" ] || fail "a .partial folder was left behind after failure"
pass "tampered file refused"
# The first commit still verifies (the pin decides, not the branch head).
out3="$tmp/data/pinned"
run --repo "$repo" --list "$list" --commit "$commit1" --out "$out3"
[ "$rc" -eq 0 ] || fail "intake at the first commit after a later tamper: exit $rc: $out_text"

# ---- 4. A listed file missing at the commit: exit 1, named ----
missing="$tmp/missing.csv"
{ cat "$list"; echo "spk3/e_fear.wav,fear,s3,$(printf x | sha256sum | cut -d' ' -f1),16000,40"; } > "$missing"
run --repo "$repo" --list "$missing" --commit "$commit1" --out "$tmp/data/missing"
[ "$rc" -eq 1 ] || fail "missing file: exit $rc (want 1): $out_text"
grep -q "spk3/e_fear.wav: missing" <<<"$out_text" || fail "missing file not named: $out_text"
[ -e "$tmp/data/missing" ] && fail "--out exists after a missing file"
pass "missing file refused"

# ---- 5. A commit that is not there: exit 2 ----
run --repo "$repo" --list "$list" --commit 0123456789abcdef0123456789abcdef01234567 --out "$tmp/data/nocommit"
[ "$rc" -eq 2 ] || fail "missing commit: exit $rc (want 2): $out_text"
[ -e "$tmp/data/nocommit" ] && fail "--out exists after a missing commit"
pass "missing commit refused"

# ---- 6. --out inside the corpus repository (work tree or .git) or the project: refused, nothing written ----
for inside in "$repo/extracted" "$repo/spk1/x" "$repo/.git/x" "$src/build-intake-test-out"; do
  run --repo "$repo" --list "$list" --commit "$commit1" --out "$inside"
  [ "$rc" -eq 2 ] || fail "--out $inside: exit $rc (want 2): $out_text"
  [ -e "$inside" ] && { fail "--out $inside was created"; rm -rf "$inside"; }
done
[ -z "$(g -C "$repo" status --porcelain)" ] || fail "the corpus work tree changed: $(g -C "$repo" status --porcelain)"
pass "--out inside a repository refused"

# ---- 7. CRLF list without a final line ending, upper-case hex: every row still verified, the last one too ----
crlf="$tmp/crlf.csv"
{
  printf 'path_in_repo,label,speaker,sha256,sample_rate,frames\r\n'
  tail -n +2 "$list" | awk -F, 'BEGIN { OFS = "," } { $4 = toupper($4); printf "%s\r\n", $0 }'
} | head -c -2 > "$crlf"
[ "$(tail -c1 "$crlf")" = "0" ] || fail "test setup: $crlf should end without a line ending"
run --repo "$repo" --list "$crlf" --commit "$commit1" --out "$tmp/data/crlf"
if [ "$rc" -ne 0 ]; then
  fail "CRLF list without final newline: exit $rc: $out_text"
else
  [ "$(tail -n +2 "$tmp/data/crlf/manifest.csv" | wc -l)" -eq 3 ] || fail "CRLF list: $(cat "$tmp/data/crlf/manifest.csv")"
  grep -q "d_angry.wav: same content" <<<"$out_text" || fail "the last row (no line ending) was not read: $out_text"
fi
# A wrong hash on that unterminated last line must fail the intake.
{
  head -n 4 "$crlf"
  printf 'spk2/d_angry.wav,angry,s2,%s,16000,40' "$(printf '0%.0s' {1..64})"
} > "$tmp/crlf-bad.csv"
run --repo "$repo" --list "$tmp/crlf-bad.csv" --commit "$commit1" --out "$tmp/data/crlf-bad"
[ "$rc" -eq 1 ] && grep -q "spk2/d_angry.wav: sha256 mismatch" <<<"$out_text" ||
  fail "a bad hash on a last line without newline went unnoticed: exit $rc: $out_text"
[ -e "$tmp/data/crlf-bad" ] && fail "--out exists after a bad last line"
pass "CRLF list, no final line ending"

# ---- 8. Paths escaping the tree and bad usage ----
escape="$tmp/escape.csv"
{ head -n1 "$list"; echo "../outside.wav,angry,s1,$(printf x | sha256sum | cut -d' ' -f1),16000,40"; } > "$escape"
run --repo "$repo" --list "$escape" --commit "$commit1" --out "$tmp/data/escape"
[ "$rc" -eq 1 ] && grep -q "not a relative path" <<<"$out_text" || fail "a ../ path: exit $rc: $out_text"
run --repo "$repo" --list "$list" --commit
[ "$rc" -eq 2 ] || fail "--commit without a value: exit $rc (want 2)"
run --repo "$tmp" --list "$list" --commit "$commit1" --out "$tmp/data/norepo"
[ "$rc" -eq 2 ] || fail "--repo not a repository: exit $rc (want 2)"
printf 'path,label\n' > "$tmp/badheader.csv"
run --repo "$repo" --list "$tmp/badheader.csv" --commit "$commit1" --out "$tmp/data/badheader"
[ "$rc" -eq 2 ] || fail "bad list header: exit $rc (want 2)"
pass "bad paths and usage refused"

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all intake checks passed"
