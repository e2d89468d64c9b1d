// SPDX-License-Identifier: GPL-3.0-or-later
// Dataset scanning (three layouts, bad files), label spellings, splits, on fixtures and on TESS/RAVDESS.
#include "audio/AudioDecoder.h"
#include "audio/AudioError.h"
#include "train/Dataset.h"

#include "TestData.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <sys/stat.h>

using namespace emoscope;

namespace {

// A minimal mono 16-bit PCM WAV (44-byte header + samples): valid input for libsndfile.
void writeWav(const QString& path, int frames, int sampleRate = 16000)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QByteArray data;
    for (int i = 0; i < frames; ++i) {
        const qint16 v = qint16(8000 * std::sin(2 * M_PI * 440.0 * i / sampleRate));
        char le[2];
        qToLittleEndian(v, le);
        data.append(le, 2);
    }
    QByteArray header;
    const auto u32 = [&](quint32 v) { char b[4]; qToLittleEndian(v, b); header.append(b, 4); };
    const auto u16 = [&](quint16 v) { char b[2]; qToLittleEndian(v, b); header.append(b, 2); };
    header.append("RIFF");
    u32(quint32(36 + data.size()));
    header.append("WAVEfmt ");
    u32(16);
    u16(1);               // PCM
    u16(1);               // mono
    u32(quint32(sampleRate));
    u32(quint32(sampleRate * 2));
    u16(2);               // block align
    u16(16);              // bits
    header.append("data");
    u32(quint32(data.size()));
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly), qPrintable(path));
    f.write(header + data);
}

void writeText(const QString& path, const QByteArray& text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly), qPrintable(path));
    f.write(text);
}

std::string abs(const QString& path)
{
    return std::filesystem::path(path.toStdString()).lexically_normal().string();
}

// What the scanner must report for a file probeAudio rejects: the AudioError's reason (path prefix dropped).
std::string probeReason(const std::string& path)
{
    try {
        probeAudio(path);
    } catch (const AudioError& e) {
        const std::string what = e.what();
        return what.rfind(path + ": ", 0) == 0 ? what.substr(path.size() + 2) : what;
    }
    return "probeAudio accepted the file";
}

struct ClipView {
    std::string path, label, speaker, fixedSplit;
    bool operator==(const ClipView&) const = default;
};

std::vector<ClipView> view(const Dataset& d)
{
    std::vector<ClipView> out;
    for (const auto& c : d.clips) {
        out.push_back({c.path, c.label, c.speaker, c.fixedSplit});
        // labelIndex always agrees with label.
        if (c.labelIndex < 0 || d.labels[std::size_t(c.labelIndex)] != c.label)
            out.back().label = "BAD INDEX for " + c.label;
    }
    return out;
}

QString describe(const std::vector<ClipView>& clips)
{
    QString s;
    for (const auto& c : clips)
        s += QString::fromStdString(c.path + " " + c.label + " [" + c.speaker + "] " + c.fixedSplit + "\n");
    return s;
}

QString describe(const std::vector<SkippedFile>& skipped)
{
    QString s;
    for (const auto& f : skipped)
        s += QString::fromStdString(f.path + " -> " + f.reason + "\n");
    return s;
}

#define COMPARE_CLIPS(actual, expected)                                                                          \
    QVERIFY2((actual) == (expected), qPrintable("got:\n" + describe(actual) + "expected:\n" + describe(expected)))

void compareSkipped(const std::vector<SkippedFile>& actual, const std::vector<SkippedFile>& expected)
{
    bool same = actual.size() == expected.size();
    for (std::size_t i = 0; same && i < actual.size(); ++i)
        same = actual[i].path == expected[i].path && actual[i].reason == expected[i].reason;
    QVERIFY2(same, qPrintable("got:\n" + describe(actual) + "expected:\n" + describe(expected)));
}

// The shared data is always there in CI: a missing folder is a failure, not a skip.
#define REQUIRE_DATA(dir) QVERIFY2(QFileInfo(dir).isDir(), qPrintable("data folder missing: " + (dir)))

std::set<int> asSet(const std::vector<int>& v) { return {v.begin(), v.end()}; }

} // namespace

class TestDataset : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;

private Q_SLOTS:
    void labelSpellings()
    {
        QCOMPARE(emotionLabels(), (std::vector<std::string>{"angry", "disgust", "fear", "happy", "neutral", "ps", "sad"}));
        const std::vector<std::pair<std::string, std::string>> cases{
            {"angry", "angry"}, {"Anger", "angry"}, {"ANG", "angry"},
            {"disgust", "disgust"}, {"Disgusted", "disgust"}, {"dis", "disgust"},
            {"fear", "fear"}, {"fearful", "fear"}, {"Afraid", "fear"}, {"fea", "fear"},
            {"happy", "happy"}, {"happiness", "happy"}, {"JOY", "happy"}, {"hap", "happy"},
            {"neutral", "neutral"}, {"Neu", "neutral"},
            {"ps", "ps"}, {"PS", "ps"}, {"pleasant_surprise", "ps"}, {"Pleasant_Surprised", "ps"},
            {"pleasant-surprise", "ps"}, {"surprise", "ps"}, {"surprised", "ps"}, {"sur", "ps"},
            {"sad", "sad"}, {"Sadness", "sad"},
            {"calm", ""}, {"Calm", ""}, {"", ""}, {"angryy", ""}, {"OAF_angry", ""}, {"pleasant", ""},
        };
        for (const auto& [word, expected] : cases)
            QVERIFY2(canonicalLabel(word) == expected, qPrintable(QString::fromStdString(word)));
        QVERIFY(hasAudioExtension("/x/a.WAV"));
        QVERIFY(hasAudioExtension("b.flac") && hasAudioExtension("c.Ogg") && hasAudioExtension("d.mp3"));
        QVERIFY(hasAudioExtension("e.aif") && hasAudioExtension("f.AIFF"));
        QVERIFY(!hasAudioExtension("notes.txt") && !hasAudioExtension("wav") && !hasAudioExtension("dir.wav/x"));
    }

    void tessNames()
    {
        QVERIFY(tmp_.isValid());
        const QString root = tmp_.filePath("tess");
        writeWav(root + "/OAF_angry/OAF_back_angry.wav", 400);
        writeWav(root + "/YAF_sad/YAF_dog_Sad.WAV", 300);
        writeWav(root + "/mixed/OAF_bean_pleasant_surprise.wav", 200);
        writeWav(root + "/mixed/YAF_kite_pleasant_surprised.wav", 200);
        writeWav(root + "/mixed/YAF_mood_fearful.wav", 200);
        writeText(root + "/OAF_text_happy.wav", "this is not audio, just text renamed to .wav\n");
        writeText(root + "/OAF_zero_disgust.wav", "");
        writeWav(root + "/OAF_silent_neutral.wav", 0); // valid header, no samples
        writeWav(root + "/OAF_nolabel.wav", 100);
        writeWav(root + "/OAF_word_calm.wav", 100);
        writeText(root + "/notes.txt", "ignored");
        // A linked folder cycle must neither hang the walk nor list clips twice.
        QVERIFY(QFile::link(root, root + "/mixed/loop"));

        const Dataset d = scanDataset(root.toStdString());
        QCOMPARE(d.layout, DatasetLayout::Tess);
        QCOMPARE(d.roots, std::vector<std::string>{abs(root)});
        const std::string r = abs(root);
        const std::vector<ClipView> expected{
            {r + "/OAF_angry/OAF_back_angry.wav", "angry", "OAF", ""},
            {r + "/YAF_sad/YAF_dog_Sad.WAV", "sad", "YAF", ""},
            {r + "/mixed/OAF_bean_pleasant_surprise.wav", "ps", "OAF", ""},
            {r + "/mixed/YAF_kite_pleasant_surprised.wav", "ps", "YAF", ""},
            {r + "/mixed/YAF_mood_fearful.wav", "fear", "YAF", ""},
        };
        COMPARE_CLIPS(view(d), expected);
        for (const auto& c : d.clips)
            QCOMPARE(c.source, r);
        QVERIFY(!probeReason(r + "/OAF_text_happy.wav").empty());
        compareSkipped(d.skipped, {
            {r + "/OAF_nolabel.wav", "no emotion label in name 'OAF_nolabel.wav'"},
            {r + "/OAF_silent_neutral.wav", "no audio samples (empty file)"},
            {r + "/OAF_text_happy.wav", probeReason(r + "/OAF_text_happy.wav")},
            {r + "/OAF_word_calm.wav", "no emotion label in name 'OAF_word_calm.wav'"},
            {r + "/OAF_zero_disgust.wav", probeReason(r + "/OAF_zero_disgust.wav")},
        });
        QCOMPARE(d.speakers(), (std::vector<std::string>{"OAF", "YAF"}));
        QCOMPARE(d.countsPerSpeaker(), (std::map<std::string, int>{{"OAF", 2}, {"YAF", 3}}));
        const auto perLabel = d.countsPerLabel();
        QCOMPARE(perLabel.size(), std::size_t(7));
        QCOMPARE(perLabel.at("ps"), 2);
        QCOMPARE(perLabel.at("angry"), 1);
        QCOMPARE(perLabel.at("happy"), 0);
        QVERIFY(!d.hasFixedSplit());

        // Without probing, unreadable files are kept (labels still come from names).
        const Dataset unprobed = scanDataset(root.toStdString(), ScanOptions{false});
        QCOMPARE(unprobed.clips.size(), std::size_t(8));
        QCOMPARE(unprobed.skipped.size(), std::size_t(2));

        // A trailing slash names the same root.
        QCOMPARE(scanDataset((root + "/").toStdString()).roots, d.roots);
    }

    void folderPerLabel()
    {
        const QString root = tmp_.filePath("folders");
        writeWav(root + "/Angry/one.wav", 200);
        writeWav(root + "/sad/two.wav", 200);
        writeWav(root + "/surprised/three.wav", 200);
        writeWav(root + "/fearful/session1/four.wav", 200); // nearest label folder counts
        writeWav(root + "/calm/five.wav", 200);
        writeWav(root + "/loose.wav", 200);
        writeText(root + "/disgust/broken.wav", "RIFF but not really");
        writeText(root + "/split.csv", "path,split\nAngry/one.wav,test\nsad/two.wav,train\nnot/there.wav,test\n");

        const Dataset d = scanDataset(root.toStdString());
        QCOMPARE(d.layout, DatasetLayout::FolderPerLabel);
        const std::string r = abs(root);
        const std::vector<ClipView> expected{
            {r + "/Angry/one.wav", "angry", "", "test"},
            {r + "/fearful/session1/four.wav", "fear", "", ""},
            {r + "/sad/two.wav", "sad", "", "train"},
            {r + "/surprised/three.wav", "ps", "", ""},
        };
        COMPARE_CLIPS(view(d), expected);
        compareSkipped(d.skipped, {
            {r + "/calm/five.wav", "no emotion label in name 'calm/five.wav'"},
            {r + "/disgust/broken.wav", probeReason(r + "/disgust/broken.wav")},
            {r + "/loose.wav", "no emotion label in name 'loose.wav'"},
        });
        QVERIFY(d.hasFixedSplit());
        QVERIFY(d.speakers().empty());
        QVERIFY(d.countsPerSpeaker().empty());

        // Fixed split: the split.csv test clip; clips split.csv does not mention train.
        const Split fixed = makeSplit(d, parseSplitSpec("fixed"));
        QCOMPARE(fixed.test, std::vector<int>{0});
        QCOMPARE(fixed.train, (std::vector<int>{1, 2, 3}));
        // "random" on data with a split.csv means the fixed split.
        QCOMPARE(resolveSplitSpec(d, parseSplitSpec("random")).mode, SplitMode::Fixed);
        QCOMPARE(resolveSplit(d, parseSplitSpec("random")).split.test, std::vector<int>{0});
        // The model card's words for it name the request and what it became, for the CLI and the GUI alike.
        QCOMPARE(resolveSplit(d, parseSplitSpec("random")).description, std::string("random:0.15 -> fixed (split.csv)"));
        QCOMPARE(resolveSplit(d, parseSplitSpec("fixed")).description, std::string("fixed (split.csv)"));
        QCOMPARE(toString(parseSplitSpec("random:0.2")), std::string("random:0.2"));
        QCOMPARE(toString(parseSplitSpec("speaker:OAF, YAF")), std::string("speaker:OAF,YAF"));
        QCOMPARE(describeSplit(parseSplitSpec("random:0.2"), parseSplitSpec("random:0.2")), std::string("random:0.2 (seed 42)"));
        // No speakers known: a speaker split names none of them.
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeSplit(d, parseSplitSpec("speaker:OAF")));
    }

    void csvManifest()
    {
        const QString root = tmp_.filePath("manifest");
        const QString elsewhere = tmp_.filePath("elsewhere/abs_clip.wav");
        writeWav(root + "/clips/SPK_word_sad.wav", 200); // the manifest's label wins over the name
        writeWav(root + "/clips/b.wav", 200);
        writeWav(root + "/clips/c, quoted.wav", 200);
        writeWav(root + "/clips/d.wav", 200);
        writeWav(root + "/clips/OAF_unlisted_angry.wav", 200); // on disk, not listed: not part of the dataset
        writeText(root + "/clips/text.wav", "hello");
        writeWav(elsewhere, 200);
        writeText(root + "/manifest.csv",
                  "path,label,speaker,extra\n"
                  "clips/SPK_word_sad.wav,angry,spk1,x\n"
                  "clips/b.wav,Surprised,spk2,x\n"
                  "\"clips/c, quoted.wav\",happiness,spk1,\"a \"\"quoted\"\" note\"\n"
                  "missing.wav,sad,spk3,x\n"
                  "clips/d.wav,calm,spk2,x\n"
                  + QFileInfo(elsewhere).absoluteFilePath().toUtf8() + ",neutral,spk3,x\n"
                  "clips/text.wav,fear,spk1,x\n");
        writeText(root + "/split.csv", "path,split\nclips/b.wav,test\n");

        const Dataset d = scanDataset(root.toStdString());
        QCOMPARE(d.layout, DatasetLayout::CsvManifest);
        const std::string r = abs(root);
        const std::vector<ClipView> expected{
            {r + "/clips/SPK_word_sad.wav", "angry", "spk1", ""},
            {r + "/clips/b.wav", "ps", "spk2", "test"},
            {r + "/clips/c, quoted.wav", "happy", "spk1", ""},
            {abs(QFileInfo(elsewhere).absoluteFilePath()), "neutral", "spk3", ""},
        };
        auto sorted = expected;
        std::sort(sorted.begin(), sorted.end(), [](const ClipView& a, const ClipView& b) { return a.path < b.path; });
        COMPARE_CLIPS(view(d), sorted);
        compareSkipped(d.skipped, {
            {r + "/clips/d.wav", "no emotion label in manifest.csv ('calm')"},
            {r + "/clips/text.wav", probeReason(r + "/clips/text.wav")},
            {r + "/missing.wav", "listed in manifest.csv but missing"},
        });
        QCOMPARE(d.speakers(), (std::vector<std::string>{"spk1", "spk2", "spk3"}));
        QCOMPARE(d.countsPerSpeaker(), (std::map<std::string, int>{{"spk1", 2}, {"spk2", 1}, {"spk3", 1}}));

        // Speaker split on a manifest's speakers.
        const Split bySpeaker = makeSplit(d, parseSplitSpec("speaker:spk1"));
        QCOMPARE(bySpeaker.test.size(), std::size_t(2));
        for (int i : bySpeaker.test)
            QCOMPARE(d.clips[std::size_t(i)].speaker, std::string("spk1"));
        QCOMPARE(bySpeaker.train.size(), std::size_t(2));
    }

    void csvGivenDirectly()
    {
        const QString root = tmp_.filePath("direct");
        writeWav(root + "/audio/x.wav", 200);
        writeWav(root + "/audio/y.wav", 200);
        // Emotion column instead of label, no speaker column, CRLF line ends, BOM.
        writeText(root + "/my labels.csv", "\xEF\xBB\xBFPath,Emotion\r\naudio/x.wav,Disgusted\r\naudio/y.wav,sad\r\n");
        writeText(root + "/bad.csv", "file_name,category\naudio/x.wav,sad\n");

        const Dataset d = scanDataset((root + "/my labels.csv").toStdString());
        QCOMPARE(d.layout, DatasetLayout::CsvManifest);
        const std::string r = abs(root);
        COMPARE_CLIPS(view(d), (std::vector<ClipView>{{r + "/audio/x.wav", "disgust", "", ""},
                                                       {r + "/audio/y.wav", "sad", "", ""}}));
        QVERIFY(d.skipped.empty());

        // The folder itself: no manifest.csv, but a CSV with path/label columns counts as one.
        const Dataset folder = scanDataset(root.toStdString());
        QCOMPARE(folder.layout, DatasetLayout::CsvManifest);
        QCOMPARE(folder.clips.size(), std::size_t(2));

        // A CSV without path/label columns is unusable.
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, scanDataset((root + "/bad.csv").toStdString()));
    }

    void unbalancedQuoteIsAnErrorNamingTheLine()
    {
        // Before, the open quote swallowed every later row into one field, silently.
        const QString root = tmp_.filePath("quote");
        writeWav(root + "/a.wav", 200);
        writeWav(root + "/b.wav", 200);
        writeText(root + "/manifest.csv", "path,label\na.wav,angry\n\"b.wav,sad\nc.wav,happy\n");
        for (const QString& input : {root, root + "/manifest.csv"}) {
            try {
                scanDataset(input.toStdString());
                QFAIL("no exception");
            } catch (const std::runtime_error& e) {
                const std::string msg = e.what();
                QVERIFY2(msg.find("manifest.csv") != std::string::npos && msg.find("line 3: unbalanced quote") != std::string::npos,
                         e.what());
            }
        }
    }

    void manifestPathsStayInsideTheFolder()
    {
        const QString root = tmp_.filePath("escape/data");
        writeWav(root + "/in.wav", 200);
        writeWav(tmp_.filePath("escape/outside.wav"), 200);
        writeText(root + "/manifest.csv", "path,label\nin.wav,angry\n../outside.wav,sad\nsub/../../outside.wav,happy\n");
        const Dataset d = scanDataset(root.toStdString());
        QCOMPARE(d.clips.size(), std::size_t(1));
        QCOMPARE(d.skipped.size(), std::size_t(2));
        for (const auto& s : d.skipped) QVERIFY2(s.reason.find("leaves the dataset folder") != std::string::npos, s.reason.c_str());
    }

    void fifosAndDanglingLinksAreListed()
    {
        const QString root = tmp_.filePath("odd");
        writeWav(root + "/angry/ok.wav", 200);
        QVERIFY(::mkfifo((root + "/angry/pipe.wav").toLocal8Bit().constData(), 0600) == 0);
        QVERIFY(QFile::link(root + "/angry/gone.wav", root + "/angry/dangling.wav"));
        QVERIFY(QFile::link(root + "/angry/ok.wav", root + "/angry/link.wav")); // a good link is a clip
        writeText(root + "/angry/notes.txt", "not audio, not listed");
        const Dataset d = scanDataset(root.toStdString());
        QCOMPARE(d.clips.size(), std::size_t(2));
        const std::string r = abs(root);
        compareSkipped(d.skipped, {
            {r + "/angry/dangling.wav", "a dangling link"},
            {r + "/angry/pipe.wav", "a FIFO, not a regular file"},
        });
        // Listed in a manifest, the same reasons.
        writeText(root + "/manifest.csv", "path,label\nangry/ok.wav,angry\nangry/pipe.wav,sad\nangry/dangling.wav,sad\n");
        const Dataset m = scanDataset(root.toStdString());
        compareSkipped(m.skipped, {
            {r + "/angry/dangling.wav", "listed in manifest.csv but a dangling link"},
            {r + "/angry/pipe.wav", "listed in manifest.csv but a FIFO, not a regular file"},
        });
    }

    void missingRootThrows()
    {
        const std::string missing = tmp_.filePath("does/not/exist").toStdString();
        try {
            scanDataset(missing);
            QFAIL("no exception for a missing folder");
        } catch (const std::runtime_error& e) {
            QVERIFY2(std::string(e.what()).find(missing) != std::string::npos, e.what());
        }
        writeText(tmp_.filePath("plain.txt"), "x");
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, scanDataset(tmp_.filePath("plain.txt").toStdString()));
        // An empty folder is a dataset with no clips, not an error.
        QDir().mkpath(tmp_.filePath("empty"));
        const Dataset empty = scanDataset(tmp_.filePath("empty").toStdString());
        QVERIFY(empty.clips.empty());
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeSplit(empty, parseSplitSpec("random")));
    }

    void parseSpecs()
    {
        QCOMPARE(parseSplitSpec("random").mode, SplitMode::Random);
        QCOMPARE(parseSplitSpec(" Random ").mode, SplitMode::Random);
        QCOMPARE(parseSplitSpec("fixed").mode, SplitMode::Fixed);
        const SplitSpec one = parseSplitSpec("speaker:OAF");
        QCOMPARE(one.mode, SplitMode::Speaker);
        QCOMPARE(one.testSpeakers, std::vector<std::string>{"OAF"});
        const SplitSpec three = parseSplitSpec("speaker:Actor_10, Actor_11,Actor_12");
        QCOMPARE(three.testSpeakers, (std::vector<std::string>{"Actor_10", "Actor_11", "Actor_12"}));
        QCOMPARE(parseSplitSpec("random:0.2").testFraction, 0.2);
        for (const char* bad : {"", "speaker", "speaker:", "speaker: , ", "byspeaker:OAF", "fixed:1", "random:2",
                                "random:x", "shuffle"})
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseSplitSpec(bad));
        QCOMPARE(std::string(toString(SplitMode::Speaker)), std::string("speaker"));
        QCOMPARE(std::string(toString(DatasetLayout::Tess)), std::string("tess"));
    }

    void realTess()
    {
        QElapsedTimer timer;
        timer.start();
        REQUIRE_DATA(testdata::tessDir());
        const Dataset d = scanDataset(testdata::tessDir().toStdString());
        qInfo("TESS scan (with header probes): %lld ms", static_cast<long long>(timer.elapsed()));
        QCOMPARE(d.clips.size(), std::size_t(2800));
        QVERIFY2(d.skipped.empty(), qPrintable(describe(d.skipped)));
        QCOMPARE(d.layout, DatasetLayout::CsvManifest); // manifest.csv is preferred: it names the speakers
        QCOMPARE(d.speakers(), (std::vector<std::string>{"OAF", "YAF"}));
        QCOMPARE(d.countsPerSpeaker(), (std::map<std::string, int>{{"OAF", 1400}, {"YAF", 1400}}));
        for (const auto& [label, count] : d.countsPerLabel())
            QVERIFY2(count == 400, qPrintable(QString::fromStdString(label) + ": " + QString::number(count)));
        QVERIFY(std::is_sorted(d.clips.begin(), d.clips.end(),
                               [](const Clip& a, const Clip& b) { return a.path < b.path; }));
        for (const auto& c : d.clips) {
            const std::string name = std::filesystem::path(c.path).filename().string();
            // The manifest's speaker and emotion agree with the name.
            QVERIFY2(name.rfind(c.speaker + "_", 0) == 0, c.path.c_str());
            QVERIFY2(name.find("_" + c.label + ".flac") != std::string::npos, c.path.c_str());
            QVERIFY(std::filesystem::path(c.path).is_absolute());
            QVERIFY(c.fixedSplit == "train" || c.fixedSplit == "test");
        }

        // Fixed split from split.csv.
        QVERIFY(d.hasFixedSplit());
        const Split fixed = makeSplit(d, parseSplitSpec("fixed"));
        QCOMPARE(fixed.train.size(), std::size_t(2380));
        QCOMPARE(fixed.test.size(), std::size_t(420));
        for (int i : fixed.test)
            QCOMPARE(d.clips[std::size_t(i)].fixedSplit, std::string("test"));
        // The CLI/GUI rule: "random" here is the fixed split.
        const Split cli = resolveSplit(d, parseSplitSpec("random")).split;
        QCOMPARE(cli.test, fixed.test);
        QCOMPARE(cli.train, fixed.train);

        // Random: stratified, seeded.
        SplitSpec spec = parseSplitSpec("random");
        const Split a = makeSplit(d, spec);
        QCOMPARE(a.test.size(), std::size_t(420)); // 15 % of 400 = 60 per label
        std::map<std::string, int> testPerLabel;
        for (int i : a.test)
            ++testPerLabel[d.clips[std::size_t(i)].label];
        for (const auto& label : d.labels)
            QCOMPARE(testPerLabel[label], 60);
        std::set<int> all = asSet(a.train);
        QCOMPARE(all.size(), a.train.size());
        for (int i : a.test)
            QVERIFY(all.insert(i).second); // disjoint
        QCOMPARE(all.size(), std::size_t(2800));
        QVERIFY(asSet(a.test) != asSet(fixed.test));
        const Split again = makeSplit(d, spec);
        QCOMPARE(again.test, a.test);
        QCOMPARE(again.train, a.train);
        spec.seed = 43;
        const Split other = makeSplit(d, spec);
        QCOMPARE(other.test.size(), std::size_t(420));
        QVERIFY(other.test != a.test);
        spec.testFraction = 0.25;
        QCOMPARE(makeSplit(d, spec).test.size(), std::size_t(7 * 100));

        // Speaker-independent.
        const Split oaf = makeSplit(d, parseSplitSpec("speaker:OAF"));
        QCOMPARE(oaf.test.size(), std::size_t(1400));
        QCOMPARE(oaf.train.size(), std::size_t(1400));
        for (int i : oaf.test)
            QCOMPARE(d.clips[std::size_t(i)].speaker, std::string("OAF"));
        for (int i : oaf.train)
            QCOMPARE(d.clips[std::size_t(i)].speaker, std::string("YAF"));
        QCOMPARE(resolveSplit(d, parseSplitSpec("speaker:OAF")).split.test, oaf.test);
        try {
            makeSplit(d, parseSplitSpec("speaker:Nobody"));
            QFAIL("no exception for an unknown speaker");
        } catch (const std::invalid_argument& e) {
            const std::string what = e.what();
            QVERIFY2(what.find("Nobody") != std::string::npos && what.find("OAF") != std::string::npos
                         && what.find("YAF") != std::string::npos,
                     e.what());
        }
        // Both speakers in test leaves nothing to train on.
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeSplit(d, parseSplitSpec("speaker:OAF,YAF")));
    }

    void realTessByNames()
    {
        // The TESS folders without manifest.csv/split.csv (linked into a temporary folder): labels and speakers
        // then come from the SPEAKER_word_emotion names.
        const QString source = testdata::tessDir();
        REQUIRE_DATA(source);
        const QString root = tmp_.filePath("tess-names");
        QVERIFY(QDir().mkpath(root));
        const QStringList folders = QDir(source).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QCOMPARE(folders.size(), 14);
        for (const QString& f : folders)
            QVERIFY(QFile::link(QDir(source).absoluteFilePath(f), root + "/" + f));

        const Dataset byName = scanDataset(root.toStdString());
        QCOMPARE(byName.layout, DatasetLayout::Tess);
        QCOMPARE(byName.clips.size(), std::size_t(2800));
        QVERIFY(byName.skipped.empty());
        QVERIFY(!byName.hasFixedSplit());
        const Dataset byManifest = scanDataset(source.toStdString(), ScanOptions{false});
        QCOMPARE(byManifest.clips.size(), std::size_t(2800));
        for (std::size_t i = 0; i < byName.clips.size(); ++i) {
            QCOMPARE(byName.clips[i].label, byManifest.clips[i].label);
            QCOMPARE(byName.clips[i].speaker, byManifest.clips[i].speaker);
            QCOMPARE(std::filesystem::path(byName.clips[i].path).filename(),
                     std::filesystem::path(byManifest.clips[i].path).filename());
        }
    }

    void realRavdessAndCombined()
    {
        REQUIRE_DATA(testdata::ravdessDir());
        REQUIRE_DATA(testdata::tessDir());
        const Dataset rav = scanDataset(testdata::ravdessDir().toStdString());
        QCOMPARE(rav.clips.size(), std::size_t(624));
        QVERIFY2(rav.skipped.empty(), qPrintable(describe(rav.skipped)));
        QCOMPARE(rav.layout, DatasetLayout::CsvManifest);
        const auto speakers = rav.speakers();
        QCOMPARE(speakers.size(), std::size_t(12));
        QCOMPARE(speakers.front(), std::string("Actor_01"));
        QCOMPARE(speakers.back(), std::string("Actor_12"));
        for (const auto& [speaker, count] : rav.countsPerSpeaker())
            QCOMPARE(count, 52);
        const auto perLabel = rav.countsPerLabel();
        QCOMPARE(perLabel.at("neutral"), 48);
        QCOMPARE(perLabel.at("ps"), 96);
        QCOMPARE(perLabel.at("angry"), 96);
        QVERIFY(!rav.hasFixedSplit());
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeSplit(rav, parseSplitSpec("fixed")));

        // Random on RAVDESS: round(96 * 0.15) = 14 per label, round(48 * 0.15) = 7 neutral.
        const Split random = resolveSplit(rav, parseSplitSpec("random")).split;
        QCOMPARE(random.test.size(), std::size_t(6 * 14 + 7));
        QCOMPARE(random.test, makeSplit(rav, parseSplitSpec("random")).test);

        const Split three = makeSplit(rav, parseSplitSpec("speaker:Actor_10,Actor_11,Actor_12"));
        QCOMPARE(three.test.size(), std::size_t(156));
        QCOMPARE(three.train.size(), std::size_t(468));
        for (int i : three.test) {
            const auto& s = rav.clips[std::size_t(i)].speaker;
            QVERIFY(s == "Actor_10" || s == "Actor_11" || s == "Actor_12");
        }

        const Dataset tess = scanDataset(testdata::tessDir().toStdString());
        const Dataset both = combineDatasets({tess, rav});
        QCOMPARE(both.clips.size(), std::size_t(3424));
        QCOMPARE(both.roots.size(), std::size_t(2));
        QCOMPARE(both.speakers().size(), std::size_t(14));
        QCOMPARE(both.countsPerLabel().at("neutral"), 448);
        for (const auto& c : both.clips)
            QCOMPARE(both.labels[std::size_t(c.labelIndex)], c.label);
        // TESS's split.csv makes "random" fixed; RAVDESS clips (no split.csv) all train.
        const Split cli = resolveSplit(both, parseSplitSpec("random")).split;
        QCOMPARE(cli.test.size(), std::size_t(420));
        QCOMPARE(cli.train.size(), std::size_t(3004));
        const Split actors = makeSplit(both, parseSplitSpec("speaker:OAF,Actor_12"));
        QCOMPARE(actors.test.size(), std::size_t(1452));

        // The same folder twice does not double its clips.
        const Dataset twice = combineDatasets({rav, rav});
        QCOMPARE(twice.clips.size(), std::size_t(624));
        QCOMPARE(twice.skipped.size(), std::size_t(624));
        QVERIFY(combineDatasets({}).clips.empty());
    }
};

QTEST_GUILESS_MAIN(TestDataset)
#include "test_dataset.moc"
