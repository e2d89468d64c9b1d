// SPDX-License-Identifier: GPL-3.0-or-later
// Where the app keeps its own files (engine::dataFolder): with the names main() sets (organisation and application
// both "Emoscope"), personal takes and recovered takes live in ~/.local/share/Emoscope/<sub>, not in the doubled
// ~/.local/share/Emoscope/Emoscope/<sub> of AppDataLocation that earlier versions used; takes left at the old place are
// moved and found (the session lists them, the recorder offers the take back). HOME is a temporary folder.
// Also: the Personalize tab's empty confusion matrices say what fills them on that tab.
#include "TestData.h"

#include "audio/AudioDecoder.h"
#include "audio/WavWriter.h"
#include "engine/CurrentModel.h"
#include "engine/DataFolder.h"
#include "engine/PersonalizeSession.h"
#include "engine/RecordedTake.h"
#include "engine/Recorder.h"
#include "gui/ConfusionMatrixView.h"
#include "gui/PersonalizeTab.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {
QString dataHome() { return QDir::homePath() + QStringLiteral("/.local/share"); }
QString legacyFolder(const QString& sub) { return dataHome() + QStringLiteral("/Emoscope/Emoscope/") + sub; }
QString expectedFolder(const QString& sub) { return dataHome() + QStringLiteral("/Emoscope/") + sub; }

// A real take: a TESS clip written as the app writes takes (16-bit WAV at its own rate).
emoscope::AudioBuffer writeTake(const QString& path)
{
    emoscope::DecodeOptions keepRate;
    keepRate.targetSampleRate = 0;
    const emoscope::AudioBuffer clip = emoscope::loadAudio(
        QFile::encodeName(testdata::tessDir() + QStringLiteral("/OAF_angry/OAF_back_angry.flac")).toStdString(), keepRate);
    QDir().mkpath(QFileInfo(path).absolutePath());
    emoscope::writeWavAtomic(QFile::encodeName(path).toStdString(), clip.samples.data(), clip.samples.size(),
                             clip.sampleRate);
    return clip;
}

bool writeText(const QString& path, const QByteArray& text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
}
} // namespace

class TestDataFolders : public QObject {
    Q_OBJECT
private:
    CurrentModel model_;

    static void clearDataHome() { QDir(dataHome() + QStringLiteral("/Emoscope")).removeRecursively(); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QDir::homePath().contains(QStringLiteral("emoscope-data-folders")), qPrintable(QDir::homePath()));
        QVERIFY2(model_.loadNow(testdata::bundledModel()), qPrintable(testdata::bundledModel()));
    }
    void init() { clearDataHome(); }

    void theApplicationNameAppearsOnce()
    {
        QCOMPARE(PersonalizeSession::defaultFolder(QStringLiteral("me")), expectedFolder(QStringLiteral("personal/me")));
        QCOMPARE(Recorder::recoveryFolder(), expectedFolder(QStringLiteral("recovery")));
        QVERIFY(!PersonalizeSession::defaultFolder(QStringLiteral("me")).contains(QStringLiteral("Emoscope/Emoscope")));
    }

    void takesAtTheOldPlaceAreMovedAndFound()
    {
        const QString oldTake = legacyFolder(QStringLiteral("personal/me/angry-001.wav"));
        writeTake(oldTake);
        QVERIFY(writeText(legacyFolder(QStringLiteral("personal/me/manifest.csv")),
                          "path,label,speaker\nangry-001.wav,angry,me\n"));
        const QString folder = PersonalizeSession::defaultFolder(QStringLiteral("me"));
        QCOMPARE(folder, expectedFolder(QStringLiteral("personal/me")));
        QVERIFY(!QFileInfo::exists(oldTake));

        PersonalizeSession session(&model_);
        QString error;
        QVERIFY2(session.open(folder, &error), qPrintable(error));
        QCOMPARE(session.takes(QStringLiteral("angry")), QStringList{folder + QStringLiteral("/angry-001.wav")});
        QCOMPARE(session.totalTakes(), 1);
    }

    void aRecoveredTakeAtTheOldPlaceIsOfferedBack()
    {
        const emoscope::AudioBuffer clip = writeTake(legacyFolder(QStringLiteral("recovery/take-20260101-120000-000.wav")));
        Recorder recorder(&model_);
        QSignalSpy recovered(&recorder, &Recorder::takeRecovered);
        recorder.restoreRecoveredTake();
        QVERIFY(recovered.wait(10000));
        QVERIFY(recorder.hasUnsavedTake());
        QCOMPARE(recorder.lastTake()->audio.sampleRate, clip.sampleRate);
        QCOMPARE(recorder.lastTake()->audio.samples.size(), clip.samples.size());
        QVERIFY(QFileInfo::exists(expectedFolder(QStringLiteral("recovery/take-20260101-120000-000.wav"))));
    }

    void eachSpeakerMovesOnItsOwnAndTheNewPlaceWins()
    {
        QVERIFY(writeText(legacyFolder(QStringLiteral("personal/me/manifest.csv")), "path,label,speaker\n"));
        QVERIFY(writeText(legacyFolder(QStringLiteral("personal/you/manifest.csv")), "path,label,speaker\n"));
        QVERIFY(writeText(expectedFolder(QStringLiteral("personal/you/manifest.csv")), "path,label,speaker\n"));
        // "me" exists only at the old place: moved, though the new personal folder already holds "you".
        QCOMPARE(PersonalizeSession::defaultFolder(QStringLiteral("me")), expectedFolder(QStringLiteral("personal/me")));
        QVERIFY(QFileInfo::exists(expectedFolder(QStringLiteral("personal/me/manifest.csv"))));
        QVERIFY(!QFileInfo::exists(legacyFolder(QStringLiteral("personal/me"))));
        // "you" exists at both: the new one is used and the old one is left alone.
        QCOMPARE(PersonalizeSession::defaultFolder(QStringLiteral("you")), expectedFolder(QStringLiteral("personal/you")));
        QVERIFY(QFileInfo::exists(legacyFolder(QStringLiteral("personal/you/manifest.csv"))));
    }

    void emptyMatricesSayToAdapt()
    {
        PersonalizeTab tab(&model_);
        for (ConfusionMatrixView* view : {tab.beforeView(), tab.afterView()}) {
            QVERIFY(view->labels().isEmpty());
            QVERIFY2(view->placeholderText().startsWith(QStringLiteral("Adapt to see")), qPrintable(view->placeholderText()));
        }
        // The Train tab's views keep the view's own wording.
        QCOMPARE(ConfusionMatrixView().placeholderText(), QStringLiteral("Train or evaluate to see the confusion matrix"));
    }

    void cleanupTestCase() { clearDataHome(); }
};

int main(int argc, char** argv)
{
    // Everything under a temporary HOME, as main() names things; no sound server (takes are files here).
    QTemporaryDir home(QDir::tempPath() + QStringLiteral("/emoscope-data-folders-XXXXXX"));
    if (!home.isValid())
        return 1;
    qputenv("HOME", QFile::encodeName(home.path()));
    qunsetenv("XDG_DATA_HOME");
    qputenv("PULSE_SERVER", "unix:/nonexistent/emoscope-test-no-pulse");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Emoscope"));
    QApplication::setApplicationName(QStringLiteral("Emoscope"));
    TestDataFolders test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_data_folders.moc"
