// SPDX-License-Identifier: GPL-3.0-or-later
// Layout from a 1000x700 window to a small screen (issue 10, item 6), offscreen. At 1000x700 the Train tab's settings
// keep every field at least as wide as it asks for and are never cut at the scroll area's edge, and the confusion
// matrix (7 emotions) has room for every spelled-out label. A 1600x1000 screen at QT_SCALE_FACTOR=2 is 800x500
// device-independent pixels, and layouts work in those: the default window for such a screen must fit it, with every
// tab shown inside it.
#include "engine/CurrentModel.h"
#include "gui/ConfusionMatrixView.h"
#include "gui/EmotionColors.h"
#include "gui/MainWindow.h"
#include "gui/PerClassMetricsTable.h"
#include "gui/TrainSetupPanel.h"
#include "gui/TrainTab.h"
#include "train/Metrics.h"

#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QFontMetrics>
#include <QLineEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTest>

namespace {
// The seven model labels, in the model's order.
const QStringList kLabels{"angry", "disgust", "fear", "happy", "neutral", "ps", "sad"};

QVector<QVector<int>> someCounts()
{
    QVector<QVector<int>> counts(kLabels.size(), QVector<int>(kLabels.size(), 1));
    for (int i = 0; i < kLabels.size(); ++i)
        counts[i][i] = 57; // three-digit counts would fit as well; the labels are what is tested
    return counts;
}
// A report over those counts, as an evaluation shows it (its summary line is the widest text of the table).
emoscope::EvaluationReport someReport()
{
    std::vector<std::string> labels;
    for (const QString& l : kLabels)
        labels.push_back(l.toStdString());
    std::vector<emoscope::ClipResult> results;
    const QVector<QVector<int>> counts = someCounts();
    for (int t = 0; t < counts.size(); ++t)
        for (int p = 0; p < counts.size(); ++p)
            for (int k = 0; k < counts[t][p]; ++k)
                results.push_back({"clip.wav", t, p, {}});
    return emoscope::computeMetrics(labels, results);
}
} // namespace

class TestLayout : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear(); // no saved geometry: the default size is what is tested
    }

    void trainSetupFieldsKeepTheirWidthAt1000x700()
    {
        CurrentModel model;
        MainWindow window(&model);
        window.resize(1000, 700);
        window.tabs()->setCurrentWidget(window.trainTab());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.size(), QSize(1000, 700)); // nothing forces the window larger

        TrainSetupPanel* setup = window.trainTab()->setupPanel();
        QVERIFY(setup->isVisible());
        int checked = 0;
        const QList<QWidget*> fields = [&] {
            QList<QWidget*> out;
            for (QLineEdit* w : setup->findChildren<QLineEdit*>())
                if (!qobject_cast<QAbstractSpinBox*>(w->parentWidget()) && !qobject_cast<QComboBox*>(w->parentWidget()))
                    out << w; // a spin box's or combo box's own editor is the box's business
            for (QAbstractSpinBox* w : setup->findChildren<QAbstractSpinBox*>())
                out << w;
            for (QComboBox* w : setup->findChildren<QComboBox*>())
                out << w;
            return out;
        }();
        for (QWidget* w : fields) {
            if (!w->isVisibleTo(setup))
                continue;
            ++checked;
            QVERIFY2(w->width() >= w->minimumSizeHint().width(),
                     qPrintable(QStringLiteral("%1 (%2): %3 px wide, needs %4")
                                    .arg(QString::fromLatin1(w->metaObject()->className()), w->accessibleName())
                                    .arg(w->width()).arg(w->minimumSizeHint().width())));
            // Inside what the scroll area shows: the right edge is not cut off.
            const QPoint right = w->mapTo(setup, QPoint(w->width() - 1, 0));
            QVERIFY2(right.x() < setup->parentWidget()->width(),
                     qPrintable(QStringLiteral("%1 ends at %2, the settings show %3 px")
                                    .arg(QString::fromLatin1(w->metaObject()->className()))
                                    .arg(right.x()).arg(setup->parentWidget()->width())));
        }
        QVERIFY2(checked >= 6, qPrintable(QString::number(checked))); // folder, mode, test part, epochs, rate, batch...
        QVERIFY(setup->width() >= setup->minimumSizeHint().width());
    }

    void confusionLabelsFitAt1000x700()
    {
        CurrentModel model;
        MainWindow window(&model);
        window.resize(1000, 700);
        window.tabs()->setCurrentWidget(window.trainTab());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        ConfusionMatrixView* view = window.trainTab()->confusionView();
        view->setMatrix(kLabels, someCounts());
        window.trainTab()->perClassTable()->setReport(someReport());
        QTest::qWait(50); // let the splitters settle on the new minimum
        // Nothing on the tab is wider than the window: no scroll area scrolls sideways.
        for (QScrollArea* area : window.trainTab()->findChildren<QScrollArea*>())
            QVERIFY2(!area->horizontalScrollBar()->isVisible(),
                     qPrintable(QStringLiteral("%1 px of content in %2 px").arg(area->widget()->minimumSizeHint().width())
                                    .arg(area->viewport()->width())));
        QVERIFY2(view->width() >= view->minimumSizeHint().width() && view->height() >= view->minimumSizeHint().height(),
                 qPrintable(QStringLiteral("%1x%2, needs %3x%4").arg(view->width()).arg(view->height())
                                .arg(view->minimumSizeHint().width()).arg(view->minimumSizeHint().height())));
        const QFontMetrics fm(view->font());
        for (int i = 0; i < kLabels.size(); ++i) {
            const QString name = EmotionColors::displayName(kLabels[i]);
            const int need = fm.horizontalAdvance(name);
            const QRect column = view->labelRect(Qt::Horizontal, i);
            const QRect row = view->labelRect(Qt::Vertical, i);
            QVERIFY(view->rect().contains(column) && view->rect().contains(row));
            const int along = view->columnLabelsVertical() ? column.height() : column.width();
            QVERIFY2(along >= need, qPrintable(QStringLiteral("column %1: %2 px for %3").arg(name).arg(along).arg(need)));
            QVERIFY2(row.width() >= need, qPrintable(QStringLiteral("row %1: %2 px for %3").arg(name).arg(row.width()).arg(need)));
            QVERIFY(column.width() >= fm.height() || !view->columnLabelsVertical());
        }
        QCOMPARE(EmotionColors::displayName(QStringLiteral("ps")), QStringLiteral("pleasant surprise"));
    }

    void defaultWindowFitsASmallScreen_data()
    {
        QTest::addColumn<QSize>("available");
        QTest::newRow("1600x1000 at scale 2") << QSize(800, 500 - 30); // minus a desktop panel
        QTest::newRow("1000x700 at scale 1") << QSize(1000, 700 - 30);
        QTest::newRow("2400x1500 at scale 1.5") << QSize(1600, 1000 - 30);
    }

    void defaultWindowFitsASmallScreen()
    {
        QFETCH(QSize, available);
        CurrentModel model;
        MainWindow window(&model);
        const QSize size = MainWindow::defaultSize(available);
        QVERIFY(size.width() <= available.width() && size.height() <= available.height());
        window.resize(size);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        for (int tab = 0; tab < window.tabs()->count(); ++tab) {
            window.tabs()->setCurrentIndex(tab);
            QTest::qWait(20);
            // The layouts do not force the window beyond the screen, whichever tab is shown.
            QVERIFY2(window.width() <= available.width() && window.height() <= available.height(),
                     qPrintable(QStringLiteral("tab %1: window %2x%3 on %4x%5")
                                    .arg(window.tabs()->tabText(tab)).arg(window.width()).arg(window.height())
                                    .arg(available.width()).arg(available.height())));
            const QSize minimum = window.minimumSizeHint();
            QVERIFY2(minimum.width() <= available.width() && minimum.height() <= available.height(),
                     qPrintable(QStringLiteral("minimum %1x%2").arg(minimum.width()).arg(minimum.height())));
        }
    }
};

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("EmoscopeTests"));
    QApplication::setApplicationName(QStringLiteral("test_layout"));
    TestLayout test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_layout.moc"
