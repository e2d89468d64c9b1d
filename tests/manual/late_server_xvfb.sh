#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Manual check of issue 9 ("start the app before the sound server ... recording works without restarting"). Not a
# CTest test (test_device_loss is the automated one): it needs Xvfb, openbox, xdotool, imagemagick and pulseaudio.
# The app starts with PULSE_SERVER pointing at a private socket where nothing listens yet; the server (input: a
# 440 Hz sine source) starts LATE seconds later (default 8); the Record tab should list it within about 15 s, and
# Ctrl+R records 3 s from it. Screenshots of each step are left in OUT.
#   [LATE=SECONDS] tests/manual/late_server_xvfb.sh BUILD_DIR [OUT]
set -u
BUILD=$(realpath "${1:-build}")
OUT=$(realpath -m "${2:-/tmp/emoscope-late-server}")
mkdir -p "$OUT"
. "$(dirname "$0")/private_pulse.sh"
SINE='module-sine-source source_name=mic rate=16000 frequency=440'
mkdir -p "$T/home" "$T/run"
export HOME=$T/home XDG_RUNTIME_DIR=$T/run PULSE_RUNTIME_PATH=$T/run PULSE_SERVER=unix:$T/native XDG_CONFIG_HOME=$T/cfg
start_app_on_display 58 6
xdotool key alt+r # the Record tab
sleep 1
import -window root "$OUT/1-no-server.png"
sleep "${LATE:-8}"
start_private_pulse --load="$SINE"
pactl set-default-source mic
sleep 16
import -window root "$OUT/2-server-found.png"
xdotool key ctrl+r
sleep 3
xdotool key ctrl+r
sleep 2
import -window root "$OUT/3-recorded.png"
kill -0 "$APP" && echo "app alive at the end" || echo "APP DIED"
stop_app_on_display
stop_private_pulse
ls "$OUT"
