// SPDX-License-Identifier: GPL-3.0-or-later
// Zoom, scroll and selection in Analyze (issue 10, item 1). First the plain maths of timeaxis/TimeViewport: zooming
// about an anchor keeps that time under the mouse, ranges clamp to the file, fit shows all, selections normalise,
// x <-> seconds round-trips. Then the wiring on a generated 70 s file of TESS speech with the bundled model: Ctrl+wheel
// zooms about the mouse, the waveform, spectrogram and timeline show the same range with the same times at the same
// x, a mouse drag selects 10-20 s, Play selection gives the player that range, Classify selection yields the same
// probabilities as the classifier on those samples, a click seeks, a right-click does not. Last, the long-file
// overview (WaveformView::setPeaks) and the saliency overlay (SpectrogramView::setOverlay) drawn while zoomed.
#include "LongWavFixture.h"
#include "TestData.h"

#include "audio/AudioDecoder.h"
#include "engine/AnalysisEngine.h"
#include "engine/AudioPlayer.h"
#include "engine/CurrentModel.h"
#include "gui/AnalyzeTab.h"
#include "gui/EmotionBarsView.h"
#include "gui/SpectrogramView.h"
#include "gui/TimeViewport.h"
#include "gui/TimelineChartView.h"
#include "gui/WaveformView.h"
#include "infer/Classifier.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <random>

namespace {
constexpr double kPlotLeft = 56, kPlotWidth = 900;

void sendMouse(QWidget* w, QEvent::Type type, Qt::MouseButton button, Qt::MouseButtons buttons, int x, int y,
               Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    const QPointF local(x, y);
    QMouseEvent event(type, local, w->mapToGlobal(local), button, buttons, modifiers);
    QApplication::sendEvent(w, &event);
}
void sendCtrlWheel(QWidget* w, int x, int y, int notches)
{
    const QPointF local(x, y);
    QWheelEvent event(local, w->mapToGlobal(local), QPoint(), QPoint(0, 120 * notches), Qt::NoButton,
                      Qt::ControlModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(w, &event);
}
} // namespace

class TestTimeViewport : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    CurrentModel model_;
    QString file_;

private Q_SLOTS:
    void zoomAboutAnchorKeepsTheAnchorUnderTheMouse()
    {
        std::mt19937 rng(7);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        for (int i = 0; i < 200; ++i) {
            const double duration = 1.0 + 300.0 * u(rng);
            const double span = duration * (0.05 + 0.95 * u(rng));
            const double start = (duration - span) * u(rng);
            const TimeRange before{start, start + span};
            const double anchor = start + span * (0.1 + 0.8 * u(rng));
            const double factor = 1.2 + 3.0 * u(rng);
            const TimeRange after = timeaxis::zoomedAbout(before, anchor, factor, duration, 0.05);
            QVERIFY(after.start >= -1e-9 && after.end <= duration + 1e-9);
            const double expectedSpan = std::max(span / factor, 0.05);
            QVERIFY2(std::abs(after.span() - expectedSpan) < 1e-9, qPrintable(QString::number(after.span())));
            // Zooming in never needs to slide (the new range sits inside the old), so the anchor stays put exactly.
            const double xBefore = timeaxis::xForSeconds(anchor, kPlotLeft, kPlotWidth, before);
            const double xAfter = timeaxis::xForSeconds(anchor, kPlotLeft, kPlotWidth, after);
            QVERIFY2(std::abs(xBefore - xAfter) < 1e-6, qPrintable(QStringLiteral("%1 vs %2").arg(xBefore).arg(xAfter)));
        }
        // Zooming out past the file shows the file; zooming in past the minimum span stops there.
        QCOMPARE(timeaxis::zoomedAbout({10, 20}, 15, 0.01, 70, 0.05), (TimeRange{0, 70}));
        const TimeRange tiny = timeaxis::zoomedAbout({10, 20}, 15, 1e6, 70, 0.05);
        QVERIFY(std::abs(tiny.span() - 0.05) < 1e-12 && tiny.contains(15));
        // Zooming out near the end slides back inside the file rather than showing time that is not there.
        const TimeRange nearEnd = timeaxis::zoomedAbout({60, 70}, 69, 0.5, 70, 0.05);
        QCOMPARE(nearEnd, (TimeRange{50, 70}));
    }

    void clampingAndScrolling()
    {
        QCOMPARE(timeaxis::clamped({-5, 5}, 70, 0.05), (TimeRange{0, 10}));
        QCOMPARE(timeaxis::clamped({65, 80}, 70, 0.05), (TimeRange{55, 70}));
        QCOMPARE(timeaxis::clamped({-10, 100}, 70, 0.05), (TimeRange{0, 70}));
        QCOMPARE(timeaxis::clamped({20, 10}, 70, 0.05), (TimeRange{10, 20}));
        const TimeRange small = timeaxis::clamped({30, 30.001}, 70, 0.05);
        QVERIFY(std::abs(small.span() - 0.05) < 1e-12);
        QCOMPARE(timeaxis::clamped({0, 1}, 0.02, 0.05), (TimeRange{0, 0.02})); // a file shorter than the minimum span
        QCOMPARE(timeaxis::scrolled({10, 20}, 5, 70), (TimeRange{15, 25}));
        QCOMPARE(timeaxis::scrolled({10, 20}, -50, 70), (TimeRange{0, 10}));
        QCOMPARE(timeaxis::scrolled({10, 20}, 500, 70), (TimeRange{60, 70}));
    }

    void selectionNormalisation()
    {
        QCOMPARE(timeaxis::normalizedSelection(20, 10, 70, 0.01), std::optional<TimeRange>(TimeRange{10, 20}));
        QCOMPARE(timeaxis::normalizedSelection(-3, 5, 70, 0.01), std::optional<TimeRange>(TimeRange{0, 5}));
        QCOMPARE(timeaxis::normalizedSelection(69, 90, 70, 0.01), std::optional<TimeRange>(TimeRange{69, 70}));
        QVERIFY(!timeaxis::normalizedSelection(5, 5.001, 70, 0.01));
        QVERIFY(!timeaxis::normalizedSelection(80, 90, 70, 0.01)); // wholly past the end

        TimeViewport v;
        v.reset(70);
        QSignalSpy changed(&v, &TimeViewport::selectionChanged);
        v.setSelection(20, 10);
        QCOMPARE(v.selection(), std::optional<TimeRange>(TimeRange{10, 20}));
        QCOMPARE(changed.count(), 1);
        v.extendSelectionTo(25); // nearer the end: the end moves
        QCOMPARE(v.selection(), std::optional<TimeRange>(TimeRange{10, 25}));
        v.extendSelectionTo(12); // nearer the start: the start moves
        QCOMPARE(v.selection(), std::optional<TimeRange>(TimeRange{12, 25}));
        v.clearSelection();
        QVERIFY(!v.selection());
        v.setCursor(30);
        v.extendSelectionTo(40); // no selection: from the play position
        QCOMPARE(v.selection(), std::optional<TimeRange>(TimeRange{30, 40}));
        v.reset(50); // a new file drops it
        QVERIFY(!v.selection());
    }

    void fitZoomToSelectionAndGrowingFiles()
    {
        TimeViewport v;
        v.reset(70);
        QVERIFY(v.isFit());
        v.zoomIn();
        QVERIFY(!v.isFit());
        QVERIFY(std::abs(v.visible().span() - 70 / TimeViewport::kZoomStep) < 1e-9);
        v.fit();
        QCOMPARE(v.visible(), (TimeRange{0, 70}));
        v.setSelection(10, 20);
        v.zoomToSelection();
        QCOMPARE(v.visible(), (TimeRange{10, 20}));
        v.scrollPages(1);
        QCOMPARE(v.visible(), (TimeRange{20, 30}));
        v.scrollToEnd();
        QCOMPARE(v.visible(), (TimeRange{60, 70}));
        v.scrollToStart();
        QCOMPARE(v.visible(), (TimeRange{0, 10}));
        // A long file still being read grows: a zoomed view stays put, a fitted one keeps fitting.
        v.setDuration(120);
        QCOMPARE(v.visible(), (TimeRange{0, 10}));
        v.fit();
        v.setDuration(200);
        QCOMPARE(v.visible(), (TimeRange{0, 200}));
    }

    void xSecondsRoundTrip()
    {
        for (const TimeRange r : {TimeRange{0, 70}, TimeRange{12.5, 13.0}, TimeRange{3600, 7200}}) {
            for (double x = kPlotLeft; x <= kPlotLeft + kPlotWidth; x += 37.5) {
                const double t = timeaxis::secondsAtX(x, kPlotLeft, kPlotWidth, r);
                QVERIFY(t >= r.start - 1e-9 && t <= r.end + 1e-9);
                QVERIFY(std::abs(timeaxis::xForSeconds(t, kPlotLeft, kPlotWidth, r) - x) < 1e-6);
            }
            QCOMPARE(timeaxis::secondsAtX(kPlotLeft, kPlotLeft, kPlotWidth, r), r.start);
            QVERIFY(std::abs(timeaxis::secondsAtX(kPlotLeft + kPlotWidth, kPlotLeft, kPlotWidth, r) - r.end) < 1e-9);
        }
    }

    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        QVERIFY2(model_.loadNow(testdata::bundledModel()), qPrintable(testdata::bundledModel()));
        std::vector<std::string> clips;
        for (const char* c : {"OAF_angry/OAF_back_angry.flac", "YAF_happy/YAF_back_happy.flac", "OAF_sad/OAF_back_sad.flac"})
            clips.push_back(QFile::encodeName(testdata::tessDir() + "/" + c).toStdString());
        file_ = dir_.filePath(QStringLiteral("seventy_seconds.wav"));
        fixtures::writeLongSpeechWav(QFile::encodeName(file_).toStdString(), 70.0, clips,
                                     model_.classifier()->featureConfig().sampleRate);
    }

    void zoomSelectPlayAndClassifyInAnalyze()
    {
        AnalyzeTab tab(&model_);
        tab.resize(1000, 700);
        tab.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tab));
        tab.openFiles({file_});
        QElapsedTimer timer;
        timer.start();
        while (!(tab.result() && tab.result()->source == file_ && !tab.engine()->isBusy()) && timer.elapsed() < 120000)
            QTest::qWait(100);
        QVERIFY(tab.result());
        QVERIFY2(tab.result()->ok(), qPrintable(tab.result()->error));
        QVERIFY(tab.timeline()->isVisible());
        TimeViewport* viewport = tab.timeViewport();
        QVERIFY(std::abs(viewport->duration() - 70.0) < 0.01);
        QVERIFY(viewport->isFit());
        QVERIFY(!tab.timeScrollBar()->isEnabled());

        // Ctrl+wheel two notches on the spectrogram at 15 s: 2.25x in, 15 s still under the mouse.
        SpectrogramView* spec = tab.spectrogram();
        const int y = spec->plotRect().center().y();
        const int x15 = spec->xForSeconds(15.0);
        const double atMouse = spec->secondsAtX(x15);
        sendCtrlWheel(spec, x15, y, 2);
        QVERIFY(std::abs(viewport->visible().span() - 70.0 / 2.25) < 1e-6);
        const double pixelSeconds = viewport->visible().span() / spec->plotRect().width();
        QVERIFY2(std::abs(spec->secondsAtX(x15) - atMouse) < 1e-9, qPrintable(QString::number(spec->secondsAtX(x15))));
        QVERIFY(tab.timeScrollBar()->isEnabled());
        QVERIFY(viewport->visible().contains(10.0) && viewport->visible().contains(20.0));
        QTest::qWait(50); // let the chart lay out its new axis range

        // The three views draw the same range, with each time at the same x in the tab.
        for (const TimeRange r : {tab.waveform()->visibleRange(), spec->visibleRange(), tab.timeline()->visibleRange()}) {
            QVERIFY(std::abs(r.start - viewport->visible().start) < 1e-6);
            QVERIFY(std::abs(r.end - viewport->visible().end) < 1e-6);
        }
        for (double t : {10.0, 15.0, 20.0, viewport->visible().end}) {
            const int xw = tab.waveform()->mapTo(&tab, QPoint(tab.waveform()->xForSeconds(t), 0)).x();
            const int xs = spec->mapTo(&tab, QPoint(spec->xForSeconds(t), 0)).x();
            const int xt = tab.timeline()->mapTo(&tab, QPoint(tab.timeline()->xForSeconds(t), 0)).x();
            QVERIFY2(std::abs(xw - xs) <= 1 && std::abs(xs - xt) <= 1,
                     qPrintable(QStringLiteral("t=%1: waveform %2, spectrogram %3, timeline %4").arg(t).arg(xw).arg(xs).arg(xt)));
        }

        // Drag from 10 s to 20 s on the waveform selects that range (to a pixel).
        WaveformView* wave = tab.waveform();
        const int wy = wave->plotRect().center().y();
        const int x10 = wave->xForSeconds(10.0), x20 = wave->xForSeconds(20.0);
        sendMouse(wave, QEvent::MouseButtonPress, Qt::LeftButton, Qt::LeftButton, x10, wy);
        sendMouse(wave, QEvent::MouseMove, Qt::NoButton, Qt::LeftButton, (x10 + x20) / 2, wy);
        sendMouse(wave, QEvent::MouseMove, Qt::NoButton, Qt::LeftButton, x20, wy);
        sendMouse(wave, QEvent::MouseButtonRelease, Qt::LeftButton, Qt::NoButton, x20, wy);
        const auto selection = viewport->selection();
        QVERIFY(selection);
        QVERIFY2(std::abs(selection->start - 10.0) <= pixelSeconds && std::abs(selection->end - 20.0) <= pixelSeconds,
                 qPrintable(QStringLiteral("%1-%2").arg(selection->start).arg(selection->end)));
        QVERIFY2(tab.positionReadout()->text().contains(QStringLiteral("selection %1–%2 s")
                                                            .arg(selection->start, 0, 'f', 2)
                                                            .arg(selection->end, 0, 'f', 2)),
                 qPrintable(tab.positionReadout()->text()));

        // Shift+click extends the nearer edge (here the end, to 24 s); a drag from 10 s to 20 s again restores it.
        sendMouse(wave, QEvent::MouseButtonPress, Qt::LeftButton, Qt::LeftButton, wave->xForSeconds(24.0), wy, Qt::ShiftModifier);
        sendMouse(wave, QEvent::MouseButtonRelease, Qt::LeftButton, Qt::NoButton, wave->xForSeconds(24.0), wy, Qt::ShiftModifier);
        QVERIFY(std::abs(viewport->selection()->start - selection->start) < 1e-9);
        QVERIFY(std::abs(viewport->selection()->end - 24.0) <= pixelSeconds);
        viewport->setSelection(selection->start, selection->end);

        // Play selection: the player plays exactly that range (also without an output device, the range is set).
        tab.playSelection();
        QVERIFY(tab.player()->range());
        QCOMPARE(tab.player()->range()->first, selection->start);
        QCOMPARE(tab.player()->range()->second, selection->end);
        tab.player()->pause();

        // Classify selection: a result for those samples, equal to the classifier's own on the same slice.
        QSignalSpy shown(&tab, &AnalyzeTab::selectionAnalysisShown);
        tab.classifySelection();
        QVERIFY(shown.count() > 0 || shown.wait(60000));
        const auto part = shown.first().first().value<std::shared_ptr<const AnalysisResult>>();
        QVERIFY2(part->ok(), qPrintable(part->error));
        QCOMPARE(tab.selectionResult(), part);
        const int rate = model_.classifier()->featureConfig().sampleRate;
        QVERIFY(std::abs(part->audio.durationSeconds() - selection->span()) <= 1.0 / rate + 1e-9);
        emoscope::DecodeOptions decode;
        decode.targetSampleRate = rate;
        const emoscope::AudioBuffer whole = emoscope::loadAudio(QFile::encodeName(file_).toStdString(), decode);
        emoscope::AudioBuffer slice;
        slice.sampleRate = rate;
        slice.samples.assign(whole.samples.begin() + std::lround(selection->start * rate),
                             whole.samples.begin() + std::lround(selection->end * rate));
        const emoscope::Verdict reference = model_.classifier()->judge(slice);
        QCOMPARE(part->probabilities.size(), reference.probabilities.size());
        for (std::size_t i = 0; i < reference.probabilities.size(); ++i)
            QVERIFY(std::abs(part->probabilities[i] - reference.probabilities[i]) < 1e-5);
        QCOMPARE(tab.bars()->probabilities(), part->probabilities);
        QVERIFY(tab.selectionCaption()->isVisible());
        QVERIFY2(tab.selectionCaption()->text().contains(QString::number(selection->start, 'f', 2)),
                 qPrintable(tab.selectionCaption()->text()));
        // The whole file's result again.
        tab.findChild<QPushButton*>(QStringLiteral("wholeFileResult"))->click();
        QCOMPARE(tab.bars()->probabilities(), tab.result()->probabilities);
        QVERIFY(!tab.selectionCaption()->isVisible());

        // A click without a drag seeks (and keeps the selection); a right-click does not seek.
        const int x30 = spec->xForSeconds(30.0);
        sendMouse(spec, QEvent::MouseButtonPress, Qt::LeftButton, Qt::LeftButton, x30, y);
        sendMouse(spec, QEvent::MouseButtonRelease, Qt::LeftButton, Qt::NoButton, x30, y);
        QVERIFY2(std::abs(tab.player()->positionSeconds() - 30.0) <= pixelSeconds,
                 qPrintable(QString::number(tab.player()->positionSeconds())));
        QVERIFY(viewport->selection());
        const int x12 = spec->xForSeconds(12.0);
        sendMouse(spec, QEvent::MouseButtonPress, Qt::RightButton, Qt::RightButton, x12, y);
        sendMouse(spec, QEvent::MouseButtonRelease, Qt::RightButton, Qt::NoButton, x12, y);
        QVERIFY(std::abs(tab.player()->positionSeconds() - 30.0) <= pixelSeconds);

        // Keyboard in a view: Right scrolls a tenth, End/Home go to the ends, Ctrl+- zooms out, Ctrl+0 fits, Escape
        // clears the selection.
        tab.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&tab));
        spec->setFocus();
        const TimeRange before = viewport->visible();
        QTest::keyClick(spec, Qt::Key_Right);
        QVERIFY(std::abs(viewport->visible().start - (before.start + before.span() / 10)) < 1e-9);
        QTest::keyClick(spec, Qt::Key_End);
        QVERIFY(std::abs(viewport->visible().end - viewport->duration()) < 1e-9);
        QTest::keyClick(spec, Qt::Key_Home);
        QVERIFY(std::abs(viewport->visible().start) < 1e-9);
        QVERIFY(std::abs(viewport->visible().span() - before.span()) < 1e-9);
        QTest::keyClick(spec, Qt::Key_Minus, Qt::ControlModifier);
        QVERIFY(viewport->visible().span() > before.span());
        QTest::keyClick(spec, Qt::Key_0, Qt::ControlModifier);
        QVERIFY(viewport->isFit());
        QTest::keyClick(spec, Qt::Key_Escape);
        QVERIFY(!viewport->selection());
    }

    void longFileOverviewWhenZoomed()
    {
        // 700 s of overview bins of 0.1 s; only 100-105 s is loud. Zoomed to 95-115 s, the loud part covers the
        // middle quarter of the plot and nothing else is drawn away from the centre line.
        const double binSeconds = 0.1, total = 700;
        std::vector<std::pair<float, float>> bins(std::size_t(total / binSeconds), {-0.001f, 0.001f});
        for (std::size_t i = 1000; i < 1050; ++i)
            bins[i] = {-0.8f, 0.8f};
        TimeViewport viewport;
        viewport.reset(total);
        WaveformView view;
        view.resize(956, 120);
        view.setTimeViewport(&viewport);
        view.setPeaks(bins, binSeconds, total);
        viewport.setVisible({95, 115});
        const QImage image = view.grab().toImage();
        const QRect plot = view.plotRect();
        const int probeY = plot.top() + plot.height() / 4; // well above the centre line
        int firstLoud = -1, lastLoud = -1;
        for (int x = plot.left(); x <= plot.right(); ++x)
            if (image.pixelColor(x, probeY) == QColor(110, 190, 255)) {
                if (firstLoud < 0)
                    firstLoud = x;
                lastLoud = x;
            }
        QVERIFY2(firstLoud >= 0, "nothing drawn");
        QVERIFY2(std::abs(firstLoud - view.xForSeconds(100)) <= 2 && std::abs(lastLoud - view.xForSeconds(105)) <= 2,
                 qPrintable(QStringLiteral("loud %1-%2, expected %3-%4").arg(firstLoud).arg(lastLoud)
                                .arg(view.xForSeconds(100)).arg(view.xForSeconds(105))));
    }

    void longTimelineShowsDetailWhenZoomed()
    {
        // Two hours of 1 s windows every 0.5 s (14,400), all speech. Fitted, the chart draws bins of 24 windows; zoomed
        // to one minute it must draw the minute's own windows (about 120 points), not five stretched bins. Going from
        // a 0.05 s span to two hours and back must not stall on tick layout (it once
        // laid out 720,000 ticks).
        const double total = 7200;
        std::vector<emoscope::TimelineWindow> windows;
        for (double t = 0; t + 1.0 <= total; t += 0.5) {
            emoscope::TimelineWindow w;
            w.startSeconds = t;
            w.endSeconds = t + 1.0;
            w.speechSeconds = 1.0;
            w.status = emoscope::VerdictStatus::Ok;
            const float a = float(0.5 + 0.4 * std::sin(t));
            w.probabilities = {a, 1.0f - a};
            windows.push_back(w);
        }
        TimeViewport viewport;
        viewport.reset(total);
        TimelineChartView view;
        view.resize(956, 240);
        view.setTimeViewport(&viewport);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setTimeline({QStringLiteral("angry"), QStringLiteral("sad")}, windows, total);
        const auto pointsIn = [&](TimeRange r) {
            int n = 0;
            for (QAbstractSeries* series : view.chart()->series())
                if (auto* line = qobject_cast<QLineSeries*>(series); line && line->name() == QStringLiteral("angry"))
                    for (const QPointF& p : line->points())
                        n += r.contains(p.x()) ? 1 : 0;
            return n;
        };
        QVERIFY(pointsIn({0, total}) <= 600);
        viewport.setVisible({3600, 3600.05}); // a stall here shows as the test's watchdog timeout
        viewport.fit();
        viewport.setVisible({3600, 3660});
        QTRY_VERIFY_WITH_TIMEOUT(pointsIn(viewport.visible()) >= 110, 5000);
        QCOMPARE(view.visibleRange(), viewport.visible());
    }

    void overlayFollowsTheZoom()
    {
        // 10 s of spectrogram at 0.1 s per frame; the overlay marks 4.0-4.5 s in the lowest quarter of the bands.
        emoscope::MelMatrix db;
        db.nMels = 64;
        db.frames = 100;
        db.data.assign(std::size_t(db.nMels * db.frames), -80.0f);
        std::vector<double> centres;
        for (int m = 0; m < db.nMels; ++m)
            centres.push_back(50.0 + 100.0 * m);
        TimeViewport viewport;
        viewport.reset(10);
        SpectrogramView view;
        view.resize(956, 300);
        view.setTimeViewport(&viewport);
        view.setSpectrogram(db, centres, 0.1, -80, 0);
        QImage heat(100, 64, QImage::Format_ARGB32);
        heat.fill(Qt::transparent);
        for (int c = 40; c < 45; ++c)
            for (int r = 0; r < 16; ++r) // row 0 = lowest band
                heat.setPixelColor(c, r, QColor(255, 0, 255));
        view.setOverlay(heat, 0.0, 0.1);
        viewport.setVisible({3, 6});
        const QSize size = view.size();
        const QImage shown = view.renderVisible(size);
        const QRect plot = view.plotRect();
        const int low = plot.bottom() - plot.height() / 16, high = plot.top() + plot.height() / 4;
        const QColor magenta(255, 0, 255);
        QCOMPARE(shown.pixelColor(view.xForSeconds(4.25), low), magenta);
        QVERIFY(shown.pixelColor(view.xForSeconds(4.25), high) != magenta); // upper bands untouched
        QVERIFY(shown.pixelColor(view.xForSeconds(3.8), low) != magenta);
        QVERIFY(shown.pixelColor(view.xForSeconds(4.7), low) != magenta);
        view.setOverlayVisible(false);
        QVERIFY(view.renderVisible(size).pixelColor(view.xForSeconds(4.25), low) != magenta);
        view.setOverlayVisible(true);
        view.clearOverlay();
        QVERIFY(view.renderVisible(size).pixelColor(view.xForSeconds(4.25), low) != magenta);
    }
};

QTEST_MAIN(TestTimeViewport)
#include "test_time_viewport.moc"
