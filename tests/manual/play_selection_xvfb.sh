#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Manual check of issue 10 (not a CTest test: it needs xvfb-run, openbox, xdotool, imagemagick and pulseaudio):
# a 70 s file of TESS speech is opened in the real app under Xvfb with a private PulseAudio, 10-20 s is selected by
# dragging on the waveform, Shift+Space plays the selection, and the null sink's monitor is recorded; the script
# prints how long the sound heard lasted (about 10 s) and leaves screenshots in OUT.
#   tests/manual/play_selection_xvfb.sh BUILD_DIR [OUT]
set -u
BUILD=$(realpath "${1:-build}")
OUT=$(realpath -m "${2:-/tmp/emoscope-play-selection}")
mkdir -p "$OUT"
. "$(dirname "$0")/private_pulse.sh"
"$BUILD/bench/bench_long_file" --seconds 70 --keep "$T/seventy.wav" >/dev/null
start_private_pulse
xvfb-run -a -s "-screen 0 1000x700x24" bash -c '
openbox & sleep 1
'"$BUILD"'/app/emoscope '"$T"'/seventy.wav & APP=$!
sleep 12
W=$(xdotool search --name Emoscope | tail -1)
X=$(xwininfo -id $W | awk "/Absolute upper-left X/{print \$4}"); Y=$(xwininfo -id $W | awk "/Absolute upper-left Y/{print \$4}")
x10=$((X + 67 + 862 * 10 / 70)); x20=$((X + 67 + 862 * 20 / 70)); y=$((Y + 106))
xdotool mousemove $x10 $y mousedown 1; for x in $(seq $x10 10 $x20) $x20; do xdotool mousemove $x $y; done; xdotool mouseup 1
sleep 1
import -window root '"$OUT"'/p1.png
parec --device=null_out.monitor --format=s16le --rate=22050 --channels=1 > '"$T"'/cap.raw & REC=$!
sleep 0.5
xdotool key shift+space
sleep 4
import -window root '"$OUT"'/p2.png
sleep 10
kill $REC
import -window root '"$OUT"'/p3.png
kill $APP' 2>/dev/null
python3 - "$T/cap.raw" <<'PY'
import sys, array
a = array.array('h'); a.frombytes(open(sys.argv[1], 'rb').read())
idx = [i for i, v in enumerate(a) if abs(v) > 200]
print("captured %.2f s; sound from %.2f s to %.2f s: %.2f s heard" % (len(a)/22050, idx[0]/22050, idx[-1]/22050, (idx[-1]-idx[0])/22050) if idx else "silence")
PY
stop_private_pulse
