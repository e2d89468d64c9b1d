# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the manual Xvfb checks: a private PulseAudio in the temporary folder $T (made here) with a null sink
# "null_out" as the default output (its monitor can be recorded with parec), and any extra modules given.
#   start_private_pulse [--load="module-..." ...]     sets T and PA; stop_private_pulse kills it and removes $T
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
