// SPDX-License-Identifier: GPL-3.0-or-later
// The Analyze tab's batch table (issue 10 item 4) on a labelled folder: TESS test clips linked under a temporary
// folder as <label>/clip_N.flac (folder per label, so the labels come from the folders as the dataset scanner reads
// them, not from TESS names). The true-label column equals the folder; each mark says whether the top emotion is the
// true label; the summary's accuracy is the mark count over the rows; a click on the Confidence header orders the
// rows by value and a row still opens its own file; the CSV gains true_label and correct; Cancel after the first
// progress report leaves fewer rows than files (those finished), the engine idle and the table in place. A labelled
// file without speech (3 s of silence in a folder named angry) names no emotion: no mark, no confidence, not scored,
// and the summary and the CSV say so.
#include "TestData.h"

#include "audio/WavWriter.h"
#include "engine/AnalysisEngine.h"
#include "engine/CurrentModel.h"
#include "gui/AnalyzeTab.h"
#include "gui/EmotionColors.h"
#include "gui/NumericTableItem.h"
#include "gui/VerdictText.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

namespace {
constexpr int kClipsPerLabel = 5;
const QStringList kLabels{"angry", "disgust", "fear", "happy", "neutral", "ps", "sad"};
} // namespace

class TestBatchTable : public QObject {
    Q_OBJECT

    CurrentModel model_;
    std::unique_ptr<AnalyzeTab> tab_;
    QTemporaryDir tmp_; // under /tmp
    QStringList files_;
    QHash<QString, QString> folderLabel_; // link path -> the folder it was put in

    void waitForIdle()
    {
        for (int i = 0; i < 600 && tab_->engine()->isBusy(); ++i)
            QTest::qWait(100);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(tmp_.isValid());
        QVERIFY2(model_.loadNow(testdata::bundledModel()), qPrintable(testdata::bundledModel()));
        // TESS's own test split: the folder OAF_<label> / YAF_<label>, first clips of each label.
        QFile split(testdata::tessDir() + QStringLiteral("/split.csv"));
        QVERIFY(split.open(QIODevice::ReadOnly));
        QHash<QString, int> taken;
        for (const QByteArray& line : split.readAll().split('\n')) {
            const QList<QByteArray> f = line.trimmed().split(',');
            if (f.size() != 2 || f[1] != "test")
                continue;
            const QString relative = QString::fromUtf8(f[0]);
            const QString label = relative.section(QLatin1Char('/'), 0, 0).section(QLatin1Char('_'), 1);
            if (!kLabels.contains(label) || taken[label] >= kClipsPerLabel)
                continue;
            const QString folder = tmp_.filePath(label);
            QVERIFY(QDir().mkpath(folder));
            const QString link = folder + QStringLiteral("/clip_%1.flac").arg(taken[label]++);
            QVERIFY(QFile::link(testdata::tessDir() + QLatin1Char('/') + relative, link));
            files_ << link;
            folderLabel_[link] = label;
        }
        QCOMPARE(int(files_.size()), kClipsPerLabel * int(kLabels.size()));
        files_.sort(); // angry first ... sad last: label order, so confidence order is unrelated to row order
        tab_ = std::make_unique<AnalyzeTab>(&model_);
        tab_->resize(1000, 700);
        tab_->show();
        QVERIFY(QTest::qWaitForWindowExposed(tab_.get()));
    }
    void cleanupTestCase() { tab_.reset(); }

    void labelledFolderSortsAndScores()
    {
        QSignalSpy shown(tab_.get(), &AnalyzeTab::batchShown);
        tab_->openFiles(files_);
        QVERIFY(shown.wait(300000));
        const auto batch = tab_->batch();
        QVERIFY(batch && !batch->cancelled);
        QTableWidget* table = tab_->resultsTable();
        QCOMPARE(table->rowCount(), int(files_.size()));
        QVERIFY(table->isVisible());
        QVERIFY2(table->viewport()->height() >= 5 * table->rowHeight(0), "more than three rows in view");
        const int top = tab_->batchColumn(QStringLiteral("Top emotion"));
        const int truth = tab_->batchColumn(QStringLiteral("True label"));
        const int mark = tab_->batchColumn(QStringLiteral("Correct"));
        const int confidence = tab_->batchColumn(QStringLiteral("Confidence"));
        QVERIFY(top >= 0 && truth >= 0 && mark >= 0 && confidence >= 0);

        int ticks = 0;
        for (int r = 0; r < table->rowCount(); ++r) {
            const QString file = table->item(r, 0)->data(Qt::UserRole).toString();
            QCOMPARE(table->item(r, truth)->text(), EmotionColors::displayName(folderLabel_.value(file)));
            const bool correct = table->item(r, top)->text() == table->item(r, truth)->text();
            QCOMPARE(table->item(r, mark)->text(), correct ? QStringLiteral("✓") : QStringLiteral("✗"));
            ticks += correct;
        }
        QVERIFY(batch->metrics);
        QCOMPARE(batch->metrics->total(), table->rowCount());
        QCOMPARE(int(std::lround(batch->metrics->accuracy * batch->metrics->total())), ticks);
        const QString summary = tab_->batchSummaryLabel()->text();
        QVERIFY2(summary.contains(QStringLiteral("accuracy %1%").arg(100.0 * ticks / table->rowCount(), 0, 'f', 1)),
                 qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("UAR %1%").arg(batch->metrics->uar * 100, 0, 'f', 1)), qPrintable(summary));

        // A click on the Confidence header, as a user sorts.
        QHeaderView* header = table->horizontalHeader();
        const QPoint at(header->sectionViewportPosition(confidence) + header->sectionSize(confidence) / 2, header->height() / 2);
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(header->sortIndicatorSection(), confidence);
        const bool ascending = header->sortIndicatorOrder() == Qt::AscendingOrder;
        for (int r = 1; r < table->rowCount(); ++r) {
            const double before = table->item(r - 1, confidence)->data(NumericTableItem::kValueRole).toDouble();
            const double now = table->item(r, confidence)->data(NumericTableItem::kValueRole).toDouble();
            QVERIFY2(ascending ? before <= now : before >= now, qPrintable(QStringLiteral("row %1").arg(r)));
        }
        // The confidences were not already in order: sorting moved rows.
        bool moved = false;
        for (int r = 0; r < table->rowCount(); ++r)
            moved |= table->item(r, 0)->data(Qt::UserRole).toString() != files_[r];
        QVERIFY(moved);
        // The labels still belong to their files after the move, and a selected row opens its own file.
        for (int r = 0; r < table->rowCount(); ++r)
            QCOMPARE(table->item(r, truth)->text(),
                     EmotionColors::displayName(folderLabel_.value(table->item(r, 0)->data(Qt::UserRole).toString())));
        waitForIdle();
        const QString picked = table->item(3, 0)->data(Qt::UserRole).toString();
        table->selectRow(3);
        for (int i = 0; i < 600 && !(tab_->result() && tab_->result()->source == picked && !tab_->engine()->isBusy()); ++i)
            QTest::qWait(100);
        QCOMPARE(tab_->result()->source, picked);

        // The CSV has the true label and the mark.
        const QString csvPath = tmp_.filePath(QStringLiteral("results.csv"));
        QCOMPARE(tab_->exportCsv(csvPath), QString());
        QFile csv(csvPath);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csv.readAll()).trimmed().split(QLatin1Char('\n'));
        QCOMPARE(int(lines.size()), int(files_.size()) + 1);
        QVERIFY2(lines[0].endsWith(QStringLiteral(",true_label,correct")), qPrintable(lines[0]));
        int csvTicks = 0;
        for (int r = 1; r < lines.size(); ++r) {
            const QStringList f = lines[r].split(QLatin1Char(','));
            QCOMPARE(f.value(f.size() - 2), folderLabel_.value(f.value(0)));
            QCOMPARE(f.value(f.size() - 1), f.value(1) == f.value(f.size() - 2) ? QStringLiteral("1") : QStringLiteral("0"));
            csvTicks += f.value(f.size() - 1) == QStringLiteral("1");
        }
        QCOMPARE(csvTicks, ticks);
    }

    void labelledSilenceIsNotScored()
    {
        waitForIdle();
        // Folder "angry": 3 s of digital silence and one TESS clip (its speech is scored as usual).
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("angry"))));
        const QString silent = dir.filePath(QStringLiteral("angry/silence.wav"));
        const std::vector<float> silence(3 * 16000, 0.0f);
        emoscope::writeWavAtomic(QFile::encodeName(silent).toStdString(), silence.data(), silence.size(), 16000);
        const QString speech = dir.filePath(QStringLiteral("angry/speech.flac"));
        QVERIFY(QFile::link(QFileInfo(files_.first()).symLinkTarget(), speech));
        QCOMPARE(folderLabel_.value(files_.first()), QStringLiteral("angry"));

        QSignalSpy shown(tab_.get(), &AnalyzeTab::batchShown);
        tab_->openFiles({silent, speech});
        QVERIFY(shown.wait(300000));
        const auto batch = tab_->batch();
        QVERIFY(batch && batch->rows.size() == 2);
        QCOMPARE(batch->rows[0].status, emoscope::VerdictStatus::NoSpeech);
        QVERIFY(!batch->rows[0].probabilities.empty()); // the network's raw output is kept ...
        QVERIFY(batch->metrics);
        QCOMPARE(batch->metrics->total(), 1);            // ... but only the speech file is scored
        QCOMPARE(batch->unscoredNoSpeech, 1);

        QTableWidget* table = tab_->resultsTable();
        const int top = tab_->batchColumn(QStringLiteral("Top emotion"));
        const int mark = tab_->batchColumn(QStringLiteral("Correct"));
        const int confidence = tab_->batchColumn(QStringLiteral("Confidence"));
        int silentRow = -1, speechRow = -1;
        for (int r = 0; r < table->rowCount(); ++r)
            (table->item(r, 0)->data(Qt::UserRole).toString() == silent ? silentRow : speechRow) = r;
        QVERIFY(silentRow >= 0 && speechRow >= 0);
        QCOMPARE(table->item(silentRow, top)->text(), VerdictText::noSpeech());
        QCOMPARE(table->item(silentRow, mark)->text(), QStringLiteral("–"));
        QCOMPARE(table->item(silentRow, confidence)->text(), QString());
        QVERIFY(!table->item(silentRow, confidence)->data(NumericTableItem::kValueRole).isValid());
        const bool right = batch->metrics->accuracy > 0.5;
        QCOMPARE(table->item(speechRow, mark)->text(), right ? QStringLiteral("✓") : QStringLiteral("✗"));
        const QString summary = tab_->batchSummaryLabel()->text();
        QVERIFY2(summary.contains(QStringLiteral("labelled 1:")), qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("1 file without speech not scored")), qPrintable(summary));

        // The CSV, as the CLI's: empty top_emotion, confidence and correct; the probabilities and the status stay.
        const QString csvPath = dir.filePath(QStringLiteral("results.csv"));
        QCOMPARE(tab_->exportCsv(csvPath), QString());
        QFile csv(csvPath);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csv.readAll()).trimmed().split(QLatin1Char('\n'));
        QCOMPARE(int(lines.size()), 3);
        const QStringList header = lines[0].split(QLatin1Char(','));
        for (int r = 1; r < 3; ++r) {
            const QStringList f = lines[r].split(QLatin1Char(','));
            QCOMPARE(f.size(), header.size());
            if (f.value(0) != silent)
                continue;
            QCOMPARE(f.value(int(header.indexOf(QStringLiteral("top_emotion")))), QString());
            QCOMPARE(f.value(int(header.indexOf(QStringLiteral("confidence")))), QString());
            QCOMPARE(f.value(int(header.indexOf(QStringLiteral("correct")))), QString());
            QCOMPARE(f.value(int(header.indexOf(QStringLiteral("true_label")))), QStringLiteral("angry"));
            QCOMPARE(f.value(int(header.indexOf(QStringLiteral("status")))), QStringLiteral("no_speech"));
            QVERIFY(!f.value(int(header.indexOf(QStringLiteral("angry")))).isEmpty());
        }
    }

    void cancelKeepsTheFinishedRows()
    {
        waitForIdle();
        QSignalSpy progress(tab_->engine(), &AnalysisEngine::batchProgress);
        QSignalSpy shown(tab_.get(), &AnalyzeTab::batchShown);
        tab_->openFiles(files_);
        QVERIFY(tab_->cancelButton()->isVisible());
        QVERIFY(progress.wait(300000));
        const int doneAtCancel = progress.first().at(0).toInt();
        QTest::mouseClick(tab_->cancelButton(), Qt::LeftButton);
        QVERIFY(shown.count() > 0 || shown.wait(60000));
        const auto batch = tab_->batch();
        QVERIFY(batch->cancelled);
        QVERIFY2(int(batch->rows.size()) < int(files_.size()), qPrintable(QString::number(batch->rows.size())));
        QVERIFY(int(batch->rows.size()) >= doneAtCancel);
        for (const auto& row : batch->rows)
            QVERIFY2(row.error.empty(), row.error.c_str()); // finished files only, no "cancelled" rows
        QVERIFY(!tab_->engine()->isBusy());
        QVERIFY(!tab_->cancelButton()->isVisible());
        QCOMPARE(tab_->resultsTable()->rowCount(), int(batch->rows.size()));
        QVERIFY(tab_->batchSummaryLabel()->text().contains(QStringLiteral("cancelled")));
        // The summary scores the finished rows only.
        QCOMPARE(batch->metrics->total(), int(batch->rows.size()));
    }
};

QTEST_MAIN(TestBatchTable)
#include "test_batch_table.moc"
