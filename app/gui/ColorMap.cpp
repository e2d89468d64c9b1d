// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/ColorMap.h"

#include "dsp/MelMatrix.h"
#include "util/ColorMaps.h"

#include <algorithm>
#include <cmath>

namespace {

// The tables live in core (shared with the CLI's PNG output); QRgb has the same 0xAARRGGBB layout.
static_assert(sizeof(QRgb) == sizeof(std::uint32_t));
constexpr const std::array<QRgb, 256>& kMagma = emoscope::kMagmaArgb;
constexpr const std::array<QRgb, 256>& kViridis = emoscope::kViridisArgb;

constexpr std::array<QRgb, 256> makeGray()
{
    std::array<QRgb, 256> table{};
    for (unsigned i = 0; i < 256; ++i)
        table[i] = 0xff000000u | (i << 16) | (i << 8) | i;
    return table;
}
constexpr std::array<QRgb, 256> kGray = makeGray();

const std::array<QRgb, 256>* tableFor(ColorMap::Name name)
{
    switch (name) {
    case ColorMap::Name::Viridis: return &kViridis;
    case ColorMap::Name::Gray: return &kGray;
    case ColorMap::Name::Magma: break;
    }
    return &kMagma;
}

} // namespace

ColorMap::ColorMap(Name name) : name_(name), table_(tableFor(name)) {}

ColorMap ColorMap::fromString(const QString& name)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("viridis"))
        return ColorMap(Name::Viridis);
    if (n == QLatin1String("gray") || n == QLatin1String("grey"))
        return ColorMap(Name::Gray);
    return ColorMap(Name::Magma);
}

QStringList ColorMap::names()
{
    return {QStringLiteral("magma"), QStringLiteral("viridis"), QStringLiteral("gray")};
}

QString ColorMap::name() const
{
    switch (name_) {
    case Name::Viridis: return QStringLiteral("viridis");
    case Name::Gray: return QStringLiteral("gray");
    case Name::Magma: break;
    }
    return QStringLiteral("magma");
}

QRgb ColorMap::map(double t) const
{
    return (*table_)[emoscope::colorIndex(t)];
}

QImage ColorMap::render(const emoscope::MelMatrix& db, double floorDb, double ceilDb) const
{
    if (db.frames <= 0 || db.nMels <= 0)
        return {};
    QImage image(db.frames, db.nMels, QImage::Format_RGB32);
    for (int mel = 0; mel < db.nMels; ++mel) {
        // Row 0 is the top of the image: the highest mel band.
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(db.nMels - 1 - mel));
        for (int f = 0; f < db.frames; ++f)
            line[f] = (*table_)[emoscope::colorIndex(db.at(mel, f), floorDb, ceilDb)];
    }
    return image;
}
