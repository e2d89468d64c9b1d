#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Reproduces the bundled model and its generalisation report (models/README.md) from the four corpora.
#   models/train-shipped.sh [DATA_ROOT] [OUT_DIR]
# DATA_ROOT holds nemo/ and ased/ made by models/intake-corpus.sh (default ../corpora beside the checkout);
# TESS and RAVDESS come from ../shared/data. The CLI is build/app/emoscope-cli. Outputs go to OUT_DIR
# (default build/model): report.md, report.json, emoscope.pt. Copy emoscope.pt to models/ to ship it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${EMOSCOPE_SHARED_DIR:-$root/../shared}"
data="${1:-$root/../corpora}"
out="${2:-$root/build/model}"
cli="${EMOSCOPE_CLI:-$root/build/app/emoscope-cli}"
cache="${EMOSCOPE_FEATURE_CACHE:-$out/cache}"
epochs="${EMOSCOPE_EPOCHS:-30}"
# The recipe chosen on validation speakers (models/README.md, "Leave-speakers-out").
recipe="${EMOSCOPE_RECIPE:-robust-wide}"
mkdir -p "$out"
corpora=(--data "$shared/data/tess" --data "$shared/data/ravdess" --data "$data/nemo" --data "$data/ased")
for d in "$shared/data/tess" "$shared/data/ravdess" "$data/nemo" "$data/ased"; do
  [ -d "$d" ] || { echo "train-shipped: $d: missing (run models/intake-corpus.sh first)" >&2; exit 2; }
done
if [ "${EMOSCOPE_SKIP_REPORT:-0}" != 1 ]; then
  "$cli" report "${corpora[@]}" --recipe "$recipe" --folds 2 --epochs "$epochs" --seed 1 --threads 2 \
      --feature-cache "$cache" --json "$out/report.json" --markdown "$out/report.md"
fi
"$cli" train "${corpora[@]}" --recipe "$recipe" --split random --epochs "$epochs" --seed 1 --threads 2 \
    --feature-cache "$cache" --out "$out/emoscope.pt" > "$out/train.json"
echo "train-shipped: model $out/emoscope.pt, report $out/report.md"
