#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Manual check of issue 9 ("record, kill the server -> the app lives, the partial take is there; restart the server ->
# Ctrl+R records again without restarting the app"). Not a CTest test (tests/gui/test_device_loss is the automated
# one): it needs Xvfb, openbox, xdotool, imagemagick and pulseaudio. A private PulseAudio whose input is a 440 Hz sine
# source; the app records 4 s on the Record tab, the server is killed, then started again AWAY seconds later
# (default 1); Ctrl+R asks about the unsaved take (Discard), then records again. Screenshots of each step are left
# in OUT. Qt 6.4 reconnects once, about 3 s after losing the server; for a longer absence (AWAY=10) SoundServerWatch
# reconnects (its tries come 6, 10 and 18 s after the loss, then every 15 s), and the tab waits for the device
# meanwhile, says so, and Ctrl+R stops the waiting.
#   [AWAY=SECONDS] tests/manual/device_loss_xvfb.sh BUILD_DIR [OUT]
set -u
BUILD=$(realpath "${1:-build}")
OUT=$(realpath -m "${2:-/tmp/emoscope-device-loss}")
mkdir -p "$OUT"
. "$(dirname "$0")/private_pulse.sh"
SINE='module-sine-source source_name=mic rate=16000 frequency=440'
start_private_pulse --load="$SINE"
pactl set-default-source mic
start_app_on_display 57 10
sleep 0.5
xdotool key ctrl+r
sleep 4
import -window root "$OUT/1-recording.png"
kill "$PA"; wait "$PA" 2>/dev/null # the sound server dies mid-take
sleep 0.5
import -window root "$OUT/2-server-killed.png"
kill -0 "$APP" && echo "app alive after the server died" || echo "APP DIED"
sleep "${AWAY:-1}"
start_private_pulse --load="$SINE" # back at the same socket
pactl set-default-source mic
sleep 3
xdotool key ctrl+r
sleep 1.5
import -window root "$OUT/3-unsaved-take-prompt.png"
xdotool key Tab space # Discard (Save has the focus; Discard is next)
sleep 4
import -window root "$OUT/4-recording-again.png"
xdotool key ctrl+r
sleep 3
import -window root "$OUT/5-stopped.png"
kill -0 "$APP" && echo "app alive at the end" || echo "APP DIED"
stop_app_on_display
stop_private_pulse
ls "$OUT"
