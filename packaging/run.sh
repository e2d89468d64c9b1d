#!/usr/bin/env bash
# Installs missing Debian packages, builds Emoscope and starts the GUI with the bundled model
# (README command a). Arguments are passed to the app (e.g. audio files to analyze).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${EMOSCOPE_BUILD_DIR:-$root/build}"
bash "$root/packaging/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release
cmake --build "$build" -j"$(nproc)"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run.sh: built, but there is no display (DISPLAY/WAYLAND_DISPLAY unset), so the window cannot open." >&2
  echo "The command-line twin does the same analysis:" >&2
  echo "  $build/app/emoscope-cli classify --json FILE.wav" >&2
  echo "  $build/app/emoscope-cli --help" >&2
  echo "Or run the GUI on a virtual display: xvfb-run -a $build/app/emoscope FILE.wav" >&2
  exit 0
fi
# Idle OpenMP workers sleep instead of spinning (see app/main.cpp); the app sets this itself too.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
exec "$build/app/emoscope" "$@"
