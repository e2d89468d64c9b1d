#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Manual check of issue 9, playback of streamed long files (not a CTest test: it needs xvfb-run, openbox, xdotool,
# imagemagick and pulseaudio). A 15-minute file (over AnalysisEngine::kStreamSeconds, so it streams) is opened in the
# real app under Xvfb with a private PulseAudio; after the analysis, Space plays and a click at 10:00 on the waveform
# seeks there. The null sink's monitor is recorded after each, and each recording's loudness envelope is matched
# against the file's to say which file time was heard; screenshots are left in OUT.
#   tests/manual/play_streamed_xvfb.sh BUILD_DIR [OUT] [ANALYSIS_WAIT_SECONDS]
set -u
BUILD=$(realpath "${1:-build}")
OUT=$(realpath -m "${2:-/tmp/emoscope-play-streamed}")
WAIT=${3:-60}
mkdir -p "$OUT"
. "$(dirname "$0")/private_pulse.sh"
"$BUILD/bench/bench_long_file" --seconds 900 --keep "$T/long.wav" >/dev/null
start_private_pulse
xvfb-run -a -s "-screen 0 1000x700x24" bash -c '
openbox & sleep 1
'"$BUILD"'/app/emoscope '"$T"'/long.wav & APP=$!
sleep '"$WAIT"'
W=$(xdotool search --name Emoscope | tail -1)
xdotool windowactivate $W
X=$(xwininfo -id $W | awk "/Absolute upper-left X/{print \$4}"); Y=$(xwininfo -id $W | awk "/Absolute upper-left Y/{print \$4}")
import -window root '"$OUT"'/s1-analysed.png
parec --device=null_out.monitor --format=s16le --rate=22050 --channels=1 > '"$T"'/start.raw & REC=$!
xdotool key space
sleep 4
kill $REC
import -window root '"$OUT"'/s2-playing.png
x600=$((X + 67 + 862 * 600 / 900)); y=$((Y + 106))
xdotool mousemove $x600 $y click 1
parec --device=null_out.monitor --format=s16le --rate=22050 --channels=1 > '"$T"'/seek.raw & REC=$!
sleep 4
kill $REC
import -window root '"$OUT"'/s3-after-click.png
xdotool key space
sleep 1
import -window root '"$OUT"'/s4-paused.png
kill $APP' 2>/dev/null
python3 - "$T/long.wav" "$T/start.raw" "$T/seek.raw" <<'PY'
import sys, array, wave, math
def envelope(samples, rate, frame=0.02):
    n = int(rate * frame)
    return [math.sqrt(sum(v * v for v in samples[i:i + n]) / n) for i in range(0, len(samples) - n + 1, n)]
w = wave.open(sys.argv[1]); rate = w.getframerate()
audio = array.array('h'); audio.frombytes(w.readframes(w.getnframes()))
def heard(path, lo, hi):
    cap = array.array('h'); cap.frombytes(open(path, 'rb').read())
    loud = [i for i, v in enumerate(cap) if abs(v) > 200]
    if not loud:
        print("%s: silence" % path.split('/')[-1]); return
    first = loud[0]
    e = envelope(cap[first:first + 22050 * 3], 22050)
    f = envelope(audio[int(lo * rate):int(hi * rate)], rate)
    def corr(lag):
        a = e; b = f[lag:lag + len(a)]
        ma = sum(a) / len(a); mb = sum(b) / len(b)
        num = sum((x - ma) * (y - mb) for x, y in zip(a, b))
        den = math.sqrt(sum((x - ma) ** 2 for x in a) * sum((y - mb) ** 2 for y in b)) or 1
        return num / den
    best = max(range(len(f) - len(e)), key=corr)
    print("%s: %.2f s captured, sound from %.2f s; it is the file at %.2f s (envelope correlation %.3f)" %
          (path.split('/')[-1], len(cap) / 22050, first / 22050, lo + best * 0.02, corr(best)))
heard(sys.argv[2], 0, 12)
heard(sys.argv[3], 590, 615)
PY
stop_private_pulse
