# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the manual Xvfb checks: a private PulseAudio in the temporary folder $T (made here) with a null sink
# "null_out" as the default output (its monitor can be recorded with parec), and any extra modules given.
#   start_private_pulse [--load="module-..." ...]     sets T and PA; stop_private_pulse kills it and removes $T
#   start_app_on_display N SECONDS                    Xvfb :N, openbox, $BUILD/app/emoscope (log in $OUT/app.log),
#                                                     its window at 1000x700 after SECONDS; sets XVFB, WM, APP, W
#   stop_app_on_display                               ends the three
T=$(mktemp -d /tmp/emoscope-pa-XXXX)
start_private_pulse() {
  mkdir -p "$T/home" "$T/run"
  export HOME=$T/home XDG_RUNTIME_DIR=$T/run PULSE_RUNTIME_PATH=$T/run PULSE_SERVER=unix:$T/native XDG_CONFIG_HOME=$T/cfg
  pulseaudio --daemonize=no --exit-idle-time=-1 -n --use-pid-file=no --disable-shm=yes \
    --load="module-native-protocol-unix socket=$T/native auth-anonymous=1" \
    --load="module-null-sink sink_name=null_out rate=22050 channels=1" "$@" >"$T/pa.log" 2>&1 &
  PA=$!
  for _ in $(seq 50); do pactl info >/dev/null 2>&1 && break; sleep 0.2; done
  pactl set-default-sink null_out
}
stop_private_pulse() {
  kill "$PA"
  rm -rf "$T"
}
start_app_on_display() {
  Xvfb ":$1" -screen 0 1000x700x24 >/dev/null 2>&1 & XVFB=$!
  export DISPLAY=":$1"
  sleep 1
  openbox >/dev/null 2>&1 & WM=$!
  sleep 1
  "$BUILD"/app/emoscope >"$OUT/app.log" 2>&1 & APP=$!
  sleep "$2"
  W=$(xdotool search --name Emoscope | tail -1)
  xdotool windowmove "$W" 0 0 windowsize "$W" 1000 700 windowactivate "$W"
}
stop_app_on_display() {
  kill "$APP" "$WM" "$XVFB"
  wait "$APP" "$WM" "$XVFB" 2>/dev/null
}
