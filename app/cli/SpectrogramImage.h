// SPDX-License-Identifier: GPL-3.0-or-later
// Spectrogram -> PNG for emoscope-cli, without Qt or a compression library.
#pragma once
#include "dsp/MelMatrix.h"

#include <string>

namespace emoscope::cli {

// PNG bytes (8-bit RGB, one pixel per frame x mel, low mels at the bottom) of a dB matrix mapped from
// [floorDb, ceilDb] through matplotlib's magma colour map.
std::string renderSpectrogramPng(const MelMatrix& db, double floorDb = -80.0, double ceilDb = 0.0);

// PNG encoder for 8-bit RGB rows (width*3 bytes each). Deflate "stored" blocks: larger files than zlib would
// give, but spectrogram images are small and the CLI then needs no extra library.
std::string encodePngRgb(const unsigned char* rgb, int width, int height);

} // namespace emoscope::cli
