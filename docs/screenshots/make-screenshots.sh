#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerates analyze.png, no-speech.png and record.png from the real app under Xvfb (TESS clips; generated noise).
# (analyze.png and train.png in the repository are 1000x700 desktops under openbox, and *-scale2.png 1600x1000 at
# QT_SCALE_FACTOR=2, taken by hand with xvfb-run + xdotool to check the layout of issue 10; this script makes
# 1280x800 window shots instead.)
#   docs/screenshots/make-screenshots.sh BUILD_DIR [TESS_DIR]
# Needs xvfb-run and pulseaudio (pulseaudio-utils for pactl/paplay/parec). The Record shot runs a private
# PulseAudio server: clips are played into a null sink whose monitor is copied in real time into a FIFO source
# (Qt does not list monitor sources), and the app records that source with its real capture path.
set -eu
BUILD=$(realpath "$1")
TESS=${2:-$(dirname "$0")/../../../shared/data/tess}
OUT=$(realpath "$(dirname "$0")")
APP=$BUILD/app/emoscope
SIZE="-screen 0 1280x800x24"

xvfb-run -a -s "$SIZE" "$APP" --screenshot "$OUT/analyze.png" "$TESS/YAF_angry/YAF_bath_angry.flac"

# White noise at -20 dBFS: the WebRTC VAD alone calls it speech; the voicing check does not (bench_vad).
FIX=$(mktemp -d /tmp/emoscope-fixtures-XXXX)
"$BUILD/bench/bench_vad" --write-fixtures "$FIX"
xvfb-run -a -s "$SIZE" "$APP" --screenshot "$OUT/no-speech.png" "$FIX/white-20dBFS.wav"
rm -rf "$FIX"

T=$(mktemp -d /tmp/emoscope-shot-XXXX)
mkdir -p "$T/home" "$T/run"
export HOME=$T/home XDG_RUNTIME_DIR=$T/run PULSE_RUNTIME_PATH=$T/run PULSE_SERVER=unix:$T/native
pulseaudio --daemonize=no --exit-idle-time=-1 -n --use-pid-file=no --disable-shm=yes \
  --load="module-native-protocol-unix socket=$T/native auth-anonymous=1" \
  --load="module-null-sink sink_name=null_out rate=22050 channels=1" \
  --load="module-pipe-source source_name=fifo_in file=$T/fifo format=s16le rate=22050 channels=1" >"$T/pa.log" 2>&1 &
PA=$!
trap 'kill $PA 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 50); do pactl info >/dev/null 2>&1 && break; sleep 0.2; done
pactl set-default-source fifo_in
pactl set-default-sink null_out
parec --device=null_out.monitor --format=s16le --rate=22050 --channels=1 --latency-msec=20 >"$T/fifo" &
REC=$!
xvfb-run -a -s "$SIZE" "$APP" --tab record --record-seconds 7 --screenshot "$OUT/record.png" &
SHOT=$!
sleep 2.5
for f in YAF_happy/YAF_back_happy.flac YAF_happy/YAF_bath_happy.flac YAF_happy/YAF_bean_happy.flac; do
  paplay --device=null_out "$TESS/$f" || true
  sleep 0.3
done
wait $SHOT
kill $REC 2>/dev/null || true
