// SPDX-License-Identifier: GPL-3.0-or-later
// ColorMap holds the published magma/viridis end points and ramps, maps names both ways, clamps, and renders a
// spectrogram with low mels at the bottom and the dB range mapped onto the table.
#include "dsp/MelMatrix.h"
#include "gui/ColorMap.h"

#include <QTest>

class TestColorMap : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void publishedEndPoints()
    {
        const ColorMap magma(ColorMap::Name::Magma), viridis(ColorMap::Name::Viridis), gray(ColorMap::Name::Gray);
        QCOMPARE(QColor(magma.map(0.0)).name(), QStringLiteral("#000004"));
        QCOMPARE(QColor(magma.map(1.0)).name(), QStringLiteral("#fcfdbf"));
        QCOMPARE(QColor(magma.map(0.5)).name(), QStringLiteral("#b73779")); // matplotlib magma(128/255)
        QCOMPARE(QColor(viridis.map(0.0)).name(), QStringLiteral("#440154"));
        QCOMPARE(QColor(viridis.map(1.0)).name(), QStringLiteral("#fde725"));
        QCOMPARE(QColor(viridis.map(0.5)).name(), QStringLiteral("#21918c")); // matplotlib viridis(128/255)
        QCOMPARE(QColor(gray.map(0.0)).name(), QStringLiteral("#000000"));
        QCOMPARE(QColor(gray.map(1.0)).name(), QStringLiteral("#ffffff"));
    }

    void perceptualRampsGetBrighter()
    {
        for (const QString& name : ColorMap::names()) {
            const ColorMap map = ColorMap::fromString(name);
            int previous = -1;
            for (int i = 0; i <= 16; ++i) {
                const int lightness = qGray(map.map(i / 16.0)); // luma
                QVERIFY2(lightness >= previous, qPrintable(QStringLiteral("%1 at %2").arg(name).arg(i)));
                previous = lightness;
            }
        }
    }

    void namesAndClamping()
    {
        QCOMPARE(ColorMap::names(), (QStringList{"magma", "viridis", "gray"}));
        for (const QString& n : ColorMap::names())
            QCOMPARE(ColorMap::fromString(n).name(), n);
        QCOMPARE(ColorMap::fromString(QStringLiteral("Viridis")).name(), QStringLiteral("viridis"));
        QCOMPARE(ColorMap::fromString(QStringLiteral("grey")).name(), QStringLiteral("gray"));
        QCOMPARE(ColorMap::fromString(QStringLiteral("jet")).name(), QStringLiteral("magma"));
        const ColorMap magma;
        QCOMPARE(magma.map(-3.0), magma.map(0.0));
        QCOMPARE(magma.map(7.0), magma.map(1.0));
        QCOMPARE(magma.map(std::nan("")), magma.map(0.0));
    }

    void renderPutsLowMelsAtTheBottom()
    {
        emoscope::MelMatrix db(4, 3, -80.0f);
        db.at(0, 0) = 0.0f;   // lowest mel, first frame: loudest
        db.at(3, 2) = -40.0f; // highest mel, last frame: middle
        const ColorMap gray(ColorMap::Name::Gray);
        const QImage image = gray.render(db, -80.0, 0.0);
        QCOMPARE(image.size(), QSize(3, 4));
        QCOMPARE(qGray(image.pixel(0, 3)), 255);
        QCOMPARE(qGray(image.pixel(0, 0)), 0);
        QVERIFY(std::abs(qGray(image.pixel(2, 0)) - 128) <= 1);
        QVERIFY(gray.render(emoscope::MelMatrix{}).isNull());
    }
};

QTEST_MAIN(TestColorMap)
#include "test_color_map.moc"
