// SPDX-License-Identifier: GPL-3.0-or-later
// Model file: save/load round trip gives identical outputs; damaged or foreign files fail with ModelError naming the file.
#include "ContainerEdit.h"
#include "ModelTestSupport.h"
#include "infer/Classifier.h"
#include "model/ModelError.h"
#include "model/ModelFile.h"
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <cstring>
#include <functional>
#include <memory>

using namespace emoscope;

class TestModelFile : public QObject {
    Q_OBJECT

private:
    QTemporaryDir tmp_;
    QString modelPath_;
    std::unique_ptr<Trainer> trainer_;
    Dataset data_;

    QByteArray modelBytes() const
    {
        QFile f(modelPath_);
        if (!f.open(QIODevice::ReadOnly)) return {};
        return f.readAll();
    }
    QString writeFile(const QString& name, const QByteArray& bytes) const
    {
        const QString p = tmp_.filePath(name);
        QFile f(p);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) return {};
        f.write(bytes);
        return p;
    }
    // Rewrites the card inside a valid container (fixing sizes and the CRC-32) so only the card's content is wrong.
    QByteArray withEditedCard(const std::function<void(QJsonObject&)>& edit) const
    {
        const QByteArray b = modelBytes();
        quint64 payloadSize = 0, cardLen = 0;
        std::memcpy(&payloadSize, b.constData() + 20, 8);
        std::memcpy(&cardLen, b.constData() + 28, 8);
        QJsonObject card = QJsonDocument::fromJson(b.mid(36, int(cardLen))).object();
        edit(card);
        const QByteArray newCard = QJsonDocument(card).toJson(QJsonDocument::Compact);
        const QByteArray rest = b.mid(36 + int(cardLen), int(payloadSize - 8 - cardLen));
        QByteArray payload(8, 0);
        const quint64 newLen = quint64(newCard.size());
        std::memcpy(payload.data(), &newLen, 8);
        payload += newCard + rest;
        quint32 c = 0xFFFFFFFFu;
        for (unsigned char ch : payload) {
            c ^= ch;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }
        c ^= 0xFFFFFFFFu;
        QByteArray out = b.left(20);
        const quint64 newPayload = quint64(payload.size());
        out.append(reinterpret_cast<const char*>(&newPayload), 8);
        out += payload;
        out.append(reinterpret_cast<const char*>(&c), 4);
        return out;
    }
    // Loading must throw ModelError whose message starts with the path; returns the message.
    static QString expectModelError(const QString& path)
    {
        try {
            Classifier::load(path.toStdString());
        } catch (const ModelError& e) {
            const QString msg = QString::fromStdString(e.what());
            if (!msg.startsWith(path + ": ")) return QStringLiteral("BAD MESSAGE: ") + msg;
            if (QString::fromStdString(e.path()) != path) return QStringLiteral("BAD PATH: ") + msg;
            // readModelCard validates the same way
            try {
                readModelCard(path.toStdString());
                return QStringLiteral("readModelCard accepted it");
            } catch (const ModelError&) {
            }
            return msg;
        } catch (const std::exception& e) {
            return QStringLiteral("WRONG EXCEPTION: ") + e.what();
        }
        return QStringLiteral("NO EXCEPTION");
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        data_ = testdata::tessSubset(6);
        QCOMPARE(int(data_.clips.size()), 42);
        trainer_ = std::make_unique<Trainer>(data_, testdata::allTrain(data_), testdata::tinyOptions(1));
        const TrainResult r = trainer_->run();
        QVERIFY(!r.cancelled);
        modelPath_ = tmp_.filePath("tiny.pt");
        trainer_->saveModel(modelPath_.toStdString());
        QVERIFY(QFile::exists(modelPath_));
    }

    void roundTripGivesIdenticalOutputs()
    {
        const auto inMemory = trainer_->classifier();
        const auto loaded = Classifier::load(modelPath_.toStdString());
        QCOMPARE(loaded->labels(), inMemory->labels());
        for (int i = 0; i < 7; ++i) {
            const std::string& f = data_.clips[std::size_t(i) * 6].path;
            const auto a = inMemory->classifyFile(f);
            const auto b = loaded->classifyFile(f);
            QCOMPARE(a.size(), std::size_t(7));
            QVERIFY2(a == b, f.c_str()); // bit-identical: same weights, same arithmetic
        }
    }

    void cardRoundTrip()
    {
        const ModelCard saved = trainer_->card();
        const ModelCard read = readModelCard(modelPath_.toStdString());
        QCOMPARE(read.labels, emotionLabels());
        QVERIFY(read.features == saved.features);
        QVERIFY(read.arch == saved.arch);
        QCOMPARE(read.arch.widths, std::vector<int>({8, 16}));
        QVERIFY(read.input == saved.input);
        QVERIFY(read.norm == saved.norm);
        QVERIFY(read.norm.std > 0);
        QVERIFY(!read.createdUtc.empty());
        QVERIFY(QString::fromStdString(read.provenanceJson).contains("\"seed\""));
        QVERIFY(!read.summary().empty());
        // The GUI's card view: fitted numbers to four digits, and no mean that is zero up to float rounding.
        ModelCard shown = read;
        shown.norm.mean = 1.14559e-09;
        shown.norm.std = 14.8935;
        shown.calibration.temperature = 0.7337857810859366;
        const QString summary = QString::fromStdString(shown.summary());
        QVERIFY2(summary.contains("Normalisation: x / 14.89"), qPrintable(summary));
        QVERIFY2(summary.contains("temperature 0.7338"), qPrintable(summary));
        shown.norm.mean = -3.25;
        QVERIFY(QString::fromStdString(shown.summary()).contains("(x - -3.25) / 14.89"));
        // The JSON form parses back to the same card.
        const ModelCard again = ModelCard::fromJson(read.toJson());
        QCOMPARE(again.labels, read.labels);
        QVERIFY(again.features == read.features && again.arch == read.arch && again.norm == read.norm);
    }

    void missingFile()
    {
        const QString p = tmp_.filePath("nope.pt");
        const QString msg = expectModelError(p);
        QVERIFY2(msg.contains("no such file"), qPrintable(msg));
    }

    void emptyFile()
    {
        const QString msg = expectModelError(writeFile("empty.pt", {}));
        QVERIFY2(msg.contains("empty"), qPrintable(msg));
    }

    void truncatedFile()
    {
        const QByteArray b = modelBytes();
        QVERIFY(b.size() > 1000);
        const QString msg = expectModelError(writeFile("half.pt", b.left(b.size() / 2)));
        QVERIFY2(msg.contains("truncated"), qPrintable(msg));
    }

    void corruptFile()
    {
        QByteArray b = modelBytes();
        b[b.size() / 2] = char(b[b.size() / 2] ^ 0x5A); // one flipped byte inside the weights
        const QString msg = expectModelError(writeFile("corrupt.pt", b));
        QVERIFY2(msg.contains("corrupt"), qPrintable(msg));
    }

    void wavFileIsNotAModel()
    {
        const QString wav = testdata::goldenDir() + "/chirp.wav";
        QVERIFY(QFile::exists(wav));
        const QString msg = expectModelError(wav);
        QVERIFY2(msg.contains("not an Emoscope model"), qPrintable(msg));
    }

    void textFileIsNotAModel()
    {
        const QString msg = expectModelError(writeFile("notes.txt", "this is not a model\n"));
        QVERIFY2(msg.contains("not an Emoscope model"), qPrintable(msg));
    }

    void directoryIsNotAModel()
    {
        const QString msg = expectModelError(tmp_.path());
        QVERIFY2(msg.contains("a folder"), qPrintable(msg));
    }

    void deviceIsNotAModel()
    {
        // /dev/zero never ends: refused by its type, before any byte is read.
        const QString msg = expectModelError("/dev/zero");
        QVERIFY2(msg.contains("not a regular file"), qPrintable(msg));
    }

    void deeplyNestedCardIsRefused()
    {
        // 60k levels once overflowed the stack in the JSON conversions (SIGSEGV); now refused before parsing.
        auto c = testdata::parseContainerBytes(modelBytes());
        QVERIFY(c.ok);
        c.json = QByteArray(60000, '[') + QByteArray(60000, ']');
        const QString msg = expectModelError(writeFile("deep.pt", testdata::packContainerBytes(c)));
        QVERIFY2(msg.contains("bad model card") && msg.contains("nested deeper"), qPrintable(msg));
        // A deep value inside an otherwise valid card too.
        c = testdata::parseContainerBytes(modelBytes());
        c.json.replace("\"created_utc\"", "\"deep\": " + QByteArray(5000, '{').replace("{", "{\"a\":") + "1" +
                                                QByteArray(5000, '}') + ", \"created_utc\"");
        const QString msg2 = expectModelError(writeFile("deep2.pt", testdata::packContainerBytes(c)));
        QVERIFY2(msg2.contains("nested deeper"), qPrintable(msg2));
    }

    void implausibleFieldsAreNamed_data()
    {
        QTest::addColumn<QString>("section");
        QTest::addColumn<QString>("field");
        QTest::addColumn<double>("value");
        QTest::newRow("n_mels 1e6") << "features" << "n_mels" << 1e6;
        QTest::newRow("n_fft 2^26") << "features" << "n_fft" << double(1 << 26);
        QTest::newRow("hop 1e7") << "features" << "hop_length" << 1e7;
        QTest::newRow("rate 0") << "features" << "sample_rate" << 0.0;
        QTest::newRow("rate 1e9") << "features" << "sample_rate" << 1e9;
        QTest::newRow("n_fft 2^40 (wraps as int)") << "features" << "n_fft" << double(1ll << 40);
        QTest::newRow("blocks 1000") << "arch" << "blocks_per_stage" << 1000.0;
        QTest::newRow("blocks 2^32+1 (wraps to 1)") << "arch" << "blocks_per_stage" << double((1ll << 32) + 1);
        QTest::newRow("min_frames 1e6") << "input" << "min_frames" << 1e6;
    }
    void implausibleFieldsAreNamed()
    {
        QFETCH(QString, section);
        QFETCH(QString, field);
        QFETCH(double, value);
        const QString p = writeFile("implausible.pt", withEditedCard([&](QJsonObject& c) {
            QJsonObject o = c[section].toObject();
            o[field] = qint64(value);
            c[section] = o;
        }));
        const QString msg = expectModelError(p);
        QVERIFY2(msg.contains("bad model card") && msg.contains(field), qPrintable(msg));
    }

    void hugeNetworkClaimedBySmallFileIsRefused()
    {
        // Widths 1024 x 8 stages x 8 blocks would be ~1.2 G weights: refused by the card's limit, never allocated.
        QString msg = expectModelError(writeFile("huge.pt", withEditedCard([](QJsonObject& c) {
            QJsonObject a = c["arch"].toObject();
            a["widths"] = QJsonArray{1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024};
            a["blocks_per_stage"] = 8;
            c["arch"] = a;
        })));
        QVERIFY2(msg.contains("weights"), qPrintable(msg));
        // Within the limit (8 M weights) but not what the file holds: the inventory check refuses it first.
        msg = expectModelError(writeFile("big.pt", withEditedCard([](QJsonObject& c) {
            QJsonObject a = c["arch"].toObject();
            a["widths"] = QJsonArray{512, 512};
            c["arch"] = a;
        })));
        QVERIFY2(msg.contains("weights do not match the architecture"), qPrintable(msg));
    }

    void statisticsPoolingRoundTrip()
    {
        // A network that pools the mean and deviation over time: its head reads twice the last width, the card
        // says so, and the saved file gives the same outputs as the network in memory.
        TrainOptions o = testdata::tinyOptions(1);
        o.arch.pooling = Pooling::MeanStd;
        Trainer t(data_, testdata::allTrain(data_), o);
        QVERIFY(!t.run().cancelled);
        const QString path = tmp_.filePath("stats.pt");
        t.saveModel(path.toStdString());
        const ModelCard card = readModelCard(path.toStdString());
        QVERIFY(card.arch.pooling == Pooling::MeanStd);
        QCOMPARE(card.arch.pooledWidth(), 32);
        QVERIFY(QString::fromStdString(card.toJson()).contains("\"mean_std\""));
        auto c = testdata::parseContainerBytes([&] {
            QFile f(path);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        }());
        QVERIFY(c.ok);
        const testdata::EditTensor* fc = c.find("fc.weight");
        QVERIFY(fc);
        QCOMPARE(fc->dims, (std::vector<std::int64_t>{7, 32}));
        const auto loaded = Classifier::load(path.toStdString());
        const auto inMemory = t.classifier();
        const std::string& f = data_.clips.front().path;
        QVERIFY(loaded->classifyFile(f) == inMemory->classifyFile(f));
        // The same weights do not fit a card that claims average pooling (the head is twice as wide).
        QVERIFY(readModelCard(modelPath_.toStdString()).arch.pooling == Pooling::Mean);
        const QString lying = writeFile("lying-pooling.pt", withEditedCard([](QJsonObject& card) {
            QJsonObject a = card["arch"].toObject();
            a["pooling"] = QStringLiteral("mean_std");
            card["arch"] = a;
        }));
        QString msg = expectModelError(lying);
        QVERIFY2(msg.contains("shape of") || msg.contains("do not match"), qPrintable(msg));
        msg = expectModelError(writeFile("unknown-pooling.pt", withEditedCard([](QJsonObject& card) {
            QJsonObject a = card["arch"].toObject();
            a["pooling"] = QStringLiteral("max");
            card["arch"] = a;
        })));
        QVERIFY2(msg.contains("arch.pooling"), qPrintable(msg));
    }

    void labelsWithControlCharactersAreRefused()
    {
        QString msg = expectModelError(writeFile("ctl.pt", withEditedCard([](QJsonObject& c) {
            QJsonArray l = c["labels"].toArray();
            l[0] = QStringLiteral("angry\u001b[31m");
            c["labels"] = l;
        })));
        QVERIFY2(msg.contains("control characters"), qPrintable(msg));
        msg = expectModelError(writeFile("long.pt", withEditedCard([](QJsonObject& c) {
            QJsonArray l = c["labels"].toArray();
            l[0] = QString(200, 'x');
            c["labels"] = l;
        })));
        QVERIFY2(msg.contains("longer than"), qPrintable(msg));
    }

    void tensorInventoryMustMatch()
    {
        auto c = testdata::parseContainerBytes(modelBytes());
        QVERIFY(c.ok);
        auto renamed = c;
        renamed.tensors[3].name = "stages.0.conv9.weight";
        QString msg = expectModelError(writeFile("renamed.pt", testdata::packContainerBytes(renamed)));
        QVERIFY2(msg.contains("found 'stages.0.conv9.weight'"), qPrintable(msg));
        auto fewer = c;
        fewer.tensors.pop_back();
        msg = expectModelError(writeFile("fewer.pt", testdata::packContainerBytes(fewer)));
        QVERIFY2(msg.contains("tensors stored"), qPrintable(msg));
        auto reshaped = c;
        reshaped.tensors[0].dims = {reshaped.tensors[0].dims[0] / 2, 2, 3, 3};
        msg = expectModelError(writeFile("reshaped.pt", testdata::packContainerBytes(reshaped)));
        QVERIFY2(msg.contains("shape of"), qPrintable(msg));
    }

    void negativeVariancesAreRefusedAtLoad()
    {
        // Finite weights whose output is NaN (sqrt of a negative variance): accepted before, NaN on every clip.
        auto c = testdata::parseContainerBytes(modelBytes());
        QVERIFY(c.ok);
        testdata::EditTensor* var = c.find("stem.1.running_var");
        QVERIFY(var);
        for (qsizetype k = 0; k + 4 <= var->data.size(); k += 4) {
            const float v = -4.0f;
            std::memcpy(var->data.data() + k, &v, 4);
        }
        const QString p = writeFile("negvar.pt", testdata::packContainerBytes(c));
        try {
            Classifier::load(p.toStdString());
            QFAIL("loaded");
        } catch (const ModelError& e) {
            QVERIFY2(QString(e.what()).startsWith(p + ": ") && QString(e.what()).contains("not finite"), e.what());
        }
        // The card alone is fine: the dialog may still show it.
        QCOMPARE(readModelCard(p.toStdString()).labels, emotionLabels());
    }

    void lyingHeaderSizesAreReportedClearly()
    {
        QByteArray b = modelBytes();
        // A payload size that would wrap when the header and checksum are added ("truncated (N of 31 bytes)").
        QByteArray wrap = b;
        const quint64 huge = ~quint64(0);
        std::memcpy(wrap.data() + 20, &huge, 8);
        QString msg = expectModelError(writeFile("wrap.pt", wrap));
        QVERIFY2(msg.contains("corrupt") && !msg.contains("of 31 bytes"), qPrintable(msg));
        // A file cut short: the message says what the header promised and what the file has.
        const QString cut = writeFile("cut.pt", b.left(b.size() - 100));
        msg = expectModelError(cut);
        QVERIFY2(msg.contains(QString("the header says %1 bytes, the file has %2").arg(b.size()).arg(b.size() - 100)),
                 qPrintable(msg));
    }

    void editedCardStillLoadsWhenUnchanged()
    {
        // Guards the two tests below: the rewriting itself keeps a valid file.
        const QString p = writeFile("same.pt", withEditedCard([](QJsonObject&) {}));
        QCOMPARE(Classifier::load(p.toStdString())->labels(), emotionLabels());
    }

    void labelsNotMatchingWeights()
    {
        const QString p = writeFile("six.pt", withEditedCard([](QJsonObject& c) {
            QJsonArray l = c["labels"].toArray();
            l.removeLast();
            c["labels"] = l;
        }));
        const QString msg = expectModelError(p);
        QVERIFY2(msg.contains("weights do not match"), qPrintable(msg));
    }

    void duplicateLabels()
    {
        const QString p = writeFile("dup.pt", withEditedCard([](QJsonObject& c) {
            QJsonArray l = c["labels"].toArray();
            l[1] = l[0];
            c["labels"] = l;
        }));
        const QString msg = expectModelError(p);
        QVERIFY2(msg.contains("duplicate"), qPrintable(msg));
    }

    void badFeatureConfig()
    {
        const QString p = writeFile("feat.pt", withEditedCard([](QJsonObject& c) {
            QJsonObject f = c["features"].toObject();
            f["n_fft"] = -4;
            c["features"] = f;
        }));
        const QString msg = expectModelError(p);
        QVERIFY2(msg.contains("n_fft"), qPrintable(msg));
    }

    void overwriteIsAtomicAndLoadable()
    {
        // Saving over an existing model replaces it completely and leaves no temporary file behind.
        trainer_->saveModel(modelPath_.toStdString());
        const auto loaded = Classifier::load(modelPath_.toStdString());
        QCOMPARE(loaded->labels().size(), std::size_t(7));
        const QStringList left = QDir(tmp_.path()).entryList(QStringList() << "tiny.pt*", QDir::Files);
        QCOMPARE(left, QStringList() << "tiny.pt");
    }
};

QTEST_GUILESS_MAIN(TestModelFile)
#include "test_model_file.moc"
