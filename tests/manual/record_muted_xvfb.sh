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
T=$(mktemp -d /tmp/emoscope-pa-XXXX)
mkdir -p "$T/home" "$T/run"
export HOME=$T/home XDG_RUNTIME_DIR=$T/run PULSE_RUNTIME_PATH=$T/run PULSE_SERVER=unix:$T/native XDG_CONFIG_HOME=$T/cfg
pulseaudio --daemonize=no --exit-idle-time=-1 -n --use-pid-file=no --disable-shm=yes \
  --load="module-native-protocol-unix socket=$T/native auth-anonymous=1" \
  --load="module-null-sink sink_name=null_out rate=16000 channels=1" \
  --load="module-null-source source_name=mic rate=16000 channels=1" >"$T/pa.log" 2>&1 &
PA=$!
for _ in $(seq 50); do pactl info >/dev/null 2>&1 && break; sleep 0.2; done
pactl set-default-sink null_out
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
kill $PA
rm -rf "$T"
ls "$OUT"
