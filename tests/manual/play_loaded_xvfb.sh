#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Manual check of issue 9 ("play a 70 s file while the machine is loaded: button and cursor match what is heard").
# Not a CTest test: it needs xvfb-run, openbox, xdotool, imagemagick and pulseaudio, and it is only meaningful while
# something heavy runs beside it (e.g. a training run or a build). A 70 s file of TESS speech is opened in the real
# app under Xvfb with a private PulseAudio; Space plays it; at 30 s Space pauses it for 4 s, then Space resumes; the
# null sink's monitor is recorded throughout. The script prints the sound heard (start, the pause, the end) and leaves
# a screenshot every 10 s in OUT (the Play/Pause button and the cursor can be compared with the times printed).
#   tests/manual/play_loaded_xvfb.sh BUILD_DIR [OUT]
set -u
BUILD=$(realpath "${1:-build}")
OUT=$(realpath -m "${2:-/tmp/emoscope-play-loaded}")
mkdir -p "$OUT"
. "$(dirname "$0")/private_pulse.sh"
"$BUILD/bench/bench_long_file" --seconds 70 --keep "$T/seventy.wav" >/dev/null
start_private_pulse
echo "load beside the app: $(cut -d' ' -f1-3 /proc/loadavg)"
xvfb-run -a -s "-screen 0 1000x700x24" bash -c '
openbox & sleep 1
'"$BUILD"'/app/emoscope '"$T"'/seventy.wav & APP=$!
sleep 15
parec --device=null_out.monitor --format=s16le --rate=22050 --channels=1 > '"$T"'/cap.raw & REC=$!
sleep 0.5
date +%s.%N > '"$T"'/t0
xdotool key space
for k in 1 2 3; do sleep 10; import -window root '"$OUT"'/play-$((k * 10))s.png; done
xdotool key space; date +%s.%N > '"$T"'/tpause
sleep 2; import -window root '"$OUT"'/paused.png; sleep 2
xdotool key space; date +%s.%N > '"$T"'/tresume
for k in 4 5 6 7 8; do sleep 10; import -window root '"$OUT"'/play-$((k * 10))s.png; done
kill $REC
kill $APP' 2>/dev/null
python3 - "$T" <<'PY'
import sys, array
T = sys.argv[1]
rate = 22050
a = array.array('h'); a.frombytes(open(T + '/cap.raw', 'rb').read())
t0, tp, tr = (float(open(T + '/' + n).read()) for n in ('t0', 'tpause', 'tresume'))
# Loud 50 ms blocks; gaps longer than 3 s are pauses (the file's own pauses between clips last about 2 s).
block = rate // 20
loud = [max(abs(v) for v in a[i:i + block]) > 200 for i in range(0, len(a) - block, block)]
on = [i * 0.05 for i, l in enumerate(loud) if l]
if not on:
    print("silence"); sys.exit(1)
gaps = [(x, y) for x, y in zip(on, on[1:]) if y - x > 3.0]
print("captured %.1f s; sound from %.2f s to %.2f s" % (len(a) / rate, on[0], on[-1]))
print("Space pressed at %.2f s (pause) and %.2f s (resume) after play, measured from the key press" % (tp - t0, tr - t0))
for x, y in gaps:
    print("silent from %.2f s to %.2f s (%.2f s)" % (x, y, y - x))
heard = on[-1] - on[0] - sum(y - x for x, y in gaps)
print("sound heard for %.2f s of a 70 s file" % heard)
PY
stop_private_pulse
