// SPDX-License-Identifier: GPL-3.0-or-later
// The confusion heatmap, per-class table and clip browser on a hand-made report (no training): counts equal
// the core metrics, cells are where cellRect says, clicks report the right cell, and the browser lists
// exactly that cell's clips.
#include "gui/ConfusionMatrixView.h"
#include "gui/MisclassifiedBrowser.h"
#include "gui/PerClassMetricsTable.h"
#include "train/Metrics.h"

#include <QAbstractButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

namespace {
const std::vector<std::string> kLabels{"angry", "happy", "sad"};

// true, predicted pairs: angry 3/1/0, happy 0/2/2, sad 1/0/1.
emoscope::EvaluationReport makeReport()
{
    const std::vector<std::pair<int, int>> pairs{{0, 0}, {0, 0}, {0, 0}, {0, 1}, {1, 1}, {1, 1},
                                                 {1, 2}, {1, 2}, {2, 0}, {2, 2}};
    std::vector<emoscope::ClipResult> results;
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        emoscope::ClipResult r;
        r.file = "/data/clip" + std::to_string(i) + ".wav";
        r.trueIndex = pairs[i].first;
        r.predictedIndex = pairs[i].second;
        r.probabilities.assign(kLabels.size(), 0.1f);
        r.probabilities[r.predictedIndex] = 0.8f;
        results.push_back(r);
    }
    return emoscope::computeMetrics(kLabels, results);
}

QVector<QVector<int>> toQt(const std::vector<std::vector<int>>& m)
{
    QVector<QVector<int>> out;
    for (const auto& row : m)
        out.append(QVector<int>(row.begin(), row.end()));
    return out;
}

QStringList qLabels()
{
    QStringList out;
    for (const auto& l : kLabels)
        out << QString::fromStdString(l);
    return out;
}
} // namespace

class TestTrainConfusionView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void countsEqualTheCoreConfusion();
    void cellRectsTileTheGridAndMapBack();
    void clickEmitsTheCellUnderTheMouse();
    void browserListsExactlyTheClickedCell();
    void perClassTableShowsTheReport();
};

void TestTrainConfusionView::countsEqualTheCoreConfusion()
{
    const emoscope::EvaluationReport report = makeReport();
    ConfusionMatrixView view;
    view.setMatrix(qLabels(), toQt(report.confusion));
    QCOMPARE(view.counts(), toQt(report.confusion));
    QCOMPARE(view.count(0, 0), 3);
    QCOMPARE(view.count(1, 2), 2);
    QCOMPARE(view.count(2, 1), 0);
    QCOMPARE(view.rowRate(0, 0), 0.75);
    QCOMPARE(view.rowRate(1, 2), 0.5);
    QCOMPARE(view.count(5, 0), 0); // out of range reads as empty
}

void TestTrainConfusionView::cellRectsTileTheGridAndMapBack()
{
    ConfusionMatrixView view;
    view.resize(400, 300);
    view.setMatrix(qLabels(), toQt(makeReport().confusion));
    for (int r = 0; r < 3; ++r) {
        for (int c = 0; c < 3; ++c) {
            const QRect cell = view.cellRect(r, c);
            QVERIFY(!cell.isEmpty());
            QVERIFY(view.rect().contains(cell));
            QCOMPARE(view.cellAt(cell.center()), qMakePair(r, c));
            if (c > 0)
                QCOMPARE(cell.left(), view.cellRect(r, c - 1).right() + 1); // predicted goes left to right
            if (r > 0)
                QCOMPARE(cell.top(), view.cellRect(r - 1, c).bottom() + 1); // true goes top to bottom
        }
    }
    QCOMPARE(view.cellAt(QPoint(1, 1)), qMakePair(-1, -1)); // the label margin is not a cell
    QVERIFY(view.cellRect(3, 0).isEmpty());
}

void TestTrainConfusionView::clickEmitsTheCellUnderTheMouse()
{
    ConfusionMatrixView view;
    view.resize(400, 300);
    view.setMatrix(qLabels(), toQt(makeReport().confusion));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy clicked(&view, &ConfusionMatrixView::cellClicked);
    QTest::mouseClick(&view, Qt::LeftButton, {}, view.cellRect(1, 2).center());
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.at(0).at(0).toInt(), 1);
    QCOMPARE(clicked.at(0).at(1).toInt(), 2);
    QCOMPARE(view.selectedCell(), qMakePair(1, 2));
    QTest::mouseClick(&view, Qt::LeftButton, {}, QPoint(1, 1)); // outside the grid: nothing
    QCOMPARE(clicked.count(), 1);
}

void TestTrainConfusionView::browserListsExactlyTheClickedCell()
{
    const emoscope::EvaluationReport report = makeReport();
    ConfusionMatrixView view;
    MisclassifiedBrowser browser;
    QObject::connect(&view, &ConfusionMatrixView::cellClicked, &browser, [&](int t, int p) {
        browser.setClips(QStringLiteral("cell"), report.cell(t, p), report.labels);
    });
    view.resize(400, 300);
    view.setMatrix(qLabels(), toQt(report.confusion));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy wanted(&browser, &MisclassifiedBrowser::thumbnailsWanted);

    QTest::mouseClick(&view, Qt::LeftButton, {}, view.cellRect(1, 2).center());
    QCOMPARE(browser.files(), (QStringList{QStringLiteral("/data/clip6.wav"), QStringLiteral("/data/clip7.wav")}));
    QCOMPARE(browser.table()->rowCount(), 2);
    QCOMPARE(browser.table()->item(0, 2)->text(), QStringLiteral("happy"));
    QCOMPARE(browser.table()->item(0, 3)->text(), QStringLiteral("sad"));
    QCOMPARE(browser.table()->item(0, 4)->text(), QStringLiteral("80.0 %"));
    QCOMPARE(wanted.count(), 1);
    QCOMPARE(wanted.at(0).at(0).toStringList(), browser.files());

    QTest::mouseClick(&view, Qt::LeftButton, {}, view.cellRect(2, 0).center());
    QCOMPARE(browser.files(), QStringList{QStringLiteral("/data/clip8.wav")});

    QImage thumb(10, 10, QImage::Format_RGB32);
    thumb.fill(Qt::red);
    QVERIFY(!browser.hasThumbnail(QStringLiteral("/data/clip8.wav")));
    browser.setThumbnail(QStringLiteral("/data/clip8.wav"), thumb);
    QVERIFY(browser.hasThumbnail(QStringLiteral("/data/clip8.wav")));

    QSignalSpy play(&browser, &MisclassifiedBrowser::playRequested);
    QSignalSpy analyze(&browser, &MisclassifiedBrowser::openInAnalyzeRequested);
    QWidget* actions = browser.table()->cellWidget(0, MisclassifiedBrowser::kActionsColumn);
    QVERIFY(actions);
    auto* playButton = actions->findChild<QAbstractButton*>(QStringLiteral("play"));
    auto* analyzeButton = actions->findChild<QAbstractButton*>(QStringLiteral("analyze"));
    QVERIFY(playButton && analyzeButton);
    playButton->click();
    analyzeButton->click();
    QCOMPARE(play.count(), 1);
    QCOMPARE(play.at(0).at(0).toString(), QStringLiteral("/data/clip8.wav"));
    QCOMPARE(analyze.count(), 1);
    QCOMPARE(analyze.at(0).at(0).toStringList(), QStringList{QStringLiteral("/data/clip8.wav")});

    QTest::mouseClick(&view, Qt::LeftButton, {}, view.cellRect(2, 1).center()); // an empty cell
    QVERIFY(browser.files().isEmpty());
    QCOMPARE(browser.table()->rowCount(), 0);
}

void TestTrainConfusionView::perClassTableShowsTheReport()
{
    const emoscope::EvaluationReport report = makeReport();
    PerClassMetricsTable table;
    table.setReport(report);
    QCOMPARE(table.table()->rowCount(), 3);
    // happy: precision 2/3, recall 2/4; support 4.
    QCOMPARE(table.table()->item(1, 0)->text(), QStringLiteral("66.7 %"));
    QCOMPARE(table.table()->item(1, 1)->text(), QStringLiteral("50.0 %"));
    QCOMPARE(table.table()->item(1, 3)->text(), QStringLiteral("4"));
    QVERIFY2(table.summaryText().contains(QStringLiteral("Accuracy 60.0 %")), qPrintable(table.summaryText()));
    const QString uar = QString::number(100.0 * report.uar, 'f', 1);
    QVERIFY2(table.summaryText().contains(QStringLiteral("UAR ") + uar), qPrintable(table.summaryText()));
}

QTEST_MAIN(TestTrainConfusionView)
#include "test_train_confusion_view.moc"
