// SPDX-License-Identifier: GPL-3.0-or-later
// The saliency overlay in the GUI: SpectrogramView draws a heat image on its time axis with row 0 at the lowest band
// and not at all when hidden; Analyze's "Explain" computes the map off the GUI thread for the shown clip (and the
// map sits on the clip's speech, not its silence), a newer file supersedes it, a clip without speech is not explained
// (no verdict, nothing to explain); the clip browser explains the
// selected clip and its thumbnails follow the chosen colour map. Uses the bundled model and TESS clips.
#include "TestData.h"

#include "audio/WavWriter.h"
#include "engine/CurrentModel.h"
#include "engine/SaliencyJob.h"
#include "gui/AnalyzeTab.h"
#include "gui/ColorMap.h"
#include "gui/MisclassifiedBrowser.h"
#include "gui/SaliencyHeat.h"
#include "gui/SpectrogramView.h"
#include "infer/Classifier.h"
#include "net/Saliency.h"

#include <QCheckBox>
#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cmath>

namespace {
QString clip(const char* relative)
{
    return testdata::tessDir() + QLatin1Char('/') + QLatin1String(relative);
}
QImage grabOf(QWidget& w)
{
    return w.grab().toImage().convertToFormat(QImage::Format_RGB32);
}
} // namespace

class TestSaliencyView : public QObject {
    Q_OBJECT
private:
    CurrentModel model_;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(model_.loadNow(testdata::bundledModel()), qPrintable(testdata::bundledModel()));
    }

    void heatImageRowsAndAlpha()
    {
        emoscope::SaliencyMap map;
        map.nMels = 2;
        map.frames = 3;
        map.values = {0.0f, 0.5f, 1.0f,  // lowest band
                      0.05f, 0.04f, 0.9f}; // next band
        const QImage heat = SaliencyHeat::image(map);
        QCOMPARE(heat.size(), QSize(3, 2));
        QCOMPARE(qAlpha(heat.pixel(0, 0)), 0); // below the threshold: nothing drawn
        QCOMPARE(qAlpha(heat.pixel(1, 1)), 0);
        QVERIFY(qAlpha(heat.pixel(1, 0)) > 0);
        QVERIFY(qAlpha(heat.pixel(2, 0)) > qAlpha(heat.pixel(1, 0))); // more salient, more opaque
        QVERIFY(qAlpha(heat.pixel(2, 0)) > qAlpha(heat.pixel(2, 1)));  // row 0 is band 0
    }

    void overlayDrawnOnTimeAxisAndBands()
    {
        SpectrogramView view;
        view.resize(500, 260);
        const double hop = 0.01;
        view.setSpectrogram(emoscope::MelMatrix(64, 100, -80.0f), std::vector<double>(64, 0.0), hop, -80, 0);
        const QImage base = grabOf(view);
        // A block over frames 60-79 of the lowest 8 bands, given as an overlay that starts at frame 50.
        QImage heat(30, 64, QImage::Format_ARGB32);
        heat.fill(Qt::transparent);
        for (int t = 10; t < 30; ++t)
            for (int band = 0; band < 8; ++band)
                heat.setPixel(t, band, qRgba(0, 255, 0, 255));
        view.setOverlayVisible(false);
        view.setOverlay(heat, 50 * hop, hop);
        QCOMPARE(grabOf(view), base); // hidden
        view.setOverlayVisible(true);
        const QImage on = grabOf(view);
        const QRect plot = view.plotRect();
        const int inX = view.xForSeconds(70 * hop), outX = view.xForSeconds(40 * hop), lateX = view.xForSeconds(85 * hop);
        const int lowY = plot.bottom() - plot.height() / 32, highY = plot.top() + 3; // lowY: about band 2
        QVERIFY(view.melAtY(lowY) >= 1 && view.melAtY(lowY) <= 6);
        QCOMPARE(QColor(on.pixel(inX, lowY)), QColor(0, 255, 0));
        QCOMPARE(on.pixel(inX, highY), base.pixel(inX, highY)); // high bands untouched: row 0 is the bottom
        QCOMPARE(on.pixel(outX, lowY), base.pixel(outX, lowY)); // before the overlay starts
        QCOMPARE(on.pixel(lateX, lowY), base.pixel(lateX, lowY)); // transparent part
        view.setOverlayVisible(false);
        QCOMPARE(grabOf(view), base);
        view.setOverlayVisible(true);
        view.clearOverlay();
        QVERIFY(!view.hasOverlay());
        QCOMPARE(grabOf(view), base);
    }

    void explainInAnalyze()
    {
        AnalyzeTab tab(&model_);
        tab.resize(900, 600);
        QSignalSpy explained(tab.saliency(), &SaliencyJob::finished);
        const QString first = clip("OAF_angry/OAF_back_angry.flac");
        tab.openFiles({first});
        QTRY_VERIFY_WITH_TIMEOUT(tab.result() && tab.result()->source == first, 60000);
        QVERIFY(!tab.spectrogram()->hasOverlay());
        QVERIFY(!tab.saliency()->isRunning()); // nothing computed while Explain is off
        tab.explainButton()->click();
        QVERIFY(tab.saliency()->isRunning() || explained.count() == 1); // started, not computed on this thread
        QTRY_VERIFY_WITH_TIMEOUT(tab.spectrogram()->hasOverlay(), 60000);
        QVERIFY(tab.spectrogram()->isOverlayVisible());
        QCOMPARE(explained.count(), 1);
        const auto r = explained.at(0).at(0).value<std::shared_ptr<const SaliencyResult>>();
        QCOMPARE(r->map.classIndex, tab.result()->top());
        QCOMPARE(r->map.frames, tab.result()->logMelDb.frames);

        // Plausible on real speech: the map sits on the word, not on the silence around it. Per frame, the mean map
        // value over voiced frames (within 30 dB of the clip's loudest) against quiet ones (50 dB or more below).
        const emoscope::MelMatrix& db = tab.result()->logMelDb;
        double onVoiced = 0, onQuiet = 0;
        int voiced = 0, quiet = 0;
        for (int t = 0; t < db.frames; ++t) {
            float loudest = -1000;
            double column = 0;
            for (int m = 0; m < db.nMels; ++m) {
                loudest = std::max(loudest, db.at(m, t));
                column += r->map.at(m, t);
            }
            if (loudest > -30)
                onVoiced += column, ++voiced;
            else if (loudest < -50)
                onQuiet += column, ++quiet;
        }
        QVERIFY(voiced > 0 && quiet > 0); // a TESS clip has silence before and after the word
        const double ratio = (onVoiced / voiced) / std::max(1e-9, onQuiet / quiet);
        qInfo("voiced frames %d, quiet frames %d; mean saliency per voiced frame / per quiet frame = %.2f", voiced, quiet,
              ratio);
        QVERIFY(ratio > 1.5);

        // A newer file supersedes: the old overlay goes at once, the new one comes for the new clip.
        const QString second = clip("YAF_sad/YAF_back_sad.flac");
        tab.openFiles({second});
        QTRY_VERIFY_WITH_TIMEOUT(tab.result() && tab.result()->source == second, 60000);
        QVERIFY(!tab.spectrogram()->hasOverlay() || explained.count() == 2);
        QTRY_VERIFY_WITH_TIMEOUT(tab.spectrogram()->hasOverlay(), 60000);
        QCOMPARE(explained.last().at(0).value<std::shared_ptr<const SaliencyResult>>()->source, second);
        tab.explainButton()->click();
        QVERIFY(!tab.spectrogram()->isOverlayVisible());

        // No speech, no verdict: nothing to explain, and it says so instead of mapping the network's answer to silence.
        QTemporaryDir dir;
        const QString silent = dir.filePath(QStringLiteral("silence.wav"));
        const std::vector<float> silence(3 * 16000, 0.0f);
        emoscope::writeWavAtomic(QFile::encodeName(silent).toStdString(), silence.data(), silence.size(), 16000);
        tab.openFiles({silent});
        QTRY_VERIFY_WITH_TIMEOUT(tab.result() && tab.result()->source == silent, 60000);
        QCOMPARE(tab.result()->status, emoscope::VerdictStatus::NoSpeech);
        const int before = int(explained.count());
        tab.explainButton()->click();
        QVERIFY(tab.explainButton()->isChecked());
        QVERIFY(!tab.saliency()->isRunning());
        QVERIFY2(tab.message().contains(QStringLiteral("no emotion to explain")), qPrintable(tab.message()));
        QTest::qWait(200);
        QCOMPARE(int(explained.count()), before);
        QVERIFY(!tab.spectrogram()->hasOverlay());
    }

    void browserExplainsSelectionAndFollowsColorMap()
    {
        MisclassifiedBrowser browser;
        browser.resize(700, 500);
        const QString file = clip("OAF_fear/OAF_back_fear.flac");
        emoscope::ClipResult c;
        c.file = file.toStdString();
        c.trueIndex = 2;
        c.predictedIndex = 0;
        c.probabilities = {0.6f, 0.0f, 0.4f, 0.0f, 0.0f, 0.0f, 0.0f};
        browser.setClips(QStringLiteral("fear as angry"), {c}, model_.classifier()->labels());

        // Thumbnails: drawn with the browser's colour map, redrawn when it changes.
        auto db = std::make_shared<emoscope::MelMatrix>(48, 120);
        for (int m = 0; m < 48; ++m)
            for (int t = 0; t < 120; ++t)
                db->at(m, t) = -80.0f + 80.0f * float(t) / 119.0f;
        browser.setThumbnail(file, std::shared_ptr<const emoscope::MelMatrix>(db));
        const auto thumb = [&] {
            return browser.table()->item(0, MisclassifiedBrowser::kThumbnailColumn)->data(Qt::DecorationRole).value<QPixmap>().toImage();
        };
        const QImage magma = thumb();
        browser.setColorMap(ColorMap(ColorMap::Name::Viridis));
        const QImage viridis = thumb();
        QVERIFY(magma != viridis);
        const QImage expected = ColorMap(ColorMap::Name::Viridis).render(*db);
        QCOMPARE(QColor(viridis.pixel(viridis.width() - 1, 0)), QColor(expected.pixel(expected.width() - 1, 0)));

        // Selecting the clip explains it with the model, for the label it predicted.
        browser.setExplainModel(model_.classifier());
        QSignalSpy explained(browser.saliency(), &SaliencyJob::finished);
        browser.show();
        browser.table()->setCurrentCell(0, 1);
        QTRY_VERIFY_WITH_TIMEOUT(browser.detailView()->hasOverlay(), 60000);
        QVERIFY(browser.detailView()->isVisible());
        QCOMPARE(explained.count(), 1);
        QCOMPARE(explained.at(0).at(0).value<std::shared_ptr<const SaliencyResult>>()->map.classIndex, 0);
        QVERIFY(browser.detailView()->isOverlayVisible());
        browser.explainBox()->setChecked(false);
        QVERIFY(!browser.detailView()->isOverlayVisible());
    }
};

QTEST_MAIN(TestSaliencyView)
#include "test_saliency_view.moc"
