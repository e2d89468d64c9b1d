// SPDX-License-Identifier: GPL-3.0-or-later
// Metrics against numbers worked out by hand.
#include "train/Metrics.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace emoscope;

namespace {

ClipResult result(const std::string& file, int truth, int predicted, std::vector<float> probs = {})
{
    ClipResult r;
    r.file = file;
    r.trueIndex = truth;
    r.predictedIndex = predicted;
    r.probabilities = std::move(probs);
    return r;
}

QJsonObject parse(const std::string& json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(json), &error);
    if (error.error != QJsonParseError::NoError)
        qWarning() << "JSON parse error:" << error.errorString();
    return doc.object();
}

const std::vector<std::string> kAbc{"a", "b", "c"};

// 10 clips, 3 classes. Confusion (rows true, columns predicted):
//        a  b  c
//   a    3  1  0     recall 3/4
//   b    0  2  1     recall 2/3
//   c    2  0  1     recall 1/3
// column sums 5, 3, 2 -> precision a 3/5, b 2/3, c 1/2
// F1 a = 2*(3/5)(3/4)/(3/5+3/4) = 0.9/1.35 = 2/3; b = 2/3; c = 2*(1/2)(1/3)/(5/6) = 2/5
// accuracy 6/10; UAR (3/4+2/3+1/3)/3 = 7/12; macro F1 (2/3+2/3+2/5)/3 = 26/45
std::vector<ClipResult> tenClips()
{
    return {
        result("a1.wav", 0, 0), result("a2.wav", 0, 0),
        // predictedIndex -1: the argmax of the probabilities (a) is used.
        result("a3.wav", 0, -1, {0.7f, 0.2f, 0.1f}),
        result("a4.wav", 0, 1, {0.3f, 0.6f, 0.1f}),
        result("b1.wav", 1, 1), result("b2.wav", 1, 1),
        result("b3.wav", 1, 2, {0.1f, 0.2f, 0.7f}),
        result("c1.wav", 2, 2),
        result("c2.wav", 2, -1, {0.5f, 0.2f, 0.3f}), // argmax a: wrong
        result("c3.wav", 2, 0, {0.8f, 0.05f, 0.15f}),
    };
}

} // namespace

class TestMetrics : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void handComputed()
    {
        const EvaluationReport r = computeMetrics(kAbc, tenClips());
        QCOMPARE(r.total(), 10);
        QCOMPARE(r.labels, kAbc);
        const std::vector<std::vector<int>> confusion{{3, 1, 0}, {0, 2, 1}, {2, 0, 1}};
        QCOMPARE(r.confusion, confusion);
        QCOMPARE(r.accuracy, 0.6);
        QCOMPARE(r.recall[0], 0.75);
        QCOMPARE(r.recall[1], 2.0 / 3.0);
        QCOMPARE(r.recall[2], 1.0 / 3.0);
        QCOMPARE(r.precision[0], 0.6);
        QCOMPARE(r.precision[1], 2.0 / 3.0);
        QCOMPARE(r.precision[2], 0.5);
        QCOMPARE(r.f1[0], 2.0 / 3.0);
        QCOMPARE(r.f1[1], 2.0 / 3.0);
        QCOMPARE(r.f1[2], 0.4);
        QCOMPARE(r.uar, 7.0 / 12.0);
        QCOMPARE(r.macroF1, 26.0 / 45.0);
        QVERIFY(r.errors.empty());
        // Input order kept, argmax filled in.
        QCOMPARE(r.results[2].file, std::string("a3.wav"));
        QCOMPARE(r.results[2].predictedIndex, 0);
        QCOMPARE(r.results[8].predictedIndex, 0);
    }

    void cellsAndMisclassified()
    {
        const EvaluationReport r = computeMetrics(kAbc, tenClips());
        const auto ca = r.cell(2, 0);
        QCOMPARE(ca.size(), std::size_t(2));
        QCOMPARE(ca[0].file, std::string("c2.wav"));
        QCOMPARE(ca[1].file, std::string("c3.wav"));
        const auto diag = r.cell(0, 0);
        QCOMPARE(diag.size(), std::size_t(3));
        QCOMPARE(diag[0].file, std::string("a1.wav"));
        QCOMPARE(diag[2].file, std::string("a3.wav"));
        QVERIFY(r.cell(0, 2).empty());
        QCOMPARE(r.cell(1, 2).size(), std::size_t(1));
        QCOMPARE(r.cell(1, 2)[0].file, std::string("b3.wav"));
        // Every cell's size matches the confusion count.
        for (int t = 0; t < 3; ++t)
            for (int p = 0; p < 3; ++p)
                QCOMPARE(int(r.cell(t, p).size()), r.confusion[std::size_t(t)][std::size_t(p)]);

        const auto wrong = r.misclassified();
        QStringList files;
        for (const auto& w : wrong)
            files << QString::fromStdString(w.file);
        QCOMPARE(files, QStringList({"a4.wav", "b3.wav", "c2.wav", "c3.wav"}));
    }

    void perfectAndAllWrong()
    {
        const EvaluationReport perfect =
            computeMetrics(kAbc, {result("x", 0, 0), result("y", 1, 1), result("z", 2, 2), result("w", 2, 2)});
        QCOMPARE(perfect.accuracy, 1.0);
        QCOMPARE(perfect.uar, 1.0);
        QCOMPARE(perfect.macroF1, 1.0);
        QVERIFY(perfect.misclassified().empty());

        const EvaluationReport wrong =
            computeMetrics(kAbc, {result("x", 0, 1), result("y", 1, 2), result("z", 2, 0), result("w", 2, 1)});
        QCOMPARE(wrong.accuracy, 0.0);
        QCOMPARE(wrong.uar, 0.0);
        QCOMPARE(wrong.macroF1, 0.0);
        for (std::size_t c = 0; c < 3; ++c) {
            QCOMPARE(wrong.precision[c], 0.0);
            QCOMPARE(wrong.recall[c], 0.0);
            QCOMPARE(wrong.f1[c], 0.0);
        }
        QCOMPARE(wrong.misclassified().size(), std::size_t(4));
    }

    void classWithoutSamples()
    {
        // Labels a b c d; d has no samples. One c clip is predicted as d.
        //        a b c d
        //   a    2 0 0 0   recall 1
        //   b    0 1 1 0   recall 1/2
        //   c    0 0 1 1   recall 1/2
        // precision a 1, b 1, c 1/2, d 0 (one prediction, none right)
        // F1 a 1, b 2(1)(1/2)/(3/2) = 2/3, c 1/2, d 0
        // UAR over a b c = (1 + 1/2 + 1/2)/3 = 2/3; macro F1 over a b c = (1 + 2/3 + 1/2)/3 = 13/18
        const std::vector<std::string> labels{"a", "b", "c", "d"};
        const EvaluationReport r = computeMetrics(
            labels, {result("1", 0, 0), result("2", 0, 0), result("3", 1, 1), result("4", 1, 2), result("5", 2, 2),
                     result("6", 2, 3)});
        QCOMPARE(r.recall[3], 0.0);
        QCOMPARE(r.precision[3], 0.0);
        QCOMPARE(r.f1[3], 0.0);
        QCOMPARE(r.precision[2], 0.5);
        QCOMPARE(r.f1[1], 2.0 / 3.0);
        QCOMPARE(r.accuracy, 4.0 / 6.0);
        QCOMPARE(r.uar, 2.0 / 3.0);
        QCOMPARE(r.macroF1, 13.0 / 18.0);

        // A label nobody predicts and nobody has does not change the averages either.
        const EvaluationReport unused = computeMetrics(labels, {result("1", 0, 0), result("2", 1, 0)});
        QCOMPARE(unused.uar, 0.5);           // (1 + 0) / 2
        QCOMPARE(unused.macroF1, 1.0 / 3.0); // a: p 1/2 r 1 -> 2/3; b: 0; mean 1/3
    }

    void emptyAndInvalid()
    {
        const EvaluationReport empty = computeMetrics(kAbc, {});
        QCOMPARE(empty.total(), 0);
        QCOMPARE(empty.accuracy, 0.0);
        QCOMPARE(empty.uar, 0.0);
        QCOMPARE(empty.confusion, std::vector<std::vector<int>>(3, std::vector<int>(3, 0)));

        // Out-of-range indices and missing predictions are errors, not matrix entries.
        const EvaluationReport r =
            computeMetrics(kAbc, {result("ok.wav", 0, 0), result("bad.wav", 5, 0), result("none.wav", 1, -1)});
        QCOMPARE(r.total(), 1);
        QCOMPARE(r.errors.size(), std::size_t(2));
        QVERIFY(r.errors[0].rfind("bad.wav: ", 0) == 0);
        QVERIFY(r.errors[1].rfind("none.wav: ", 0) == 0);
        QCOMPARE(r.accuracy, 1.0);
    }

    void json()
    {
        EvaluationReport r = computeMetrics(kAbc, tenClips());
        r.errors.push_back("broken.wav: not audio");
        const QJsonObject j = parse(r.toJson(2));
        QStringList keys = j.keys();
        keys.sort();
        QCOMPARE(keys, QStringList({"accuracy", "confusion", "errors", "f1", "labels", "macro_f1", "misclassified",
                                    "precision", "recall", "total", "uar"}));
        QCOMPARE(j["accuracy"].toDouble(), 0.6);
        QCOMPARE(j["uar"].toDouble(), 7.0 / 12.0);
        QCOMPARE(j["macro_f1"].toDouble(), 26.0 / 45.0);
        QCOMPARE(j["total"].toInt(), 10);
        QCOMPARE(j["labels"].toArray(), QJsonArray({"a", "b", "c"}));
        QCOMPARE(j["recall"].toObject()["a"].toDouble(), 0.75);
        QCOMPARE(j["precision"].toObject()["c"].toDouble(), 0.5);
        QCOMPARE(j["f1"].toObject()["c"].toDouble(), 0.4);
        QCOMPARE(j["confusion"].toArray(),
                 QJsonArray({QJsonArray({3, 1, 0}), QJsonArray({0, 2, 1}), QJsonArray({2, 0, 1})}));
        QCOMPARE(j["errors"].toArray(), QJsonArray({"broken.wav: not audio"}));

        const QJsonArray wrong = j["misclassified"].toArray();
        QCOMPARE(wrong.size(), 4);
        const QJsonObject first = wrong[0].toObject();
        QCOMPARE(first["file"].toString(), QString("a4.wav"));
        QCOMPARE(first["label"].toString(), QString("a"));
        QCOMPARE(first["predicted"].toString(), QString("b"));
        QCOMPARE(first["confidence"].toDouble(), double(0.6f));
        const QJsonObject probs = first["probabilities"].toObject();
        QCOMPARE(probs.keys(), QStringList({"a", "b", "c"}));
        QCOMPARE(probs["a"].toDouble(), double(0.3f));
        QCOMPARE(probs["c"].toDouble(), double(0.1f));
        const QJsonObject third = wrong[2].toObject();
        QCOMPARE(third["file"].toString(), QString("c2.wav"));
        QCOMPARE(third["predicted"].toString(), QString("a"));
        QCOMPARE(third["confidence"].toDouble(), double(0.5f));
        // Without probabilities: empty object and confidence 0.
        const QJsonObject fourth = wrong[1].toObject();
        QCOMPARE(fourth["file"].toString(), QString("b3.wav"));
        QCOMPARE(fourth["confidence"].toDouble(), double(0.7f));

        const QJsonObject plain = parse(computeMetrics(kAbc, {result("x", 0, 1)}).toJson());
        const QJsonObject only = plain["misclassified"].toArray()[0].toObject();
        QCOMPARE(only["confidence"].toDouble(), 0.0);
        QVERIFY(only["probabilities"].toObject().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "test_metrics.moc"
