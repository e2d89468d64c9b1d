// SPDX-License-Identifier: GPL-3.0-or-later
// Model file: save/load round trip gives identical outputs; damaged or foreign files fail with ModelError naming the file.
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
        QVERIFY2(msg.contains("not a regular file"), qPrintable(msg));
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
