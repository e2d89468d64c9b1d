// SPDX-License-Identifier: GPL-3.0-or-later
// The Train tab's exports: the bundled model evaluated on a few TESS clips through the real widgets, every export
// written and parsed back. The matrix must hold every scored clip, the recall of each label must be its diagonal over
// its row (recomputed here from the exported counts) and match what the per-class table shows, the JSON must agree
// with the CSV, and the PNG must load at its documented size with each emotion's colour mark on it. A write into a
// missing folder must fail with a message naming the file and leave nothing behind. The clip browser's thumbnails are
// drawn with the chosen colour map. At 1000x700 the browser shows the longest TESS file names whole (File column as
// wide as the name, in view without scrolling sideways, the full path as tooltip) and labels spelled out.
#include "TestData.h"

#include "engine/CurrentModel.h"
#include "engine/EvaluationController.h"
#include "gui/ConfusionMatrixView.h"
#include "gui/ColorMap.h"
#include "gui/EmotionColors.h"
#include "gui/MisclassifiedBrowser.h"
#include "gui/PerClassMetricsTable.h"
#include "gui/TrainSetupPanel.h"
#include "gui/TrainTab.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QHeaderView>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QApplication>
#include <QPixmap>
#include <QScrollBar>
#include <QSet>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <algorithm>
#include <memory>

namespace {
constexpr int kClipsPerEmotion = 3;
constexpr int kEmotions = 7;

QString modelPath()
{
    const QString env = qEnvironmentVariable("EMOSCOPE_TEST_MODEL");
    return env.isEmpty() ? testdata::bundledModel() : env;
}

QList<QStringList> readCsv(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    QList<QStringList> rows;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (!line.isEmpty())
            rows << QString::fromUtf8(line).split(QLatin1Char(',')); // no field here holds a comma
    return rows;
}

QJsonObject readJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

QString percentText(double fraction) { return QString::number(100.0 * fraction, 'f', 1) + QStringLiteral(" %"); }
} // namespace

class TestTrainExport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void exportsMatchTheShownEvaluation();
    void aFailedWriteNamesTheFileAndLeavesNothing();
    void thumbnailsUseTheChosenColourMap();
    void longestTessNamesFitAt1000x700();

private:
    QString exportTo(TrainTab::ExportKind kind, const QString& name);

    QTemporaryDir data_;
    QTemporaryDir out_;
    CurrentModel model_;
    std::unique_ptr<TrainTab> tab_;
};

void TestTrainExport::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(data_.isValid() && out_.isValid());
    const QDir tess(testdata::tessDir());
    QVERIFY2(tess.exists(), qPrintable(tess.path()));
    int linked = 0;
    for (const QString& folder : tess.entryList({QStringLiteral("YAF_*")}, QDir::Dirs, QDir::Name)) {
        QVERIFY(QDir(data_.path()).mkpath(folder));
        const QStringList clips = QDir(tess.filePath(folder)).entryList({QStringLiteral("*.flac"), QStringLiteral("*.wav")},
                                                                        QDir::Files, QDir::Name);
        QVERIFY(clips.size() >= kClipsPerEmotion);
        for (int i = 0; i < kClipsPerEmotion; ++i) {
            QVERIFY(QFile::link(tess.absoluteFilePath(folder + QLatin1Char('/') + clips[i]),
                                data_.filePath(folder + QLatin1Char('/') + clips[i])));
            ++linked;
        }
    }
    QCOMPARE(linked, kClipsPerEmotion * kEmotions);
    QVERIFY2(model_.loadNow(modelPath()), qPrintable(modelPath()));

    tab_ = std::make_unique<TrainTab>(&model_);
    tab_->resize(1000, 700);
    tab_->show();
    QVERIFY(QTest::qWaitForWindowExposed(tab_.get()));
    QVERIFY(!tab_->exportButton()->isEnabled()); // nothing to export yet

    tab_->setupPanel()->chooseFolder(data_.path());
    QTRY_VERIFY_WITH_TIMEOUT(tab_->dataset() != nullptr, 30000);
    QSignalSpy finished(tab_->evaluationController(), &EvaluationController::finished);
    QTest::mouseClick(tab_->evaluateButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
    QCOMPARE(finished.at(0).at(1).toString(), QString());
    QCOMPARE(tab_->shownReport().total(), kClipsPerEmotion * kEmotions);
    QVERIFY(tab_->exportButton()->isEnabled());
}

QString TestTrainExport::exportTo(TrainTab::ExportKind kind, const QString& name)
{
    const QString path = out_.filePath(name);
    QSignalSpy done(tab_.get(), &TrainTab::exported);
    tab_->exportResults(kind, path);
    if (!QTest::qWaitFor([&] { return done.count() == 1; }, 30000))
        return QStringLiteral("timed out");
    return done.at(0).at(1).toString();
}

void TestTrainExport::exportsMatchTheShownEvaluation()
{
    using Kind = TrainTab::ExportKind;
    QCOMPARE(exportTo(Kind::MetricsCsv, QStringLiteral("metrics.csv")), QString());
    QCOMPARE(exportTo(Kind::MetricsJson, QStringLiteral("metrics.json")), QString());
    QCOMPARE(exportTo(Kind::ConfusionCsv, QStringLiteral("confusion.csv")), QString());
    QCOMPARE(exportTo(Kind::ConfusionJson, QStringLiteral("confusion.json")), QString());
    QCOMPARE(exportTo(Kind::ConfusionPng, QStringLiteral("confusion.png")), QString());
    // Atomic writes leave no temporaries beside the targets.
    QCOMPARE(QDir(out_.path()).entryList(QDir::Files | QDir::Hidden, QDir::Name),
             (QStringList{"confusion.csv", "confusion.json", "confusion.png", "metrics.csv", "metrics.json"}));

    // Confusion CSV: one row per label, every linked clip counted once.
    const QList<QStringList> confusion = readCsv(out_.filePath(QStringLiteral("confusion.csv")));
    QCOMPARE(confusion.size(), 1 + kEmotions);
    QCOMPARE(confusion[0].first(), QStringLiteral("true\\predicted"));
    const QStringList labels = confusion[0].mid(1);
    QCOMPARE(labels.size(), kEmotions);
    QVector<QVector<int>> counts;
    int sum = 0;
    for (int r = 0; r < kEmotions; ++r) {
        QCOMPARE(confusion[1 + r].first(), labels[r]);
        QVector<int> row;
        for (int c = 0; c < kEmotions; ++c)
            row << confusion[1 + r][1 + c].toInt();
        int rowSum = 0;
        for (int v : row)
            rowSum += v;
        QCOMPARE(rowSum, kClipsPerEmotion); // each emotion's folder holds kClipsPerEmotion clips
        sum += rowSum;
        counts << row;
    }
    QCOMPARE(sum, kClipsPerEmotion * kEmotions);
    QCOMPARE(counts, tab_->confusionView()->counts()); // what the file holds is what is drawn

    // Metrics CSV: recall = diagonal / row, from the exported counts, and as the table shows it.
    const QList<QStringList> metrics = readCsv(out_.filePath(QStringLiteral("metrics.csv")));
    QCOMPARE(metrics.size(), 1 + kEmotions + 1);
    QCOMPARE(metrics[0], (QStringList{"label", "name", "precision", "recall", "f1", "n", "accuracy", "uar", "macro_f1"}));
    const QTableWidget* shown = tab_->perClassTable()->table();
    QCOMPARE(shown->rowCount(), kEmotions);
    double recallSum = 0;
    int diagonal = 0;
    for (int i = 0; i < kEmotions; ++i) {
        const QStringList& row = metrics[1 + i];
        QCOMPARE(row[0], labels[i]);
        QCOMPARE(row[1], EmotionColors::displayName(labels[i]));
        const double recall = row[3].toDouble();
        QVERIFY2(std::abs(recall - double(counts[i][i]) / kClipsPerEmotion) < 1e-6, qPrintable(row.join(',')));
        QCOMPARE(shown->item(i, 1)->text(), percentText(recall));
        QCOMPARE(shown->item(i, 0)->text(), percentText(row[2].toDouble()));
        QCOMPARE(row[5].toInt(), kClipsPerEmotion);
        QCOMPARE(shown->item(i, 3)->text(), row[5]);
        QCOMPARE(shown->verticalHeaderItem(i)->text(), EmotionColors::displayName(labels[i]));
        recallSum += recall;
        diagonal += counts[i][i];
    }
    const QStringList& all = metrics.last();
    QCOMPARE(all[0], QStringLiteral("all"));
    QCOMPARE(all[5].toInt(), kClipsPerEmotion * kEmotions);
    QVERIFY(std::abs(all[6].toDouble() - double(diagonal) / (kClipsPerEmotion * kEmotions)) < 1e-6);
    QVERIFY(std::abs(all[7].toDouble() - recallSum / kEmotions) < 1e-6); // UAR: mean recall (every label has clips)
    QVERIFY2(tab_->perClassTable()->summaryText().contains(QStringLiteral("UAR %1").arg(percentText(all[7].toDouble()))),
             qPrintable(tab_->perClassTable()->summaryText()));

    // The JSON files say the same.
    const QJsonObject metricsJson = readJson(out_.filePath(QStringLiteral("metrics.json")));
    QCOMPARE(metricsJson.value(QStringLiteral("total")).toInt(), kClipsPerEmotion * kEmotions);
    const QJsonObject confusionJson = readJson(out_.filePath(QStringLiteral("confusion.json")));
    for (int i = 0; i < kEmotions; ++i) {
        QVERIFY(std::abs(metricsJson[QStringLiteral("recall")][labels[i]].toDouble() - metrics[1 + i][3].toDouble()) < 1e-6);
        QCOMPARE(metricsJson[QStringLiteral("support")][labels[i]].toInt(), kClipsPerEmotion);
        QCOMPARE(confusionJson[QStringLiteral("labels")][i].toString(), labels[i]);
        QCOMPARE(confusionJson[QStringLiteral("names")][i].toString(), EmotionColors::displayName(labels[i]));
        for (int c = 0; c < kEmotions; ++c) {
            QCOMPARE(confusionJson[QStringLiteral("confusion")][i][c].toInt(), counts[i][c]);
            QCOMPARE(metricsJson[QStringLiteral("confusion")][i][c].toInt(), counts[i][c]);
        }
    }
    QCOMPARE(confusionJson[QStringLiteral("rows")].toString(), QStringLiteral("true"));

    // The PNG: its documented size, and each emotion's colour mark drawn on it.
    QImage png;
    QVERIFY(png.load(out_.filePath(QStringLiteral("confusion.png"))));
    QCOMPARE(png.size(), QSize(ConfusionMatrixView::kExportSide, ConfusionMatrixView::kExportSide));
    const QImage rgb = png.convertToFormat(QImage::Format_RGB32);
    for (int i = 0; i < kEmotions; ++i) {
        const QRgb mark = EmotionColors::color(labels[i], i).rgb();
        int found = 0;
        for (int y = 0; y < rgb.height(); ++y) {
            const auto* line = reinterpret_cast<const QRgb*>(rgb.constScanLine(y));
            for (int x = 0; x < rgb.width(); ++x)
                found += (line[x] & 0xffffff) == (mark & 0xffffff);
        }
        QVERIFY2(found >= 2 * 8 * 8, qPrintable(QStringLiteral("%1: %2 pixels").arg(labels[i]).arg(found))); // two marks
    }
}

void TestTrainExport::aFailedWriteNamesTheFileAndLeavesNothing()
{
    const QString path = out_.filePath(QStringLiteral("no-such-folder/metrics.csv"));
    QSignalSpy done(tab_.get(), &TrainTab::exported);
    tab_->exportResults(TrainTab::ExportKind::MetricsCsv, path);
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 30000);
    const QString error = done.at(0).at(1).toString();
    QVERIFY2(error.contains(path), qPrintable(error));
    QVERIFY2(tab_->statusText().contains(path), qPrintable(tab_->statusText()));
    QVERIFY(!QFile::exists(path));
}

void TestTrainExport::thumbnailsUseTheChosenColourMap()
{
    // Every pixel of a thumbnail is an entry of the chosen map's table (nearest-neighbour scaling keeps them exact).
    const ColorMap viridis(ColorMap::Name::Viridis), magma(ColorMap::Name::Magma);
    QSet<QRgb> viridisColours, magmaColours;
    for (int i = 0; i < 256; ++i) {
        viridisColours.insert(viridis.map(i / 255.0) | 0xff000000u);
        magmaColours.insert(magma.map(i / 255.0) | 0xff000000u);
    }
    tab_->setColorMap(viridis);
    tab_->showCell(0, 0);
    MisclassifiedBrowser* browser = tab_->clipBrowser();
    QVERIFY(!browser->files().isEmpty());
    const QString first = browser->files().first();
    QTRY_VERIFY_WITH_TIMEOUT(browser->hasThumbnail(first), 30000);
    const QImage thumb = browser->table()->item(0, 0)->data(Qt::DecorationRole).value<QPixmap>().toImage()
                             .convertToFormat(QImage::Format_ARGB32);
    int inViridis = 0, inMagma = 0, total = 0;
    for (int y = 0; y < thumb.height(); ++y)
        for (int x = 0; x < thumb.width(); ++x, ++total) {
            const QRgb c = thumb.pixel(x, y) | 0xff000000u;
            inViridis += viridisColours.contains(c);
            inMagma += magmaColours.contains(c);
        }
    QVERIFY(total > 0);
    QVERIFY2(inViridis == total && inMagma < total / 2,
             qPrintable(QStringLiteral("%1 of %2 pixels viridis, %3 magma").arg(inViridis).arg(total).arg(inMagma)));
}

void TestTrainExport::longestTessNamesFitAt1000x700()
{
    // The three longest names in TESS (folders <speaker>_<label>), listed as if evaluated: true label from the folder.
    const std::vector<std::string>& labels = tab_->shownReport().labels;
    QStringList longest;
    QDirIterator it(testdata::tessDir(), {QStringLiteral("*.flac"), QStringLiteral("*.wav")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        longest << it.next();
    std::sort(longest.begin(), longest.end(), [](const QString& a, const QString& b) {
        return QFileInfo(a).fileName().size() > QFileInfo(b).fileName().size();
    });
    longest = longest.mid(0, 3);
    QCOMPARE(longest.size(), 3);
    std::vector<emoscope::ClipResult> clips;
    for (const QString& path : longest) {
        const std::string label = QFileInfo(path).dir().dirName().section(QLatin1Char('_'), 1).toStdString();
        const auto found = std::find(labels.begin(), labels.end(), label);
        QVERIFY2(found != labels.end(), label.c_str());
        const int index = int(found - labels.begin());
        clips.push_back({QFile::encodeName(path).toStdString(), index, (index + 1) % kEmotions,
                         std::vector<float>(kEmotions, 1.0f / kEmotions)});
    }
    tab_->resize(1000, 700);
    MisclassifiedBrowser* browser = tab_->clipBrowser();
    tab_->showCell(0, 0); // brings the browser to the front
    browser->setClips(QStringLiteral("longest names"), clips, labels);
    QTRY_VERIFY(browser->isVisible());
    QApplication::processEvents();
    QTableWidget* table = browser->table();
    const int column = MisclassifiedBrowser::kFileColumn;
    const int columnRight = table->columnViewportPosition(column) + table->columnWidth(column);
    for (int row = 0; row < int(clips.size()); ++row) {
        const QString name = QFileInfo(longest[row]).fileName();
        const int needed = table->fontMetrics().horizontalAdvance(name);
        QCOMPARE(table->item(row, column)->text(), name);
        QCOMPARE(table->item(row, column)->toolTip(), longest[row]);
        QVERIFY2(table->columnWidth(column) >= needed,
                 qPrintable(QStringLiteral("%1 needs %2 px, column %3").arg(name).arg(needed).arg(table->columnWidth(column))));
        const QString truth = QString::fromStdString(labels[std::size_t(clips[std::size_t(row)].trueIndex)]);
        QCOMPARE(table->item(row, MisclassifiedBrowser::kTrueColumn)->text(), EmotionColors::displayName(truth));
    }
    // In view as the tab opens: no sideways scrolling needed to read a name, and the thumbnail keeps its width.
    QCOMPARE(table->horizontalScrollBar()->value(), 0);
    QVERIFY2(columnRight <= table->viewport()->width(),
             qPrintable(QStringLiteral("File column ends at %1 px, the view is %2 px").arg(columnRight).arg(table->viewport()->width())));
    QCOMPARE(table->columnWidth(MisclassifiedBrowser::kThumbnailColumn), MisclassifiedBrowser::kThumbnailWidth);
    QVERIFY2(browser->width() >= browser->minimumSizeHint().width(),
             qPrintable(QStringLiteral("%1 < %2").arg(browser->width()).arg(browser->minimumSizeHint().width())));
}

QTEST_MAIN(TestTrainExport)
#include "test_train_export.moc"
