// SPDX-License-Identifier: GPL-3.0-or-later
// Personalization (issue 14): the held-back rule, that adaptation really fits the takes it is given, the card it
// writes, saving and loading, and cancel. Takes are real clips of a RAVDESS actor the bundled model never trained on
// (Actor_11, one of its validation speakers).
#include "TestData.h"
#include "infer/Classifier.h"
#include "train/Dataset.h"
#include "train/Personalizer.h"
#include <QTemporaryDir>
#include <QTest>
#include <nlohmann/json.hpp>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <numeric>

using namespace emoscope;

namespace {

// Statement-1 clips of one RAVDESS actor, at most perLabel per label.
Dataset actorTakes(const std::string& actor, int perLabel)
{
    ScanOptions scan;
    scan.probeFiles = false;
    const Dataset all = scanDataset(testdata::ravdessDir().toStdString(), scan);
    Dataset out = all;
    out.clips.clear();
    std::map<std::string, int> n;
    for (const auto& c : all.clips) {
        const std::string name = c.path.substr(c.path.find_last_of('/') + 1);
        if (c.speaker != actor || name.substr(12, 2) != "01") continue;
        if (n[c.label]++ < perLabel) out.clips.push_back(c);
    }
    return out;
}

int matches(const Classifier& model, const Dataset& ds, const std::vector<int>& idx)
{
    int hits = 0;
    for (int i : idx) {
        const auto p = model.classifyFile(ds.clips[std::size_t(i)].path);
        const auto top = std::max_element(p.begin(), p.end()) - p.begin();
        hits += model.labels()[std::size_t(top)] == ds.clips[std::size_t(i)].label;
    }
    return hits;
}

} // namespace

class TestPersonalize : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void holdBackKeepsOnePerLabel()
    {
        const Dataset takes = actorTakes("Actor_11", 3);
        QVERIFY(takes.clips.size() >= 15);
        const Split s = personalHoldBack(takes, 1);
        std::map<std::string, int> held, kept;
        for (int i : s.test) ++held[takes.clips[std::size_t(i)].label];
        for (int i : s.train) ++kept[takes.clips[std::size_t(i)].label];
        for (const auto& [label, k] : kept) {
            QCOMPARE(held[label], 1); // every label here has 2-3 takes: one held back, the rest adapt
            QVERIFY(k >= 1);
        }
        QCOMPARE(int(s.train.size() + s.test.size()), int(takes.clips.size()));
        // Held back = the last take of the label in path order, so adding takes later keeps the rule predictable.
        for (int i : s.test)
            for (int j : s.train)
                if (takes.clips[std::size_t(i)].label == takes.clips[std::size_t(j)].label)
                    QVERIFY(takes.clips[std::size_t(j)].path < takes.clips[std::size_t(i)].path);
        // A label with a single take is never held back (it could not be taught otherwise).
        Dataset one = takes;
        one.clips.resize(1);
        QVERIFY(personalHoldBack(one, 1).test.empty());
    }

    // Give the takes deliberately wrong labels (a rotation of the label set): the base model almost never says
    // them, and an adaptation that works must learn to.
    void adaptationFitsTheTakes()
    {
        Dataset takes = actorTakes("Actor_11", 3);
        const auto& labels = takes.labels;
        for (auto& c : takes.clips) {
            const auto it = std::find(labels.begin(), labels.end(), c.label);
            c.label = labels[std::size_t((it - labels.begin() + 3) % long(labels.size()))];
        }
        const Split all{[&] { std::vector<int> v(takes.clips.size()); std::iota(v.begin(), v.end(), 0); return v; }(), {}};
        PersonalizeOptions o;
        o.baseModel = testdata::bundledModel().toStdString();
        o.copiesPerTake = 8;
        o.steps = 400;
        o.learningRate = 0.01;
        o.adaptBlocks = 0;
        o.threads = 2;
        Personalizer p(takes, all, o);
        const PersonalizeResult r = p.run();
        QVERIFY(!r.cancelled);
        QCOMPARE(r.trainTakes, int(takes.clips.size()));
        const auto base = Classifier::load(o.baseModel);
        const int before = matches(*base, takes, all.train), after = matches(*p.classifier(), takes, all.train);
        qInfo("rotated labels said by the base model: %d of %zu; by the personal model: %d", before, all.train.size(), after);
        QVERIFY(after >= int(all.train.size()) / 2);
        QVERIFY(after >= before + int(all.train.size()) / 3);
    }

    void cardSaysWhoseTakesAndKeepsTheVerdictContract()
    {
        const Dataset takes = actorTakes("Actor_11", 3);
        PersonalizeOptions o;
        o.baseModel = testdata::bundledModel().toStdString();
        o.speaker = "Test Speaker";
        o.copiesPerTake = 4;
        o.steps = 20;
        o.threads = 2;
        o.command = "test";
        const Split split = personalHoldBack(takes, 1);
        Personalizer p(takes, split, o);
        const PersonalizeResult r = p.run();
        QVERIFY(!r.cancelled);
        QCOMPARE(r.heldBackTakes, int(split.test.size()));
        QCOMPARE(r.before.total(), int(split.test.size()));
        QCOMPARE(r.after.total(), int(split.test.size()));
        QCOMPARE(int(r.labelsTaught.size()), 7);

        const auto base = Classifier::load(o.baseModel);
        const ModelCard card = p.card();
        QVERIFY(card.labels == base->card().labels);
        QVERIFY(card.features == base->card().features);
        QVERIFY(card.calibration == base->card().calibration); // same no-speech and uncertain rules
        const auto prov = nlohmann::json::parse(card.provenanceJson);
        QCOMPARE(QString::fromStdString(prov["personalized"]["speaker"].get<std::string>()), QStringLiteral("Test Speaker"));
        QCOMPARE(prov["personalized"]["takes"].get<int>(), r.trainTakes);
        QCOMPARE(prov["personalized"]["held_back"].get<int>(), r.heldBackTakes);
        QCOMPARE(QString::fromStdString(prov["personalized"]["base_model"].get<std::string>()), testdata::bundledModel());
        const auto metrics = nlohmann::json::parse(card.metricsJson);
        QCOMPARE(metrics["held_back"]["after"]["accuracy"].get<double>(), r.after.accuracy);

        QTemporaryDir dir;
        const std::string path = dir.filePath("personal.pt").toStdString();
        p.saveModel(path);
        const auto loaded = Classifier::load(path);
        const auto a = loaded->classifyFile(takes.clips[0].path), b = p.classifier()->classifyFile(takes.clips[0].path);
        QCOMPARE(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i) QVERIFY(std::abs(a[i] - b[i]) < 1e-5f);
    }

    void cancelLeavesNoModel()
    {
        const Dataset takes = actorTakes("Actor_11", 2);
        PersonalizeOptions o;
        o.baseModel = testdata::bundledModel().toStdString();
        o.threads = 1;
        Personalizer p(takes, personalHoldBack(takes, 0), o);
        std::atomic<bool> cancel{false};
        TrainCallbacks cb;
        cb.onPrepare = [&](const std::string& stage, int, int) { if (stage == "copies") cancel = true; };
        const PersonalizeResult r = p.run(cb, &cancel);
        QVERIFY(r.cancelled);
        QVERIFY_THROWS_EXCEPTION(std::logic_error, p.card());
    }

    void badOptionsAreRefused()
    {
        const Dataset takes = actorTakes("Actor_11", 1);
        PersonalizeOptions o;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Personalizer(takes, personalHoldBack(takes, 0), o)); // no base
        o.baseModel = testdata::bundledModel().toStdString();
        o.steps = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Personalizer(takes, personalHoldBack(takes, 0), o));
        o.steps = 10;
        Split held;
        for (int i = 0; i < int(takes.clips.size()); ++i) held.test.push_back(i);
        Personalizer p(takes, held, o);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, p.run()); // nothing to adapt on
    }
};

QTEST_GUILESS_MAIN(TestPersonalize)
#include "test_personalize.moc"
