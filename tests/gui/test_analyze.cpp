// SPDX-License-Identifier: GPL-3.0-or-later
// The Analyze tab end to end with the bundled model: a dropped TESS clip gives bars that sum to 1 and equal the
// CLI's probabilities; a bad file is reported by name and the next good file still works; several files fill
// the results table and export as CSV; a newer file supersedes an older one; and the GUI thread keeps
// processing events while a 60 s recording is analysed; a silent file shows "No speech detected" instead of the
// bars and a speech clip afterwards brings the bars back; timeline windows over silence get no points.
// EMOSCOPE_TEST_MODEL overrides the model (for running before models/emoscope.pt exists).
#include "TestData.h"

#include "audio/AudioDecoder.h"
#include "audio/WavWriter.h"
#include "engine/AnalysisEngine.h"
#include "engine/OverviewBuilder.h"
#include "engine/AudioPlayer.h"
#include "engine/CurrentModel.h"
#include "gui/AnalyzeTab.h"
#include "gui/EmotionColors.h"
#include "gui/EmotionBarsView.h"
#include "gui/MainWindow.h"
#include "gui/ModelCardDialog.h"
#include "gui/SpectrogramView.h"
#include "gui/TimelineChartView.h"
#include "infer/Classifier.h"

#include <algorithm>
#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineSeries>
#include <QMimeData>
#include <QProcess>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrl>
#include <cmath>
#include <numbers>
#include <numeric>
#include <random>

namespace {
QString modelPath()
{
    const QString env = qEnvironmentVariable("EMOSCOPE_TEST_MODEL");
    return env.isEmpty() ? testdata::bundledModel() : env;
}
QString clip(const char* relative)
{
    return testdata::tessDir() + QLatin1Char('/') + QLatin1String(relative);
}
std::shared_ptr<const AnalysisResult> waitForResult(AnalyzeTab* tab, const QString& source, int timeoutMs = 60000)
{
    QElapsedTimer timer;
    timer.start();
    QSignalSpy spy(tab, &AnalyzeTab::analysisShown);
    while (timer.elapsed() < timeoutMs) {
        if (tab->result() && tab->result()->source == source && !tab->engine()->isBusy())
            return tab->result();
        // A failed open is shown by its message only: the tab keeps the previous result (issue 9).
        for (const QList<QVariant>& shown : spy) {
            const auto r = shown.at(0).value<std::shared_ptr<const AnalysisResult>>();
            if (r && r->source == source && !r->ok() && !tab->engine()->isBusy())
                return r;
        }
        spy.wait(200);
    }
    return nullptr;
}
// What `emoscope-cli classify --json` says: label -> probability.
QJsonObject cliProbabilities(const QString& file, QString* topLabel)
{
    QProcess cli;
    cli.start(testdata::cliPath(), {QStringLiteral("classify"), QStringLiteral("--json"), QStringLiteral("--model"),
                                    modelPath(), file});
    if (!cli.waitForFinished(120000) || cli.exitCode() != 0)
        return {};
    const QJsonObject line = QJsonDocument::fromJson(cli.readAllStandardOutput().trimmed()).object();
    *topLabel = line.value(QStringLiteral("label")).toString();
    return line.value(QStringLiteral("probabilities")).toObject();
}
} // namespace

class TestAnalyze : public QObject {
    Q_OBJECT
private:
    CurrentModel model_;
    std::unique_ptr<MainWindow> window_;
    QTemporaryDir tmp_;

    AnalyzeTab* tab() { return window_->analyzeTab(); }

    void drop(const QStringList& files)
    {
        QMimeData mime;
        QList<QUrl> urls;
        for (const QString& f : files)
            urls << QUrl::fromLocalFile(f);
        mime.setUrls(urls);
        const QPointF at = QPointF(window_->rect().center());
        QDragEnterEvent enter(at.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(window_.get(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent event(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(window_.get(), &event);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(QFileInfo::exists(modelPath()), qPrintable(modelPath()));
        QVERIFY2(QFileInfo::exists(testdata::cliPath()), "EMOSCOPE_CLI must name emoscope-cli");
        QVERIFY(tmp_.isValid());
        QVERIFY2(model_.loadNow(modelPath()), qPrintable(modelPath()));
        window_ = std::make_unique<MainWindow>(&model_);
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    }
    void cleanupTestCase() { window_.reset(); }

    void droppedClipMatchesCli()
    {
        const QString file = clip("OAF_angry/OAF_back_angry.flac");
        drop({file});
        const auto result = waitForResult(tab(), file);
        QVERIFY(result);
        QVERIFY2(result->ok(), qPrintable(result->error));

        const std::vector<float>& bars = tab()->bars()->probabilities();
        QCOMPARE(int(bars.size()), int(model_.classifier()->labels().size()));
        QCOMPARE(tab()->bars()->labels(), result->labels);
        const double sum = std::accumulate(bars.begin(), bars.end(), 0.0);
        QVERIFY2(std::abs(sum - 1.0) < 1e-4, qPrintable(QString::number(sum)));

        QString cliTop;
        const QJsonObject cli = cliProbabilities(file, &cliTop);
        QCOMPARE(cli.size(), int(bars.size()));
        for (int i = 0; i < result->labels.size(); ++i) {
            const double expected = cli.value(result->labels[i]).toDouble(-1);
            QVERIFY2(std::abs(double(bars[std::size_t(i)]) - expected) < 1e-4,
                     qPrintable(QStringLiteral("%1: GUI %2, CLI %3").arg(result->labels[i]).arg(bars[std::size_t(i)]).arg(expected)));
        }
        QVERIFY2(tab()->topEmotionLabel()->text().startsWith(cliTop), qPrintable(tab()->topEmotionLabel()->text()));
        // The views were given the clip.
        QVERIFY(result->logMelDb.frames > 0);
        QCOMPARE(int(result->melCentresHz.size()), result->logMelDb.nMels);
        QVERIFY(result->timeline.empty()); // shorter than one 2.5 s window
        // Without a timeline the views leave no empty band: the spectrogram reaches down to the scroll bar.
        QVERIFY(!tab()->timeline()->isVisible());
        QTest::qWait(50);
        const int spectrogramBottom =
            tab()->spectrogram()->mapTo(window_.get(), QPoint(0, tab()->spectrogram()->height())).y();
        const int scrollBarTop = tab()->timeScrollBar()->mapTo(window_.get(), QPoint(0, 0)).y();
        QVERIFY2(scrollBarTop - spectrogramBottom <= 12,
                 qPrintable(QStringLiteral("%1 px between the spectrogram and the scroll bar")
                                .arg(scrollBarTop - spectrogramBottom)));
    }

    void badFileIsNamedAndNextFileWorks()
    {
        const QString bad = tmp_.filePath(QStringLiteral("not-really-audio.wav"));
        {
            QFile f(bad);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("this is a text file pretending to be a WAV\n");
        }
        const auto before = tab()->result(); // what an earlier test left on screen, if anything
        window_->openFiles({bad});
        const auto failed = waitForResult(tab(), bad);
        QVERIFY(failed);
        QVERIFY(!failed->ok());
        QVERIFY2(tab()->message().contains(QStringLiteral("not-really-audio.wav")), qPrintable(tab()->message()));
        // The failed open leaves the analysis on screen as it was (issue 9): still the previous file, its bars.
        const double shownSum = std::accumulate(tab()->bars()->probabilities().begin(), tab()->bars()->probabilities().end(), 0.0);
        if (before && before->ok()) {
            QCOMPARE(tab()->result(), before);
            QVERIFY(std::abs(shownSum - 1.0) < 1e-4);
        } else {
            QCOMPARE(shownSum, 0.0);
        }

        const QString good = clip("YAF_happy/YAF_back_happy.flac");
        window_->openFiles({good});
        const auto ok = waitForResult(tab(), good);
        QVERIFY(ok);
        QVERIFY2(ok->ok(), qPrintable(ok->error));
        QVERIFY(!tab()->message().contains(QStringLiteral("not-really-audio")));
        const double sum = std::accumulate(tab()->bars()->probabilities().begin(), tab()->bars()->probabilities().end(), 0.0);
        QVERIFY(std::abs(sum - 1.0) < 1e-4);
    }

    void severalFilesFillTheTableAndExport()
    {
        const QStringList files{clip("OAF_sad/OAF_back_sad.flac"), clip("YAF_fear/YAF_back_fear.flac"),
                                tmp_.filePath(QStringLiteral("missing.wav"))};
        QSignalSpy batch(tab(), &AnalyzeTab::batchShown);
        drop(files);
        QVERIFY(batch.wait(120000));
        QTableWidget* table = tab()->resultsTable();
        QCOMPARE(table->rowCount(), 3);
        QVERIFY(table->columnCount() >= 3 + 7);
        QVERIFY(table->item(2, 1)->text().contains(QStringLiteral("missing.wav")));
        const auto result = tab()->batch();
        QVERIFY(result);
        for (int r = 0; r < 2; ++r) {
            const auto& p = result->rows[std::size_t(r)].probabilities;
            QCOMPARE(table->item(r, 1)->text(), EmotionColors::displayName(result->labels[result->rows[std::size_t(r)].top()]));
            QVERIFY(std::abs(std::accumulate(p.begin(), p.end(), 0.0) - 1.0) < 1e-4);
        }
        const QString csvPath = tmp_.filePath(QStringLiteral("results.csv"));
        QCOMPARE(tab()->exportCsv(csvPath), QString());
        QFile csv(csvPath);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csv.readAll()).trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 4);
        QVERIFY(lines[0].startsWith(QStringLiteral("file,top_emotion,confidence,")));
        QVERIFY(lines[1].contains(QStringLiteral("OAF_back_sad.flac")));
        QCOMPARE(lines[1].split(QLatin1Char(',')).value(3 + 0).toDouble(), // first label's probability
                 QString::number(result->rows[0].probabilities[0], 'f', 6).toDouble());
        QVERIFY(lines[3].contains(QStringLiteral("missing.wav")));
        // The first file is then shown in detail.
        QVERIFY(waitForResult(tab(), files[0]));
    }

    void silenceShowsNoSpeech()
    {
        const std::vector<float> silence(std::size_t(22050) * 3, 0.0f);
        const QString file = tmp_.filePath(QStringLiteral("silence-3s.wav"));
        emoscope::writeWavAtomic(QFile::encodeName(file).toStdString(), silence.data(), silence.size(), 22050);
        window_->openFiles({file});
        const auto result = waitForResult(tab(), file);
        QVERIFY(result);
        QVERIFY2(result->ok(), qPrintable(result->error));
        QCOMPARE(QString(emoscope::toString(result->status)), QStringLiteral("no_speech"));
        QCOMPARE(tab()->topEmotionLabel()->text(), QStringLiteral("No speech detected"));
        QVERIFY(tab()->noSpeechLabel()->isVisible());
        // Digital silence is drawn at the spectrogram's floor (dark), not at 0 dB ("as loud as the loudest").
        QVERIFY(!result->logMelDb.data.empty());
        QVERIFY(std::all_of(result->logMelDb.data.begin(), result->logMelDb.data.end(), [](float db) { return db <= -79.9f; }));
        QVERIFY(!tab()->bars()->isVisible());
        // 3 s is longer than one timeline window, but none has speech: no empty chart under the spectrogram.
        QVERIFY(!result->timeline.empty());
        QVERIFY(!tab()->timeline()->isVisible());

        const QString speech = clip("OAF_angry/OAF_back_angry.flac");
        window_->openFiles({speech});
        const auto ok = waitForResult(tab(), speech);
        QVERIFY(ok);
        QCOMPARE(QString(emoscope::toString(ok->status)), QStringLiteral("ok"));
        QVERIFY(tab()->bars()->isVisible());
        QVERIFY(!tab()->noSpeechLabel()->isVisible());
        QVERIFY(tab()->topEmotionLabel()->text() != QStringLiteral("No speech detected"));
    }

    // The long-file overview likewise: digital silence at the floor, and a tone after silence still 0 dB at its
    // loudest with the silence at the floor.
    void overviewOfSilenceIsDark()
    {
        const emoscope::FeatureConfig config;
        const std::vector<float> silence(std::size_t(config.sampleRate) * 20, 0.0f);
        OverviewBuilder quiet(config, 20);
        quiet.push(silence.data(), silence.size());
        const emoscope::MelMatrix dark = quiet.spectrogramDb();
        QVERIFY(!dark.data.empty());
        QVERIFY(std::all_of(dark.data.begin(), dark.data.end(), [](float db) { return db <= -79.9f; }));

        std::vector<float> tone(silence.size());
        for (std::size_t i = 0; i < tone.size(); ++i)
            tone[i] = 0.5f * float(std::sin(2 * M_PI * 440.0 * double(i) / config.sampleRate));
        OverviewBuilder mixed(config, 40);
        mixed.push(silence.data(), silence.size());
        mixed.push(tone.data(), tone.size());
        const emoscope::MelMatrix m = mixed.spectrogramDb();
        QCOMPARE(*std::max_element(m.data.begin(), m.data.end()), 0.0f);
        QVERIFY(*std::min_element(m.data.begin(), m.data.end()) >= -80.0f);
        QVERIFY(m.at(0, 0) <= -79.9f); // the first column is silence
    }

    void timelineBreaksWhereThereIsNoSpeech()
    {
        // 3 s silence, a TESS clip, 3 s silence: the clip is ok overall, windows over silence alone are no_speech
        // and get no point on the timeline.
        const emoscope::AudioBuffer speech = emoscope::loadAudio(clip("OAF_angry/OAF_back_angry.flac").toStdString());
        std::vector<float> samples(std::size_t(speech.sampleRate) * 3, 0.0f);
        samples.insert(samples.end(), speech.samples.begin(), speech.samples.end());
        samples.resize(samples.size() + std::size_t(speech.sampleRate) * 3, 0.0f);
        const QString file = tmp_.filePath(QStringLiteral("silence-speech-silence.wav"));
        emoscope::writeWavAtomic(QFile::encodeName(file).toStdString(), samples.data(), samples.size(), speech.sampleRate);
        window_->openFiles({file});
        const auto result = waitForResult(tab(), file);
        QVERIFY(result);
        QCOMPARE(QString(emoscope::toString(result->status)), QStringLiteral("ok"));
        QVERIFY(tab()->bars()->isVisible());
        int speechWindows = 0, silentWindows = 0;
        for (const auto& w : result->timeline)
            (w.status == emoscope::VerdictStatus::NoSpeech ? silentWindows : speechWindows) += 1;
        QVERIFY2(speechWindows > 0 && silentWindows > 0, qPrintable(QStringLiteral("%1 / %2").arg(speechWindows).arg(silentWindows)));
        QVERIFY(result->timeline.front().status == emoscope::VerdictStatus::NoSpeech);
        int points = 0, firstLabelSeries = 0;
        for (QAbstractSeries* series : tab()->timeline()->chart()->series())
            if (auto* line = qobject_cast<QLineSeries*>(series); line && line->name() == result->labels.front()) {
                points += int(line->count());
                ++firstLabelSeries;
            }
        QCOMPARE(points, speechWindows);
        QCOMPARE(tab()->timeline()->seriesCount(), result->labels.size());
        QVERIFY(firstLabelSeries >= 1);
    }

    void staysResponsiveWhileALongFileIsAnalysed()
    {
        // 60 s of speech-like sound: TESS clips are short, so a synthetic gliding harmonic tone with noise.
        const int rate = 22050;
        std::vector<float> samples(std::size_t(rate) * 60);
        std::mt19937 rng(1);
        std::normal_distribution<float> noise(0.0f, 0.01f);
        double phase = 0;
        for (std::size_t i = 0; i < samples.size(); ++i) {
            const double t = double(i) / rate;
            const double f0 = 150.0 + 60.0 * std::sin(2 * std::numbers::pi * 0.3 * t);
            phase += 2 * std::numbers::pi * f0 / rate;
            const double env = 0.5 + 0.5 * std::sin(2 * std::numbers::pi * 0.7 * t);
            samples[i] = float(0.3 * env * (std::sin(phase) + 0.5 * std::sin(2 * phase) + 0.25 * std::sin(3 * phase))) + noise(rng);
        }
        const QString longFile = tmp_.filePath(QStringLiteral("long-60s.wav"));
        emoscope::writeWavAtomic(QFile::encodeName(longFile).toStdString(), samples.data(), samples.size(), rate);

        QElapsedTimer clock;
        qint64 last = 0, worstGap = 0; // from the moment the file is opened, not from the first tick
        int ticks = 0;
        QTimer ticker;
        ticker.setInterval(10);
        connect(&ticker, &QTimer::timeout, this, [&] {
            const qint64 now = clock.elapsed();
            worstGap = std::max(worstGap, now - last);
            last = now;
            ++ticks;
        });
        clock.start();
        ticker.start();
        window_->openFiles({longFile});
        const auto result = waitForResult(tab(), longFile, 300000);
        QTest::qWait(300); // include drawing the result
        ticker.stop();
        QVERIFY(result);
        QVERIFY2(result->ok(), qPrintable(result->error));
        qInfo("analysed 60 s in %lld ms; %d ticks; longest gap between GUI timer ticks %lld ms", clock.elapsed(), ticks,
              worstGap);
        QVERIFY2(worstGap < 300, qPrintable(QStringLiteral("GUI thread blocked for %1 ms").arg(worstGap)));

        // Longer than one window: the timeline is shown with one line per emotion, and clicking it seeks.
        TimelineChartView* timeline = tab()->timeline();
        QVERIFY(timeline->isVisible());
        QCOMPARE(timeline->seriesCount(), result->labels.size());
        QVERIFY(result->timeline.size() > 100);
        const QRectF plot = timeline->chart()->plotArea();
        const QPoint click = timeline->mapFromScene(QPointF(plot.left() + plot.width() * 0.75, plot.center().y()));
        const double expected = timeline->secondsAt(click);
        QVERIFY(expected > 30 && expected < 60);
        QTest::mouseClick(timeline->viewport(), Qt::LeftButton, Qt::NoModifier, click);
        QVERIFY2(std::abs(tab()->player()->positionSeconds() - expected) < 0.05,
                 qPrintable(QStringLiteral("%1 vs %2").arg(tab()->player()->positionSeconds()).arg(expected)));
    }

    void badModelKeepsTheCurrentOne()
    {
        const QString before = model_.path();
        const QString bogus = tmp_.filePath(QStringLiteral("bogus-model.pt"));
        {
            QFile f(bogus);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("not a model");
        }
        QSignalSpy failed(&model_, &CurrentModel::failed);
        window_->openModel(bogus);
        QVERIFY(failed.wait(30000));
        QVERIFY2(failed.first().first().toString().contains(QStringLiteral("bogus-model.pt")),
                 qPrintable(failed.first().first().toString()));
        QCOMPARE(model_.path(), before);
        QVERIFY(tab()->message().contains(QStringLiteral("bogus-model.pt")));
        // The model card describes the model still in use.
        const QString card = ModelCardDialog::describe(model_);
        for (const std::string& label : model_.classifier()->labels())
            QVERIFY(card.contains(QString::fromStdString(label)));
        QVERIFY(card.contains(QFileInfo(before).fileName()));
    }

    void newerFileSupersedesOlder()
    {
        const QString longFile = tmp_.filePath(QStringLiteral("long-60s.wav"));
        QVERIFY(QFileInfo::exists(longFile));
        const QString shortFile = clip("OAF_neutral/OAF_back_neutral.flac");
        QSignalSpy shown(tab(), &AnalyzeTab::analysisShown);
        window_->openFiles({longFile});
        window_->openFiles({shortFile});
        QVERIFY(waitForResult(tab(), shortFile));
        QTest::qWait(3000); // time for the superseded job to finish or notice its cancellation
        for (const auto& args : shown) {
            const auto r = args.at(0).value<std::shared_ptr<const AnalysisResult>>();
            QVERIFY2(r->source != longFile, "a superseded job's result reached the views");
        }
        QCOMPARE(tab()->result()->source, shortFile);
    }
};

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("EmoscopeTests"));
    QApplication::setApplicationName(QStringLiteral("test_analyze"));
    emoscope::setComputeThreads(0);
    TestAnalyze test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_analyze.moc"
