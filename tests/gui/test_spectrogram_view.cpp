// SPDX-License-Identifier: GPL-3.0-or-later
// A 1 kHz tone drawn by SpectrogramView lands on the mel row whose centre is nearest 1 kHz: render the widget,
// find its brightest screen row, map that row back to Hz with the widget's own axis mapping.
#include "dsp/FeatureConfig.h"
#include "dsp/LogMelExtractor.h"
#include "dsp/MelFilterbank.h"
#include "gui/ColorMap.h"
#include "gui/SpectrogramView.h"

#include <QTest>
#include <cmath>
#include <numbers>

class TestSpectrogramView : public QObject {
    Q_OBJECT
private:
    static int brightestRow(const QImage& image, const QRect& plot)
    {
        int best = -1;
        double bestSum = -1;
        for (int y = plot.top(); y <= plot.bottom(); ++y) {
            double sum = 0;
            for (int x = plot.left() + plot.width() / 4; x < plot.right() - plot.width() / 4; ++x)
                sum += qGray(image.pixel(x, y));
            if (sum > bestSum) {
                bestSum = sum;
                best = y;
            }
        }
        return best;
    }

    void checkTone(double toneHz, const QSize& size)
    {
        const emoscope::FeatureConfig config;
        std::vector<float> samples(std::size_t(config.sampleRate) * 2);
        for (std::size_t i = 0; i < samples.size(); ++i)
            samples[i] = 0.5f * float(std::sin(2.0 * std::numbers::pi * toneHz * double(i) / config.sampleRate));
        const emoscope::LogMelExtractor extractor(config);
        const emoscope::MelFilterbank bank(config);
        const auto& centres = bank.centreFrequencies();

        SpectrogramView view;
        view.setColorMap(ColorMap(ColorMap::Name::Gray)); // brightness grows with dB
        view.resize(size);
        view.setSpectrogram(extractor.logMel(samples.data(), samples.size()), centres,
                            double(config.hopLength) / config.sampleRate, -80.0, 0.0);
        const QImage image = view.grab().toImage();
        const QRect plot = view.plotRect();
        const int row = brightestRow(image, plot);
        QVERIFY(row >= 0);

        int nearest = 0;
        for (int m = 1; m < int(centres.size()); ++m)
            if (std::abs(centres[std::size_t(m)] - toneHz) < std::abs(centres[std::size_t(nearest)] - toneHz))
                nearest = m;
        const int mel = view.melAtY(row);
        QVERIFY2(std::abs(mel - nearest) <= 1,
                 qPrintable(QStringLiteral("brightest row %1 -> mel %2 (%3 Hz), expected mel %4 (%5 Hz)")
                                .arg(row)
                                .arg(mel)
                                .arg(view.hzAtY(row))
                                .arg(nearest)
                                .arg(centres[std::size_t(nearest)])));
        // One mel band either side of the tone, in Hz.
        const double lo = centres[std::size_t(std::max(nearest - 1, 0))];
        const double hi = centres[std::size_t(std::min(nearest + 1, int(centres.size()) - 1))];
        QVERIFY2(view.hzAtY(row) >= lo && view.hzAtY(row) <= hi, qPrintable(QString::number(view.hzAtY(row))));
        // The axis label position for the tone's frequency is on the same band.
        QVERIFY(std::abs(view.melAtY(view.yForHz(toneHz)) - nearest) <= 1);
        // And the mapping has a sense: lower on screen = lower frequency.
        QVERIFY(view.hzAtY(plot.bottom()) < view.hzAtY(plot.top()));
    }

private Q_SLOTS:
    void oneKilohertzToneOnItsRow() { checkTone(1000.0, {700, 400}); }
    void oneKilohertzToneOnItsRowWhenSquashed() { checkTone(1000.0, {500, 190}); }
    void otherTonesToo() { checkTone(3000.0, {640, 300}); }

    void readoutNamesTimeFrequencyAndLevel()
    {
        const emoscope::FeatureConfig config;
        emoscope::MelMatrix db(config.nMels, 100, -80.0f);
        for (int f = 0; f < db.frames; ++f)
            db.at(40, f) = -3.0f;
        SpectrogramView view;
        view.resize(600, 300);
        view.setSpectrogram(db, emoscope::MelFilterbank(config).centreFrequencies(),
                            double(config.hopLength) / config.sampleRate, -80.0, 0.0);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const int y = view.yForHz(emoscope::MelFilterbank(config).centreFrequencies()[40]);
        const int x = view.plotRect().center().x();
        QTest::mouseMove(&view, QPoint(x, y));
        QVERIFY2(view.readout().contains(QStringLiteral("-3.0 dB")), qPrintable(view.readout()));
        QVERIFY(view.readout().contains(QStringLiteral(" Hz")));
        QVERIFY(view.readout().contains(QStringLiteral(" s")));
    }
};

QTEST_MAIN(TestSpectrogramView)
#include "test_spectrogram_view.moc"
