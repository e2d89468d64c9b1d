// SPDX-License-Identifier: GPL-3.0-or-later
// The Personalize tab (issue 14) driven offscreen with takes imported from files (3 RAVDESS clips per emotion of
// Actor_11, a speaker the bundled model never trained on): the manifest, the held-back split, adaptation showing two
// matrices over the held-back takes, the personal model's card, "Use this model" / "Back", coming back to the folder,
// and Cancel leaving no personal model. Small adaptation options keep it fast; the product's defaults are untouched.
#include "PushedPcm.h"
#include "TestData.h"

#include "audio/AudioDecoder.h"
#include "engine/CurrentModel.h"
#include "engine/PersonalizeSession.h"
#include "gui/ConfusionMatrixView.h"
#include "gui/PersonalizeTab.h"
#include "train/Dataset.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <map>

using namespace emoscope;

class TestPersonalizeFlow : public QObject {
    Q_OBJECT
private:
    CurrentModel model_;
    std::unique_ptr<PersonalizeTab> tab_;
    QTemporaryDir dir_;
    QString folder_;
    int imported_ = 0;
    std::map<QString, int> perLabel_;

    PersonalizeSession* session() const { return tab_->session(); }

    static PersonalizeOptions smallOptions()
    {
        PersonalizeOptions o;
        o.copiesPerTake = 4;
        o.steps = 20;
        return o;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(model_.loadNow(testdata::bundledModel()), qPrintable(testdata::bundledModel()));
        tab_ = std::make_unique<PersonalizeTab>(&model_);
        session()->setOptions(smallOptions());
        session()->setBundledModelPath(testdata::bundledModel());
        tab_->resize(1100, 760);
        tab_->show();
        QVERIFY(QTest::qWaitForWindowExposed(tab_.get()));
        folder_ = dir_.filePath(QStringLiteral("Actor_11"));
        QString error;
        QVERIFY2(session()->open(folder_, &error), qPrintable(error));
    }
    void cleanupTestCase() { tab_.reset(); }

    void importedTakesAreWrittenWithAManifest()
    {
        ScanOptions scan;
        scan.probeFiles = false;
        const Dataset all = scanDataset(testdata::ravdessDir().toStdString(), scan);
        for (const auto& c : all.clips) {
            const QString label = QString::fromStdString(c.label);
            if (c.speaker != "Actor_11" || perLabel_[label] >= 3 || !session()->labels().contains(label))
                continue;
            QString error;
            QVERIFY2(session()->importTake(label, QString::fromStdString(c.path), &error), qPrintable(error));
            ++perLabel_[label];
            ++imported_;
        }
        QVERIFY2(imported_ >= 15, qPrintable(QString::number(imported_)));
        QCOMPARE(session()->totalTakes(), imported_);
        QFile manifest(QDir(folder_).filePath(QStringLiteral("manifest.csv")));
        QVERIFY(manifest.open(QIODevice::ReadOnly | QIODevice::Text));
        const QStringList lines = QString::fromUtf8(manifest.readAll()).trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.first(), QStringLiteral("path,label,speaker"));
        QCOMPARE(int(lines.size()), imported_ + 1);
        for (int i = 1; i < lines.size(); ++i) {
            const QStringList f = lines[i].split(QLatin1Char(','));
            QCOMPARE(int(f.size()), 3);
            QVERIFY2(QFile::exists(QDir(folder_).filePath(f[0])), qPrintable(f[0]));
            QCOMPARE(f[2], QStringLiteral("Actor_11"));
        }
    }

    void holdsBackOneTakePerEmotion()
    {
        const Split s = session()->heldBackSplit();
        int labelsWithTwo = 0;
        for (const auto& [label, n] : perLabel_)
            labelsWithTwo += n >= 2;
        QCOMPARE(int(s.test.size()), labelsWithTwo);
        QCOMPARE(int(s.train.size() + s.test.size()), imported_);
    }

    void comingBackLoadsTheTakes()
    {
        PersonalizeSession again(&model_);
        QVERIFY(again.open(folder_));
        QCOMPARE(again.totalTakes(), imported_);
        // Delete one take and re-add it: the manifest follows.
        const QString last = again.takes(QStringLiteral("angry")).last();
        QVERIFY(again.deleteTake(last));
        QCOMPARE(again.totalTakes(), imported_ - 1);
        QVERIFY(!QFile::exists(last));
        QVERIFY(session()->open(folder_)); // the tab's session sees the folder as it is now
        QCOMPARE(session()->totalTakes(), imported_ - 1);
        const QString first = session()->takes(QStringLiteral("angry")).first();
        QVERIFY(session()->importTake(QStringLiteral("angry"), first));
        QCOMPARE(session()->totalTakes(), imported_);
    }

    void cancelLeavesNoPersonalModel()
    {
        PersonalizeOptions slow = smallOptions();
        slow.steps = 5000;
        session()->setOptions(slow);
        QSignalSpy finished(session(), &PersonalizeSession::adaptFinished);
        QTest::mouseClick(tab_->adaptButton(), Qt::LeftButton);
        QVERIFY(session()->isAdapting());
        QVERIFY(tab_->cancelButton()->isEnabled());
        QTest::qWait(300);
        QTest::mouseClick(tab_->cancelButton(), Qt::LeftButton);
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.first().at(0).toBool(), true);
        QVERIFY(!session()->hasPersonalModel());
        QVERIFY(!tab_->useButton()->isEnabled());
        QVERIFY(!QFile::exists(session()->personalModelPath()));
        session()->setOptions(smallOptions());
    }

    void adaptShowsBeforeAndAfter()
    {
        QSignalSpy finished(session(), &PersonalizeSession::adaptFinished);
        QTest::mouseClick(tab_->adaptButton(), Qt::LeftButton);
        QVERIFY(finished.wait(300000));
        QVERIFY2(finished.first().at(1).toString().isEmpty(), qPrintable(finished.first().at(1).toString()));
        QCOMPARE(finished.first().at(0).toBool(), false);
        QVERIFY(session()->hasPersonalModel());
        const int held = int(session()->heldBackSplit().test.size());
        QCOMPARE(session()->result().heldBackTakes, held);
        for (ConfusionMatrixView* v : {tab_->beforeView(), tab_->afterView()}) {
            QVERIFY(!v->labels().isEmpty());
            int sum = 0;
            for (const auto& row : v->counts())
                for (int c : row)
                    sum += c;
            QCOMPARE(sum, held);
        }
        const QString heldText = QStringLiteral("%1 held-back").arg(held);
        QVERIFY2(tab_->beforeTitle()->text().contains(heldText), qPrintable(tab_->beforeTitle()->text()));
        QVERIFY2(tab_->afterTitle()->text().contains(heldText), qPrintable(tab_->afterTitle()->text()));
        // The card: whose takes, how many, which base model.
        const QString card = tab_->cardView()->toPlainText();
        QVERIFY2(card.contains(QStringLiteral("Personal model of Actor_11")), qPrintable(card));
        QVERIFY2(card.contains(QStringLiteral("%1 takes adapted, %2 held back").arg(imported_ - held).arg(held)),
                 qPrintable(card));
        QVERIFY2(card.contains(testdata::bundledModel()), qPrintable(card));
        QVERIFY(tab_->useButton()->isEnabled());

        const QString shot = qEnvironmentVariable("EMOSCOPE_SCREENSHOT");
        if (!shot.isEmpty())
            QVERIFY(tab_->grab().save(shot));
    }

    void useThenBackSwitchesTheModel()
    {
        QSignalSpy switched(session(), &PersonalizeSession::modelSwitched);
        QTest::mouseClick(tab_->useButton(), Qt::LeftButton);
        QVERIFY(switched.wait(60000));
        QCOMPARE(model_.path(), session()->personalModelPath());
        QVERIFY(QFile::exists(session()->personalModelPath()));
        QTest::mouseClick(tab_->backButton(), Qt::LeftButton);
        QCOMPARE(switched.size(), 2);
        QCOMPARE(model_.path(), testdata::bundledModel());
    }

    void tooFewTakesSaysSo()
    {
        QVERIFY(session()->open(dir_.filePath(QStringLiteral("empty"))));
        QTest::mouseClick(tab_->adaptButton(), Qt::LeftButton); // disabled without takes: nothing happens
        QVERIFY(!session()->isAdapting());
        QSignalSpy finished(session(), &PersonalizeSession::adaptFinished);
        QVERIFY(!session()->adapt());
        QCOMPARE(finished.size(), 1);
        QVERIFY(finished.first().at(1).toString().contains(QStringLiteral("Too few takes")));
    }

    // Recorded takes (PCM pushed through the session's recorder, as a microphone would): the prompt stays on an
    // emotion until it has its takes, then moves to the next emotion that needs some.
    void aFullEmotionMovesToTheNextOne()
    {
        QVERIFY(session()->open(dir_.filePath(QStringLiteral("advance"))));
        const QString angry = QStringLiteral("angry");
        tab_->selectLabel(angry);
        QCOMPARE(tab_->currentLabel(), angry);
        const QString clip = testdata::ravdessDir() + QStringLiteral("/angry/03-01-05-01-01-01-11.flac");
        const emoscope::AudioBuffer audio = emoscope::loadAudio(clip.toStdString());
        for (int i = 0; i < PersonalizeSession::kTakesPerLabel - 2; ++i)
            QVERIFY(session()->importTake(angry, clip));
        QCOMPARE(tab_->currentLabel(), angry); // imports do not move the prompt
        auto record = [&] {
            QSignalSpy recorded(session(), &PersonalizeSession::takeRecorded);
            QIODevice* sink = session()->startPushed(angry, testdata::monoFloatFormat(audio.sampleRate));
            if (!sink)
                return false;
            sink->write(testdata::floatBytes(audio.samples));
            QTest::qWait(100);
            session()->stopRecording();
            return recorded.wait(30000);
        };
        QVERIFY(record()); // one take short of the set: the prompt stays
        QCOMPARE(int(session()->takes(angry).size()), PersonalizeSession::kTakesPerLabel - 1);
        QCOMPARE(tab_->currentLabel(), angry);
        QVERIFY(record()); // the set is complete: on to the next emotion
        QCOMPARE(int(session()->takes(angry).size()), PersonalizeSession::kTakesPerLabel);
        QCOMPARE(tab_->currentLabel(), QStringLiteral("disgust"));
    }
};

QTEST_MAIN(TestPersonalizeFlow)
#include "test_personalize_flow.moc"
