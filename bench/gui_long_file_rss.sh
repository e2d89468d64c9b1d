#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Peak memory of the GUI on a 2-hour file (issue 9: <= 1 GB): writes the same 2 h WAV as bench_long_file (TESS speech
# and silence), opens it in the real app under Xvfb, samples VmRSS/VmHWM from /proc every 4 s while the overview and
# the timeline stream in, and prints the peak. Needs xvfb-run; takes about 3 minutes on 2 cores.
#   bench/gui_long_file_rss.sh BUILD_DIR [SECONDS_TO_WATCH]
set -eu
BUILD=$(realpath "${1:-build}")
WATCH=${2:-180}
T=$(mktemp -d /tmp/emoscope-rss-XXXX)
trap 'rm -rf "$T"' EXIT
"$BUILD/bench/bench_long_file" --keep "$T/2h.wav" >/dev/null
export XDG_CONFIG_HOME=$T/config XDG_DATA_HOME=$T/data OMP_WAIT_POLICY=passive
xvfb-run -a -s "-screen 0 1000x700x24" bash -c '
  "$0" "$1" & APP=$!
  for i in $(seq 1 $(( $2 / 4 ))); do
    sleep 4
    echo "t=$((i * 4)) s $(grep -E "VmRSS" /proc/$APP/status | tr -s " \t" " ")"
  done
  echo "peak: $(grep VmHWM /proc/$APP/status | tr -s " \t" " ")"
  kill $APP' "$BUILD/app/emoscope" "$T/2h.wav" "$WATCH"
