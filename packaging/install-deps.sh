#!/usr/bin/env bash
# Installs the Debian 12 packages Emoscope needs to build, test and run.
# This is the one list of system dependencies; README, CI and scripts call it.
# Idempotent: packages already present are skipped. Needs root (or sudo).
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake pkg-config git
  # Qt 6.4: Widgets, Multimedia, Charts, Test (Test ships in qt6-base-dev)
  qt6-base-dev qt6-multimedia-dev qt6-charts-dev libqt6opengl6-dev libgl-dev libxkbcommon-dev
  # Qt platform plugins at run time (xcb for a desktop, offscreen ships in libqt6gui6)
  qt6-qpa-plugins
  # the neural network: libtorch for training, CBLAS (libblas-dev) for the torch-free inference network, and the
  # fast BLAS both run on (reference BLAS makes convolutions ~10x slower)
  libtorch-dev libblas-dev libopenblas0-pthread
  # DSP and audio files
  libfftw3-dev libsamplerate0-dev libsndfile1-dev libmpg123-dev nlohmann-json3-dev
  # voice activity detection (WebRTC VAD)
  libwebrtc-audio-processing-dev
  # tests: a virtual X server for screenshots, PulseAudio for the capture test
  xvfb xauth pulseaudio pulseaudio-utils
  # the Debian package (cpack -G DEB): PNG icons, man pages, Depends (dpkg-shlibdeps needs file), and its checks
  librsvg2-bin help2man dpkg-dev file man-db desktop-file-utils appstream
  # the fuzz targets' short run (tests/fuzz): clang with libFuzzer and the sanitizer runtimes (only recommended by
  # clang, so named here)
  clang libclang-rt-14-dev
  # the scale-out example and its test (README "Scale-out")
  parallel
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
