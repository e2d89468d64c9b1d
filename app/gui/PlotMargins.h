// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shared by the waveform and spectrogram views so their time axes line up one above the other.
namespace PlotMargins {
constexpr int left = 56;   // room for frequency labels
constexpr int right = 8;
constexpr int top = 4;
constexpr int bottom = 18; // room for time labels
} // namespace PlotMargins
