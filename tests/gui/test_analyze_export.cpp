// SPDX-License-Identifier: GPL-3.0-or-later
// Analyze's exports (issue 10 item 3) against emoscope-cli for the same file: a 12 s WAV of TESS clips (timeline of
// 20 windows). Probabilities as CSV/JSON equal `classify --csv/--json`, the timeline as CSV/JSON equals
// `timeline --csv/--json` (same header, fields, labels and statuses; numbers to the printed precision), the PNG is the
// spectrogram view's own pixels, and a write that fails names the file. Then the headline of a 70 s file of seven
// emotions in 10 s blocks: the tab shows "Mixed" and the segments the CLI reports. Export follows the bars: while they
// show a selection's result, the probabilities exported are `classify` of the cut-out audio, named after the file,
// with the selection's start and end; back on the whole file, the whole file's again. The batch progress bar is wide
// enough for its "n / N files" text.
#include "CliRun.h"
#include "TestData.h"

#include "audio/AudioDecoder.h"
#include "audio/WavWriter.h"
#include "engine/AnalysisEngine.h"
#include "engine/CurrentModel.h"
#include "gui/AnalyzeTab.h"
#include "gui/EmotionColors.h"
#include "gui/SpectrogramView.h"
#include "gui/TimeViewport.h"
#include "infer/Classifier.h"
#include "train/Dataset.h"
#include "util/Argmax.h"

#include <QApplication>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QJsonObject>
#include <QLabel>
#include <QProgressBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace {
constexpr int kRate = 22050;
std::string core(const QString& path) { return QFile::encodeName(path).toStdString(); }

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Two CSV texts with the same lines and fields; numeric fields equal to within `tolerance`.
void compareCsv(const QByteArray& gui, const QByteArray& cli, double tolerance)
{
    const QList<QByteArray> a = gui.trimmed().split('\n'), b = cli.trimmed().split('\n');
    QCOMPARE(a.size(), b.size());
    QCOMPARE(a.first(), b.first()); // the header
    for (int i = 1; i < a.size(); ++i) {
        const QList<QByteArray> fa = a[i].split(','), fb = b[i].split(',');
        QCOMPARE(fa.size(), fb.size());
        for (int k = 0; k < fa.size(); ++k) {
            bool na = false, nb = false;
            const double va = fa[k].toDouble(&na), vb = fb[k].toDouble(&nb);
            if (na && nb)
                QVERIFY2(std::abs(va - vb) <= tolerance, (a[i] + " vs " + b[i]).constData());
            else
                QCOMPARE(fa[k], fb[k]);
        }
    }
}

// Two JSON values equal, numbers to within `tolerance`.
bool sameJson(const QJsonValue& a, const QJsonValue& b, double tolerance)
{
    if (a.isDouble() && b.isDouble())
        return std::abs(a.toDouble() - b.toDouble()) <= tolerance;
    if (a.type() != b.type())
        return false;
    if (a.isObject()) {
        const QJsonObject oa = a.toObject(), ob = b.toObject();
        if (oa.keys() != ob.keys())
            return false;
        for (const QString& k : oa.keys())
            if (!sameJson(oa.value(k), ob.value(k), tolerance))
                return false;
        return true;
    }
    if (a.isArray()) {
        const QJsonArray aa = a.toArray(), ab = b.toArray();
        if (aa.size() != ab.size())
            return false;
        for (int i = 0; i < aa.size(); ++i)
            if (!sameJson(aa[i], ab[i], tolerance))
                return false;
        return true;
    }
    return a == b;
}
} // namespace

class TestAnalyzeExport : public QObject {
    Q_OBJECT

    CurrentModel model_;
    std::unique_ptr<AnalyzeTab> tab_;
    QTemporaryDir tmp_;
    QString file_; // 12 s of TESS speech
    std::map<std::string, std::vector<std::vector<float>>> clips_; // label -> TESS test clips the model gets right

    std::shared_ptr<const AnalysisResult> analyze(const QString& file)
    {
        tab_->openFiles({file});
        for (int i = 0; i < 1200; ++i) {
            if (tab_->result() && tab_->result()->source == file && !tab_->engine()->isBusy())
                return tab_->result();
            QTest::qWait(100);
        }
        return nullptr;
    }

    QString exportTo(AnalyzeTab::ExportKind kind, const QString& name)
    {
        const QString path = tmp_.filePath(name);
        QSignalSpy done(tab_.get(), &AnalyzeTab::exportFinished);
        tab_->exportResult(kind, path);
        if (!done.wait(30000))
            return QStringLiteral("no exportFinished");
        return done.first().at(1).toString().isEmpty() ? path : QStringLiteral("error: ") + done.first().at(1).toString();
    }

    QByteArray cli(const QStringList& args)
    {
        const testdata::CliRun run = testdata::runCli(QStringList{args.first(), QStringLiteral("--model"), testdata::bundledModel()}
                                                      + args.mid(1));
        return run.exitCode == 0 ? run.out : QByteArray("exit ") + QByteArray::number(run.exitCode) + run.err;
    }

    QString writeWav(const QString& name, const std::vector<std::string>& labels, double blockSeconds)
    {
        std::vector<float> samples;
        for (const std::string& label : labels) {
            std::vector<float> block;
            for (std::size_t k = 0; block.size() < std::size_t(blockSeconds * kRate); ++k) {
                const auto& c = clips_[label][k % clips_[label].size()];
                block.insert(block.end(), c.begin(), c.end());
                block.resize(block.size() + std::size_t(0.3 * kRate), 0.0f);
            }
            block.resize(std::size_t(blockSeconds * kRate));
            samples.insert(samples.end(), block.begin(), block.end());
        }
        const QString path = tmp_.filePath(name);
        emoscope::writeWavAtomic(core(path), samples.data(), samples.size(), kRate);
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(tmp_.isValid());
        QVERIFY2(QFileInfo::exists(testdata::cliPath()), "EMOSCOPE_CLI must name emoscope-cli");
        QVERIFY2(model_.loadNow(testdata::bundledModel()), qPrintable(testdata::bundledModel()));
        const auto model = model_.classifier();
        emoscope::ScanOptions scan;
        scan.probeFiles = false;
        emoscope::DecodeOptions decode;
        decode.targetSampleRate = kRate;
        for (const emoscope::Clip& c : emoscope::scanDataset(core(testdata::tessDir()), scan).clips) {
            if (c.fixedSplit != "test" || clips_[c.label].size() >= 3)
                continue;
            emoscope::AudioBuffer audio = emoscope::loadAudio(c.path, decode);
            const emoscope::Verdict v = model->judge(audio);
            if (v.status == emoscope::VerdictStatus::Ok && model->labels()[std::size_t(emoscope::argmax(v.probabilities))] == c.label)
                clips_[c.label].push_back(std::move(audio.samples));
        }
        for (const auto& label : model->labels())
            QVERIFY2(clips_[label].size() >= 2, label.c_str());
        file_ = writeWav(QStringLiteral("twelve.wav"), {"happy"}, 12.0);
        tab_ = std::make_unique<AnalyzeTab>(&model_);
        tab_->resize(1000, 700);
        tab_->show();
        QVERIFY(QTest::qWaitForWindowExposed(tab_.get()));
        const auto r = analyze(file_);
        QVERIFY(r && r->ok());
        QVERIFY(r->timeline.size() > 10);
    }
    void cleanupTestCase() { tab_.reset(); }

    void probabilitiesEqualClassify()
    {
        const QString csv = exportTo(AnalyzeTab::ExportKind::ProbabilitiesCsv, QStringLiteral("p.csv"));
        QVERIFY2(!csv.startsWith(QStringLiteral("error")), qPrintable(csv));
        compareCsv(readAll(csv), cli({QStringLiteral("classify"), QStringLiteral("--csv"), file_}), 2e-6);
        const QString json = exportTo(AnalyzeTab::ExportKind::ProbabilitiesJson, QStringLiteral("p.json"));
        const QJsonObject gui = QJsonDocument::fromJson(readAll(json)).object();
        const QJsonObject reference = QJsonDocument::fromJson(cli({QStringLiteral("classify"), QStringLiteral("--json"), file_})).object();
        QVERIFY(!reference.isEmpty());
        QCOMPARE(gui.keys(), reference.keys());
        QVERIFY2(sameJson(gui, reference, 1e-5), readAll(json).constData());
    }

    void timelineEqualsTimeline()
    {
        const QString csv = exportTo(AnalyzeTab::ExportKind::TimelineCsv, QStringLiteral("t.csv"));
        QVERIFY2(!csv.startsWith(QStringLiteral("error")), qPrintable(csv));
        const QByteArray reference = cli({QStringLiteral("timeline"), file_, QStringLiteral("--csv")});
        QCOMPARE(readAll(csv).count('\n'), int(tab_->result()->timeline.size()) + 1);
        compareCsv(readAll(csv), reference, 2e-6);
        const QString json = exportTo(AnalyzeTab::ExportKind::TimelineJson, QStringLiteral("t.json"));
        const QJsonObject gui = QJsonDocument::fromJson(readAll(json)).object();
        const QJsonObject cliJson = QJsonDocument::fromJson(cli({QStringLiteral("timeline"), file_, QStringLiteral("--json")})).object();
        QVERIFY(!cliJson.isEmpty());
        QCOMPARE(gui.value("windows").toArray().size(), cliJson.value("windows").toArray().size());
        QVERIFY(sameJson(gui, cliJson, 1e-5));
    }

    void spectrogramPngIsTheView()
    {
        const QString png = exportTo(AnalyzeTab::ExportKind::SpectrogramPng, QStringLiteral("s.png"));
        QVERIFY2(!png.startsWith(QStringLiteral("error")), qPrintable(png));
        const QImage saved(png);
        QVERIFY(!saved.isNull());
        const QImage view = tab_->spectrogram()->grab().toImage().convertToFormat(saved.format());
        QCOMPARE(saved.size(), view.size());
        QVERIFY(saved == view);
    }

    void aFailedWriteNamesTheFile()
    {
        const QString path = tmp_.filePath(QStringLiteral("no-such-folder/t.csv"));
        QSignalSpy done(tab_.get(), &AnalyzeTab::exportFinished);
        tab_->exportResult(AnalyzeTab::ExportKind::TimelineCsv, path);
        QVERIFY(done.wait(30000));
        const QString error = done.first().at(1).toString();
        QVERIFY2(error.contains(path), qPrintable(error));
        QVERIFY(tab_->message().contains(path));
        QVERIFY(!QFile::exists(path));
    }

    void mixedFileShowsMixedWithTheSegments()
    {
        const auto model = model_.classifier();
        const QString file = writeWav(QStringLiteral("seven.wav"), model->labels(), 10.0);
        const auto r = analyze(file);
        QVERIFY(r && r->ok());
        QCOMPARE(tab_->topEmotionLabel()->text(), QStringLiteral("Mixed"));
        QVERIFY(tab_->segmentsLabel()->isVisible());
        const QJsonObject head = QJsonDocument::fromJson(cli({QStringLiteral("classify"), QStringLiteral("--json"), file}))
                                     .object().value("headline").toObject();
        QCOMPARE(head.value("kind").toString(), QStringLiteral("mixed"));
        // The CLI's text is "mixed: <segments>" with label codes: the tab lists the same segments, names spelled out.
        QString spelled = head.value("text").toString();
        for (const auto& label : model->labels()) {
            const QString code = QString::fromStdString(label);
            spelled.replace(QRegularExpression(QStringLiteral("\\b%1\\b").arg(code)), EmotionColors::displayName(code));
        }
        QCOMPARE(QStringLiteral("mixed: ") + tab_->segmentsLabel()->text(), spelled);
        int at = -1;
        for (const auto& label : model->labels()) { // every emotion, in the blocks' order
            const QString name = EmotionColors::displayName(QString::fromStdString(label));
            const int next = tab_->segmentsLabel()->text().indexOf(name + QLatin1Char(' '), at + 1);
            QVERIFY2(next > at, label.c_str());
            at = next;
        }
    }

    void probabilitiesFollowTheSelection()
    {
        const QString file = writeWav(QStringLiteral("happy-then-angry.wav"), {"happy", "angry"}, 6.0);
        const auto whole = analyze(file);
        QVERIFY(whole && whole->ok());
        tab_->timeViewport()->setSelection(6.5, 11.5); // inside the angry block
        const auto selection = tab_->timeViewport()->selection();
        QVERIFY(selection);
        QSignalSpy shown(tab_.get(), &AnalyzeTab::selectionAnalysisShown);
        tab_->classifySelection();
        QVERIFY(shown.count() > 0 || shown.wait(60000));
        QVERIFY(tab_->selectionResult() && tab_->selectionResult()->ok());

        // The reference: emoscope-cli on the same samples, cut from the file at the model's rate (float WAV: lossless).
        const int rate = model_.classifier()->featureConfig().sampleRate;
        QCOMPARE(whole->audio.sampleRate, rate);
        const auto& samples = whole->audio.samples;
        const std::size_t a = std::size_t(std::lround(selection->start * rate));
        const std::size_t b = std::min(samples.size(), std::size_t(std::lround(selection->end * rate)));
        const QString slice = tmp_.filePath(QStringLiteral("slice.wav"));
        emoscope::writeWavAtomic(core(slice), samples.data() + a, b - a, rate, true);
        const QString start = QString::number(selection->start, 'f', 3), end = QString::number(selection->end, 'f', 3);

        // CSV: the CLI's header and row for the slice, the file's name in place of the slice's, then start,end.
        const QString csv = exportTo(AnalyzeTab::ExportKind::ProbabilitiesCsv, QStringLiteral("sel.csv"));
        QVERIFY2(!csv.startsWith(QStringLiteral("error")), qPrintable(csv));
        QList<QByteArray> cliLines = cli({QStringLiteral("classify"), QStringLiteral("--csv"), slice}).trimmed().split('\n');
        QCOMPARE(cliLines.size(), 2);
        QVERIFY2(cliLines[1].startsWith(QFile::encodeName(slice) + ','), cliLines[1].constData());
        cliLines[0] += ",start,end";
        cliLines[1] = QFile::encodeName(file) + cliLines[1].mid(QFile::encodeName(slice).size()) + ','
            + start.toLatin1() + ',' + end.toLatin1();
        compareCsv(readAll(csv), cliLines.join('\n'), 2e-6);
        // Not the whole file's (half happy, half angry): its probabilities are other numbers.
        const QList<QByteArray> wholeRow = cli({QStringLiteral("classify"), QStringLiteral("--csv"), file}).trimmed().split('\n');
        QCOMPARE(wholeRow.size(), 2);
        const QList<QByteArray> exported = readAll(csv).trimmed().split('\n').value(1).split(','), other = wholeRow[1].split(',');
        double largest = 0; // fields 3.. are one probability per label
        for (int k = 3; k < 3 + int(whole->labels.size()); ++k)
            largest = std::max(largest, std::abs(exported.value(k).toDouble() - other.value(k).toDouble()));
        QVERIFY2(largest > 0.01, wholeRow[1].constData());

        // JSON: the CLI's object for the slice with "file" the file's, and "start"/"end" first.
        const QString json = exportTo(AnalyzeTab::ExportKind::ProbabilitiesJson, QStringLiteral("sel.json"));
        QVERIFY2(!json.startsWith(QStringLiteral("error")), qPrintable(json));
        const QByteArray raw = readAll(json);
        QVERIFY2(raw.startsWith("{\"start\":"), raw.constData());
        QJsonObject gui = QJsonDocument::fromJson(raw).object();
        QVERIFY2(std::abs(gui.value("start").toDouble() - selection->start) < 5e-4, raw.constData());
        QVERIFY2(std::abs(gui.value("end").toDouble() - selection->end) < 5e-4, raw.constData());
        QCOMPARE(gui.value("file").toString(), file);
        gui.remove(QStringLiteral("start"));
        gui.remove(QStringLiteral("end"));
        QJsonObject reference = QJsonDocument::fromJson(cli({QStringLiteral("classify"), QStringLiteral("--json"), slice})).object();
        QVERIFY(!reference.isEmpty());
        reference.insert(QStringLiteral("file"), file);
        QCOMPARE(gui.keys(), reference.keys());
        QVERIFY2(sameJson(gui, reference, 1e-5), raw.constData());

        // Back on the whole file: its probabilities, as `classify` writes them, with no start/end.
        tab_->showWholeFileResult();
        const QString again = exportTo(AnalyzeTab::ExportKind::ProbabilitiesCsv, QStringLiteral("whole.csv"));
        QVERIFY2(!again.startsWith(QStringLiteral("error")), qPrintable(again));
        compareCsv(readAll(again), wholeRow.join('\n'), 2e-6);
    }

    void batchProgressTextFits()
    {
        QStringList files;
        emoscope::ScanOptions scan;
        scan.probeFiles = false;
        for (const emoscope::Clip& c : emoscope::scanDataset(core(testdata::tessDir()), scan).clips)
            if (files.size() < 12)
                files << QFile::decodeName(QByteArray::fromStdString(c.path));
        auto* bar = tab_->findChild<QProgressBar*>(QStringLiteral("analysisProgress"));
        QVERIFY(bar);
        QString text;
        int width = 0, needed = 0;
        const auto connection = connect(tab_->engine(), &AnalysisEngine::batchProgress, this, [&](int done, int total) {
            if (!text.isEmpty() || done >= total || !bar->isVisible())
                return;
            text = bar->text();
            width = bar->width();
            needed = bar->fontMetrics().horizontalAdvance(text) + 2 * bar->fontMetrics().height();
        });
        QSignalSpy finished(tab_->engine(), &AnalysisEngine::batchFinished);
        tab_->openFiles(files);
        QVERIFY(finished.wait(120000));
        disconnect(connection);
        QVERIFY2(text.endsWith(QStringLiteral(" / %1 files").arg(files.size())), qPrintable(text));
        QVERIFY2(width >= needed, qPrintable(QStringLiteral("%1: %2 px, text needs %3").arg(text).arg(width).arg(needed)));
    }
};

QTEST_MAIN(TestAnalyzeExport)
#include "test_analyze_export.moc"
