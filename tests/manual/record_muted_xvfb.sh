#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Manual check of issue 8 ("record nothing with a muted input and see 'No speech detected' live"). Not a CTest test:
# it needs xvfb-run, openbox, xdotool, imagemagick and pulseaudio. A private PulseAudio whose only input is a null
# source (module-null-source), muted; the app records for 8 s on the Record tab; screenshots while recording and after stopping
# are left in OUT.
#   tests/manual/record_muted_xvfb.sh BUILD_DIR [OUT]
set -u
BUILD=$(realpath "${1:-build}")
OUT=$(realpath -m "${2:-/tmp/emoscope-record-muted}")
mkdir -p "$OUT"
. "$(dirname "$0")/private_pulse.sh"
start_private_pulse --load="module-null-source source_name=mic rate=16000 channels=1"
pactl set-default-source mic
pactl set-source-mute mic 1
echo "input: $(pactl get-default-source), $(pactl get-source-mute mic)"
xvfb-run -a -s "-screen 0 1000x700x24" bash -c '
openbox & sleep 1
'"$BUILD"'/app/emoscope & APP=$!
sleep 10
W=$(xdotool search --name Emoscope | tail -1)
xdotool windowactivate $W; sleep 0.5
xdotool key ctrl+r
sleep 8
import -window root '"$OUT"'/recording.png
xdotool key ctrl+r
sleep 3
import -window root '"$OUT"'/stopped.png
kill $APP' 2>/dev/null
stop_private_pulse
ls "$OUT"
