// SPDX-License-Identifier: GPL-3.0-or-later
// What Analyze tells the user (issue 10, item 5), through the real window on a TESS clip: the window title names the
// file, the header gives the file's own sample rate (read here from the FLAC header bytes, not from the decoder),
// the active model's name shows and follows a model change, the dB legend sits beside the spectrogram and follows
// the colour map, label names are spelled out in the headline, and each bar is drawn in its emotion's colour.
#include "TestData.h"

#include "engine/AnalysisEngine.h"
#include "engine/CurrentModel.h"
#include "gui/AnalyzeTab.h"
#include "gui/ColorLegend.h"
#include "gui/EmotionBarsView.h"
#include "gui/EmotionColors.h"
#include "gui/MainWindow.h"
#include "gui/SpectrogramView.h"

#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

namespace {
// The sample rate in a FLAC file's STREAMINFO block: 20 bits right after "fLaC", the block header and 10 bytes.
int flacSampleRate(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray head = f.read(21);
    if (head.size() < 21 || !head.startsWith("fLaC"))
        return -1;
    const auto b = [&](int i) { return int(quint8(head[i])); };
    return (b(18) << 12) | (b(19) << 4) | (b(20) >> 4);
}

QString modelPath()
{
    const QString env = qEnvironmentVariable("EMOSCOPE_TEST_MODEL");
    return env.isEmpty() ? testdata::bundledModel() : env;
}
} // namespace

class TestClarity : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QVERIFY2(model_.loadNow(modelPath()), qPrintable(modelPath()));
        window_ = std::make_unique<MainWindow>(&model_);
        window_->resize(1000, 700);
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    }

    void analyzedClipIsDescribed()
    {
        const QString file = testdata::tessDir() + QStringLiteral("/YAF_ps/YAF_bath_ps.flac");
        const int nativeRate = flacSampleRate(file);
        QVERIFY2(nativeRate > 0, qPrintable(file));
        AnalyzeTab* tab = window_->analyzeTab();
        QSignalSpy shown(tab, &AnalyzeTab::analysisShown);
        window_->openFiles({file});
        QTRY_VERIFY_WITH_TIMEOUT(tab->result() && tab->result()->source == file && !tab->engine()->isBusy(), 60000);
        QVERIFY(tab->result()->ok());

        // Title: "YAF_bath_ps.flac — Emoscope" ([*] is Qt's placeholder for the unsaved-take mark).
        QCOMPARE(window_->windowTitle(), QStringLiteral("YAF_bath_ps.flac[*] — Emoscope"));
        // Header: the file's own rate, not the analysis rate.
        QVERIFY(nativeRate != tab->result()->audio.sampleRate);
        bool headerFound = false;
        for (QLabel* l : tab->findChildren<QLabel*>())
            if (l->text().startsWith(QStringLiteral("YAF_bath_ps.flac"))) {
                headerFound = true;
                QVERIFY2(l->text().contains(QStringLiteral("%1 Hz").arg(nativeRate)), qPrintable(l->text()));
            }
        QVERIFY(headerFound);

        // Headline: the spelled-out name of the top label, never the bare "ps".
        const int top = tab->result()->top();
        QVERIFY(top >= 0);
        const QString headline = tab->topEmotionLabel()->text();
        QVERIFY2(headline.contains(EmotionColors::displayName(tab->result()->labels[top])), qPrintable(headline));
        QVERIFY2(!headline.startsWith(QStringLiteral("ps ")), qPrintable(headline));

        // Each bar in its emotion's colour: sample the middle of every bar that is long enough to hit.
        EmotionBarsView* bars = tab->bars();
        const QImage image = bars->grab().toImage();
        const qreal dpr = image.devicePixelRatio();
        int sampled = 0;
        for (int i = 0; i < bars->labels().size(); ++i) {
            const QRect track = bars->barTrack(i);
            const int length = int(track.width() * bars->probabilities()[std::size_t(i)]);
            if (length < 4)
                continue;
            const QPoint at(track.left() + length / 2, track.center().y());
            QCOMPARE(QColor(image.pixel(int(at.x() * dpr), int(at.y() * dpr))).rgb(),
                     EmotionColors::color(bars->labels()[i], i).rgb());
            ++sampled;
        }
        QVERIFY(sampled >= 1);
    }

    void legendSitsBesideTheSpectrogramAndFollowsTheMap()
    {
        AnalyzeTab* tab = window_->analyzeTab();
        auto* legend = tab->findChild<ColorLegend*>(QStringLiteral("colorLegend"));
        QVERIFY(legend && legend->isVisible());
        SpectrogramView* spectrogram = tab->spectrogram();
        const QRect s(spectrogram->mapTo(tab, QPoint(0, 0)), spectrogram->size());
        const QRect l(legend->mapTo(tab, QPoint(0, 0)), legend->size());
        QVERIFY(l.left() >= s.right()); // to its right
        QVERIFY(l.top() < s.bottom() && l.bottom() > s.top()); // at its height
        QCOMPARE(legend->floorDb(), -80.0);
        QCOMPARE(legend->ceilDb(), 0.0);
        QCOMPARE(legend->ticks(), (QList<double>{0, -20, -40, -60, -80}));
        window_->setColorMap(QStringLiteral("viridis"));
        QCOMPARE(legend->colorMap().name(), QStringLiteral("viridis"));
        // The bar's top is the loudest colour of the map, its bottom the quietest.
        const QImage image = legend->grab().toImage();
        const qreal dpr = image.devicePixelRatio();
        const QRect bar = legend->barRect();
        const ColorMap viridis(ColorMap::Name::Viridis);
        QCOMPARE(QColor(image.pixel(int((bar.center().x()) * dpr), int((bar.top() + 1) * dpr))).rgb() & 0xffffff,
                 viridis.map(1.0 - 1.0 / (bar.height() - 1)) & 0xffffff);
        QCOMPARE(QColor(image.pixel(int((bar.center().x()) * dpr), int((bar.bottom() - 1) * dpr))).rgb() & 0xffffff,
                 viridis.map(1.0 / (bar.height() - 1)) & 0xffffff);
    }

    void modelNameFollowsTheCurrentModel()
    {
        auto* name = window_->analyzeTab()->findChild<QLabel*>(QStringLiteral("modelName"));
        QVERIFY(name);
        QCOMPARE(name->text(), QStringLiteral("Model: %1").arg(QFileInfo(modelPath()).fileName()));
        QTemporaryDir dir;
        const QString copy = dir.filePath(QStringLiteral("my-other-model.pt"));
        QVERIFY(QFile::copy(modelPath(), copy));
        QSignalSpy changed(&model_, &CurrentModel::changed);
        model_.loadAsync(copy);
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 60000);
        QCOMPARE(name->text(), QStringLiteral("Model: my-other-model.pt"));
        QCOMPARE(name->toolTip(), copy);
        // Let the re-analysis the new model starts finish before the window goes.
        QTRY_VERIFY_WITH_TIMEOUT(!window_->analyzeTab()->engine()->isBusy(), 60000);
    }

    void cleanupTestCase() { window_.reset(); }

private:
    CurrentModel model_;
    std::unique_ptr<MainWindow> window_;
};

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("EmoscopeTests"));
    QApplication::setApplicationName(QStringLiteral("test_clarity"));
    TestClarity test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_clarity.moc"
