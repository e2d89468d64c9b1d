#!/usr/bin/awk -f
# SPDX-License-Identifier: GPL-3.0-or-later
# Turns the JSON lines of `emoscope-cli classify --json` (one object per file, from any number of runs, in any order)
# into one CSV with one header:
#   file,label,confidence,<one column per label>,status,speech_seconds
# No jq needed: POSIX awk (mawk, gawk, busybox). It relies on the CLI's flat output: string values without
# newlines, numbers, and one "probabilities" object of numbers. Lines that are not such objects are reported on
# stderr and skipped (exit status 1 at the end).
#   cat part-*.jsonl | awk -f jsonl-to-csv.awk > all.csv

# The value of "key": a JSON string (unescaped), or a bare number; "" when absent.
function value(line, key,    rest, s, c, out) {
  if (match(line, "\"" key "\":\"([^\"\\\\]|\\\\.)*\"")) {
    s = substr(line, RSTART + length(key) + 4, RLENGTH - length(key) - 5)
    out = ""
    while (match(s, /\\./)) {
      c = substr(s, RSTART + 1, 1)
      out = out substr(s, 1, RSTART - 1) (c == "n" ? "\n" : c == "t" ? "\t" : c)
      s = substr(s, RSTART + 2)
    }
    return out s
  }
  if (match(line, "\"" key "\":[-+0-9.eE]+")) return substr(line, RSTART + length(key) + 3, RLENGTH - length(key) - 3)
  return ""
}
# CSV field: quoted when it holds a comma, a quote or a line break.
function csv(s) {
  if (s ~ /[",\n\r]/) { gsub(/"/, "\"\"", s); return "\"" s "\"" }
  return s
}
{
  if (!match($0, /"probabilities":\{[^}]*\}/) || value($0, "file") == "") {
    if ($0 != "") { print "jsonl-to-csv: skipped line " NR ": " $0 > "/dev/stderr"; bad = 1 }
    next
  }
  match($0, /"probabilities":\{[^}]*\}/) # again: value() moved RSTART
  body = substr($0, RSTART + 17, RLENGTH - 18)
  n = split(body, pairs, ",")
  row = ""
  for (i = 1; i <= n; i++) {
    split(pairs[i], kv, ":")
    name = kv[1]; gsub(/"/, "", name)
    if (!header_done) labels[i] = name
    else if (labels[i] != name) { print "jsonl-to-csv: line " NR " has other labels" > "/dev/stderr"; bad = 1; next }
    row = row "," kv[2]
  }
  if (!header_done) {
    nlabels = n
    line = "file,label,confidence"
    for (i = 1; i <= n; i++) line = line "," csv(labels[i])
    print line ",status,speech_seconds"
    header_done = 1
  } else if (n != nlabels) { print "jsonl-to-csv: line " NR " has other labels" > "/dev/stderr"; bad = 1; next }
  print csv(value($0, "file")) "," csv(value($0, "label")) "," value($0, "confidence") row "," \
        csv(value($0, "status")) "," value($0, "speech_seconds")
}
END { exit bad }
