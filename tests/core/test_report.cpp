// SPDX-License-Identifier: GPL-3.0-or-later
// Leave-speakers-out report and the robust recipe on real clips (a small TESS + RAVDESS subset, a tiny network):
// folds never test a speaker they trained or validated on, every corpus gets clean and degraded figures, the
// calibration lands in the card, and validation speakers are held out of training.
#include "ModelTestSupport.h"
#include "infer/Classifier.h"
#include "model/ModelFile.h"
#include "train/Calibration.h"
#include "train/GeneralisationReport.h"
#include "util/Argmax.h"
#include <QtTest>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

using namespace emoscope;

namespace {

Dataset ravdessSubset(int actors, int perLabel)
{
    ScanOptions scan;
    scan.probeFiles = false;
    const Dataset all = scanDataset(testdata::ravdessDir().toStdString(), scan);
    Dataset out = all;
    out.clips.clear();
    std::map<std::pair<std::string, std::string>, int> taken;
    for (const auto& c : all.clips) {
        if (c.speaker > "Actor_" + std::string(actors < 10 ? "0" : "") + std::to_string(actors)) continue;
        if (taken[{c.speaker, c.label}]++ < perLabel) out.clips.push_back(c);
    }
    return out;
}

TrainOptions tinyRobust()
{
    TrainOptions o = testdata::tinyOptions(1);
    const ModelArch tinyArch = o.arch;
    applyRecipe("robust", o);
    o.arch = tinyArch;
    o.features.nMels = 40;
    o.input.trainCropFrames = 64;
    o.epochs = 2;
    o.threads = 2;
    o.validationSpeakerFraction = 0.34;
    return o;
}

// The report's verdict counts for its one corpus, against judgeFile on each clip (the CLI's classify path): every
// clip has one status, and "right when ok" counts the ok verdicts that name the true label. Returns the ok count.
int checkVerdicts(const GeneralisationReport& r, const Classifier& model, const Dataset& data, const std::vector<int>& clips)
{
    int ok = 0, okCorrect = 0, uncertain = 0, noSpeech = 0;
    for (int i : clips) {
        const Clip& clip = data.clips[std::size_t(i)];
        const Verdict v = model.judgeFile(clip.path);
        ok += v.status == VerdictStatus::Ok;
        uncertain += v.status == VerdictStatus::Uncertain;
        noSpeech += v.status == VerdictStatus::NoSpeech;
        okCorrect += v.status == VerdictStatus::Ok && model.labels()[std::size_t(argmax(v.probabilities))] == clip.label;
    }
    qInfo("verdicts: %d ok (%d right), %d uncertain, %d no speech", ok, okCorrect, uncertain, noSpeech);
    [&] {
        QCOMPARE(int(r.corpora.size()), 1);
        const CorpusFigures& c = r.corpora.front();
        QCOMPARE(c.okClips, ok);
        QCOMPARE(c.okCorrect, okCorrect);
        QCOMPARE(c.uncertainClips, uncertain);
        QCOMPARE(c.noSpeechClips, noSpeech);
        QCOMPARE(ok + uncertain + noSpeech, c.clean.total());
        const nlohmann::json verdicts = nlohmann::json::parse(r.toJson()).at("corpora").at(0).at("verdicts");
        QCOMPARE(verdicts.at("ok").get<int>(), ok);
        QCOMPARE(verdicts.at("ok_correct").get<int>(), okCorrect);
        QCOMPARE(verdicts.at("uncertain").get<int>(), uncertain);
        QCOMPARE(verdicts.at("no_speech").get<int>(), noSpeech);
        QVERIFY2(r.toMarkdown().find("| ok % | right when ok % |") != std::string::npos, r.toMarkdown().c_str());
    }();
    return ok;
}

// The kept clips of a recipe's report: every held-out clip once, with the probabilities the corpus figures were
// computed from; every fold's validation clips, none of them a speaker that fold tests; the fold's calibration in
// each line.
void checkKeptClips(const GeneralisationReport& r)
{
    std::map<std::string, const ClipResult*> clean;
    for (const auto& c : r.corpora)
        for (const auto& res : c.clean.results) clean[res.file] = &res;
    std::map<int, int> validationOf;
    std::set<std::string> tested;
    for (const auto& k : r.clips) {
        QVERIFY(k.fold >= 1 && k.fold <= int(r.folds.size()));
        const FoldSummary& f = r.folds[std::size_t(k.fold - 1)];
        QCOMPARE(k.temperature, f.temperature);
        const bool testedByFold =
            std::find(f.testSpeakers.begin(), f.testSpeakers.end(), k.corpus + ":" + k.speaker) != f.testSpeakers.end();
        if (k.validation) {
            ++validationOf[k.fold];
            QVERIFY2(!testedByFold, k.file.c_str());
            continue;
        }
        QVERIFY2(testedByFold, k.file.c_str());
        QVERIFY2(tested.insert(k.file).second, k.file.c_str());
        QVERIFY2(clean.count(k.file), k.file.c_str());
        QCOMPARE(k.truth, clean[k.file]->trueIndex);
        QCOMPARE(k.probabilities, clean[k.file]->probabilities);
    }
    QCOMPARE(tested.size(), clean.size());
    for (const auto& f : r.folds) QCOMPARE(validationOf[f.fold], f.validationClips);
    // The validation clips are the ones the fold's temperature was fitted on: refitting it on their logits
    // (T * log p, up to a constant) with the trainer's weights gives the fold's temperature back.
    for (const auto& f : r.folds) {
        std::vector<std::vector<float>> logits;
        std::vector<int> truth;
        std::vector<std::string> corpus;
        for (const auto& k : r.clips)
            if (k.validation && k.fold == f.fold) {
                std::vector<float> z;
                for (float p : k.probabilities) z.push_back(float(k.temperature * std::log(std::max(p, 1e-30f))));
                logits.push_back(z);
                truth.push_back(k.truth);
                corpus.push_back(k.corpus);
            }
        const double refit = fitCalibration(logits, truth, 0.7, equalGroupWeights(corpus)).temperature;
        QVERIFY2(std::abs(refit - f.temperature) < 1e-3 * f.temperature,
                 qPrintable(QString("fold %1: %2 vs %3").arg(f.fold).arg(refit).arg(f.temperature)));
    }
    // One JSON line per clip, naming its role and label.
    std::istringstream lines(r.clipsJsonLines());
    std::string line;
    std::size_t n = 0;
    for (; std::getline(lines, line); ++n) {
        const auto j = nlohmann::json::parse(line);
        const ScoredClip& k = r.clips[n];
        QCOMPARE(j.at("role").get<std::string>(), std::string(k.validation ? "validation" : "test"));
        QCOMPARE(j.at("label").get<std::string>(), r.labels[std::size_t(k.truth)]);
        QCOMPARE(j.at("probabilities").size(), r.labels.size());
    }
    QCOMPARE(n, r.clips.size());
}

} // namespace

class TestReport : public QObject {
    Q_OBJECT

private:
    Dataset data_;

private Q_SLOTS:
    void initTestCase()
    {
        data_ = combineDatasets({testdata::tessSubset(4), ravdessSubset(6, 2)});
        QCOMPARE(int(data_.clips.size()), 28 + 6 * 7 * 2);
    }

    void validationSpeakersAreHeldOut()
    {
        TrainOptions o = tinyRobust();
        std::vector<std::string> logs;
        TrainCallbacks cb;
        cb.onLog = [&](const std::string& s) { logs.push_back(s); };
        Trainer t(data_, testdata::allTrain(data_), o);
        const TrainResult r = t.run(cb);
        // RAVDESS has 6 speakers: 2 validate (0.34 of 6), TESS (2 speakers) has too few and only trains.
        std::string line;
        for (const auto& s : logs)
            if (s.rfind("validation speakers of", 0) == 0) line += s + "\n";
        QVERIFY2(line.find("ravdess") != std::string::npos, line.c_str());
        QVERIFY2(line.find("tess") == std::string::npos, line.c_str());
        QCOMPARE(r.validationClips, 2 * 7 * 2);
        QCOMPARE(r.trainClips, int(data_.clips.size()) - 2 * 7 * 2);
        const ModelCard card = t.card();
        QVERIFY(card.calibration.temperature > 0.01 && card.calibration.temperature != 1.0);
        QVERIFY(card.calibration.uncertainThreshold >= 0.3 && card.calibration.uncertainThreshold <= 0.8);
        QCOMPARE(card.features.sampleRate, 16000);
        const auto prov = nlohmann::json::parse(card.provenanceJson);
        QCOMPARE(prov.at("recipe").get<std::string>(), std::string("robust"));
        QVERIFY(nlohmann::json::parse(card.metricsJson).contains("calibration"));
        // The calibration survives a save/load round trip and the classifier uses it.
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/m.pt").toStdString();
        t.saveModel(path);
        QCOMPARE(readModelCard(path).calibration, card.calibration);
    }

    void foldsTestEverySpeakerOnce()
    {
        ReportOptions ro;
        ro.train = tinyRobust();
        ro.folds = 2;
        ro.degradedClipsPerCorpus = 3;
        ro.keepClips = true;
        const GeneralisationReport r = runGeneralisationReport(data_, ro);
        QVERIFY(!r.cancelled);
        QCOMPARE(int(r.folds.size()), 2);
        checkKeptClips(r);
        std::set<std::string> seen;
        int tested = 0;
        for (const auto& f : r.folds) {
            for (const auto& s : f.testSpeakers) QVERIFY2(seen.insert(s).second, s.c_str()); // once only
            tested += f.testClips;
        }
        QCOMPARE(int(seen.size()), 2 + 6);           // both TESS speakers, six actors
        QCOMPARE(tested, int(data_.clips.size()));   // every clip scored once, as a stranger
        QCOMPARE(int(r.corpora.size()), 2);
        for (const auto& c : r.corpora) {
            QVERIFY(c.corpus == "tess" || c.corpus == "ravdess");
            QVERIFY(c.clean.total() > 0);
            QVERIFY(c.ece >= 0 && c.ece <= 1);
            QCOMPARE(int(c.degraded.size()), int(r.conditions.size()));
            for (const auto& [name, rep] : c.degraded) QCOMPARE(rep.total(), 2 * 3); // 3 clips per fold
        }
        const auto j = nlohmann::json::parse(r.toJson());
        QCOMPARE(int(j.at("corpora").size()), 2);
        const std::string md = r.toMarkdown();
        QVERIFY(md.find("| tess |") != std::string::npos && md.find("| ravdess |") != std::string::npos);
        QVERIFY(md.find("pink_10db") != std::string::npos);
    }

    // A model file's own report: scored on the speakers it never trained on, with no training. Its clean figures
    // are what `evaluate` gives on those speakers' clips (another code path), and no other speaker is scored.
    void modelReportScoresOnlyTheNamedSpeakers()
    {
        SplitSpec spec;
        spec.mode = SplitMode::Speaker;
        spec.testSpeakers = {"Actor_01", "Actor_02"};
        const Split split = makeSplit(data_, spec);
        QCOMPARE(int(split.test.size()), 2 * 7 * 2);
        Trainer t(data_, split, tinyRobust());
        QVERIFY(!t.run().cancelled);
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/m.pt").toStdString();
        t.saveModel(path);
        const auto model = Classifier::load(path);

        ReportOptions ro;
        ro.train.threads = 2;
        ro.degradedClipsPerCorpus = 3;
        const GeneralisationReport r = scoreModelOnSpeakers(data_, *model, spec.testSpeakers, ro);
        QVERIFY(!r.cancelled);
        QVERIFY(r.folds.empty());
        QCOMPARE(r.modelPath, path);
        QCOMPARE(int(r.corpora.size()), 1); // no TESS speaker was named
        const CorpusFigures& c = r.corpora.front();
        QCOMPARE(c.corpus, std::string("ravdess"));
        QCOMPARE(c.speakers, 2);
        QCOMPARE(c.clean.total(), int(split.test.size()));
        const EvaluationReport direct = evaluateModel(*model, data_, split.test);
        QCOMPARE(c.clean.confusion, direct.confusion);
        QCOMPARE(c.clean.uar, direct.uar);
        for (const auto& [name, rep] : c.degraded) QCOMPARE(rep.total(), 3);
        QCOMPARE(int(c.degraded.size()), int(r.conditions.size()));
        checkVerdicts(r, *model, data_, split.test);
        QVERIFY(!QTest::currentTestFailed());
        const std::string md = r.toMarkdown();
        QVERIFY2(md.find("| ok % | right when ok % |") != std::string::npos, md.c_str());
        QVERIFY2(md.find("Speakers: Actor_01 Actor_02.") != std::string::npos, md.c_str());
        QVERIFY2(md.find("### Folds") == std::string::npos, md.c_str());
        QCOMPARE(nlohmann::json::parse(r.toJson()).at("model").get<std::string>(), path);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, scoreModelOnSpeakers(data_, *model, {"Actor_99"}, ro));
    }

    // The verdict columns with a model that is sure of many clips (the bundled one, on two actors it trained on: this
    // checks the counting, not how well it generalises), so that "right when ok" counts something.
    void verdictCountsOfASureModel()
    {
        const auto model = Classifier::load(testdata::bundledModel().toStdString());
        SplitSpec spec;
        spec.mode = SplitMode::Speaker;
        spec.testSpeakers = {"Actor_01", "Actor_02"};
        const Split split = makeSplit(data_, spec);
        ReportOptions ro;
        ro.train.threads = 2;
        ro.degrade = false;
        const GeneralisationReport r = scoreModelOnSpeakers(data_, *model, spec.testSpeakers, ro);
        const int ok = checkVerdicts(r, *model, data_, split.test);
        QVERIFY(!QTest::currentTestFailed());
        QVERIFY2(ok > 0 && r.corpora.front().okCorrect > 0, "some verdicts are ok and right");
    }
};

QTEST_GUILESS_MAIN(TestReport)
#include "test_report.moc"
