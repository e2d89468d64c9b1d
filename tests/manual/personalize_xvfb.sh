#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Manual check of issue 14 ("record the guided takes from a FIFO, adapt, see before/after, use the model"). Not a
# CTest test: it needs xvfb-run, openbox, xdotool, imagemagick and pulseaudio. A private PulseAudio whose default
# input is a FIFO source fed from a null sink's monitor; RAVDESS clips of one actor are played into that sink while the
# app records each guided take from the keyboard (Alt+C starts and stops a take). Four takes per emotion, statement 1
# and 2 as they come; then Adapt, screenshots of before/after, "Use this model". Screenshots and the app's log in OUT.
#   tests/manual/personalize_xvfb.sh BUILD_DIR [OUT] [ACTOR]     (ACTOR: RAVDESS actor number, default 11)
set -u
BUILD=$(realpath "${1:-build}")
OUT=$(realpath -m "${2:-/tmp/emoscope-personalize}")
ACTOR=${3:-11}
RAVDESS=$(realpath "${EMOSCOPE_RAVDESS_DIR:-$(dirname "$0")/../../../shared/data/ravdess}")
mkdir -p "$OUT"
. "$(dirname "$0")/private_pulse.sh"
start_private_pulse --load="module-pipe-source source_name=fifo_in file=$T/fifo format=s16le rate=22050 channels=1"
pactl set-default-source fifo_in
parec --device=null_out.monitor --format=s16le --rate=22050 --channels=1 --latency-msec=20 >"$T/fifo" &
REC=$!
export RAVDESS ACTOR OUT BUILD
xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
openbox & sleep 1
"$BUILD"/app/emoscope >"$OUT/app.log" 2>&1 & APP=$!
sleep 10
W=$(xdotool search --name Emoscope | tail -1)
xdotool windowactivate --sync $W; xdotool windowmove $W 0 0 windowsize $W 1280 800; sleep 1
xdotool key alt+p; sleep 1
import -window root "$OUT/0-start.png"
# The prompt order of the tab: angry disgust fear happy neutral ps sad (RAVDESS codes 05 07 06 03 01 08 04).
n=0
for code in 05 07 06 03 01 08 04; do
  for f in $(ls "$RAVDESS"/*/03-01-$code-*-$(printf %02d "$ACTOR").* | head -4); do
    xdotool key alt+c; sleep 0.6
    paplay --device=null_out "$f"
    sleep 0.5
    xdotool key alt+c; sleep 1.2
    n=$((n+1))
  done
  import -window root "$OUT/1-after-$code.png"
done
echo "takes played: $n"
# Adapt and "Use this model" have no free mnemonic: click them where the 1280x800 layout puts them.
import -window root "$OUT/2-before-adapt.png"
xdotool mousemove 277 223 click 1
sleep 5; import -window root "$OUT/3-adapting.png"
sleep 55 # about 20 s of adaptation on an idle machine, and the before/after scoring
import -window root "$OUT/4-adapted.png"
xdotool mousemove 61 775 click 1; sleep 3
import -window root "$OUT/5-used.png"
xdotool key alt+a; sleep 1
import -window root "$OUT/6-analyze.png"
kill $APP
' 2>/dev/null
kill $REC 2>/dev/null
stop_private_pulse
ls "$OUT"
