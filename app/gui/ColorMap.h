// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QImage>
#include <QRgb>
#include <QString>
#include <QStringList>
#include <array>

namespace emoscope {
struct MelMatrix;
}

// Named perceptual colour maps (magma, viridis, grey) as 256-entry lookup tables, and spectrogram rendering.
class ColorMap {
public:
    enum class Name { Magma, Viridis, Gray };

    explicit ColorMap(Name name = Name::Magma);
    static ColorMap fromString(const QString& name); // "magma", "viridis", "gray"; unknown -> magma
    static QStringList names();
    QString name() const;

    // t in [0, 1] (clamped).
    QRgb map(double t) const;

    // One pixel per (frame, mel); low mels at the bottom. Values are dB, mapped from [floorDb, ceilDb].
    QImage render(const emoscope::MelMatrix& db, double floorDb = -80.0, double ceilDb = 0.0) const;

private:
    Name name_;
    const std::array<QRgb, 256>* table_;
};
