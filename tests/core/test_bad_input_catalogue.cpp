// SPDX-License-Identifier: GPL-3.0-or-later
// A catalogue of hostile or broken inputs run through emoscope-cli (issue 11): crafted model files and checkpoints,
// broken manifests and datasets, bad output paths and a few bad audio files. Every row must end with exit code 2,
// exactly one line on stderr that names the file and the reason, no signal, within a generous hang guard, under an
// address-space limit (prlimit --as) so that a file which makes the program allocate gigabytes fails the row.
// Every fixture is generated here, in a temporary folder.
#include "CliRun.h"
#include "ContainerEdit.h"
#include "TestData.h"
#include "audio/WavWriter.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <functional>
#include <limits>
#include <cstring>
#include <numbers>
#include <random>
#include <string>
#include <sys/stat.h>

using namespace emoscope;

namespace {

// Address space for one run. libtorch maps ~1 GB of libraries and thread arenas at start; 3 GB is far below the
// 2.5-5.3 GB the audit's crafted model files made the program allocate.
constexpr const char* kAddressSpaceLimit = "3221225472";
constexpr int kHangGuardMs = 120000; // not a speed assertion: a run that hangs must not hang the suite

struct Outcome {
    bool finished = false;
    bool crashed = false;
    int exitCode = -1;
    QByteArray err;
};

Outcome runLimited(const QStringList& args)
{
    QProcess p;
#ifdef __SANITIZE_ADDRESS__
    // In the sanitizer build (tests/sanitize.sh) an address-space limit cannot work: AddressSanitizer reserves
    // terabytes of shadow address space at start. There the bound is ASan's own, at the same size: a larger single
    // allocation fails, and a process whose resident memory passes it is stopped (a failed row).
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QString mb = QString::number(std::stoll(kAddressSpaceLimit) >> 20);
    env.insert("ASAN_OPTIONS", env.value("ASAN_OPTIONS") + ":max_allocation_size_mb=" + mb + ":hard_rss_limit_mb=" + mb);
    p.setProcessEnvironment(env);
    p.start(testdata::cliPath(), args);
#else
    p.start("prlimit", QStringList{QString("--as=") + kAddressSpaceLimit, "--", testdata::cliPath()} + args);
#endif
    Outcome o;
    if (!p.waitForFinished(kHangGuardMs)) {
        p.kill();
        p.waitForFinished();
        return o;
    }
    o.finished = true;
    o.crashed = p.exitStatus() != QProcess::NormalExit;
    o.exitCode = p.exitCode();
    o.err = p.readAllStandardError();
    return o;
}

// Speech-like enough for the tiny training runs: a harmonic tone with a per-label pitch and some noise.
std::vector<float> voiceLike(double f0, unsigned seed, int rate = 16000)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> noise(0.0f, 0.02f);
    std::vector<float> x(static_cast<std::size_t>(rate));
    for (std::size_t i = 0; i < x.size(); ++i) {
        double v = 0;
        for (int h = 1; h <= 5; ++h) v += std::sin(2.0 * std::numbers::pi * f0 * h * double(i) / rate) / h;
        x[i] = float(0.2 * v) + noise(rng);
    }
    return x;
}

// A RIFF/WAVE file from its fields (written by hand so the header can lie): format 1 = PCM, 3 = IEEE float.
QByteArray rawWav(int format, int channels, int rate, int bits, const QByteArray& data)
{
    QByteArray b;
    const auto u32 = [&](quint32 v) { for (int i = 0; i < 4; ++i) b.append(char((v >> (8 * i)) & 0xff)); };
    const auto u16 = [&](quint16 v) { b.append(char(v & 0xff)); b.append(char(v >> 8)); };
    b.append("RIFF");
    u32(quint32(36 + data.size()));
    b.append("WAVEfmt ");
    u32(16);
    u16(quint16(format));
    u16(quint16(channels));
    u32(quint32(rate));
    u32(quint32(rate * channels * bits / 8));
    u16(quint16(channels * bits / 8));
    u16(quint16(bits));
    b.append("data");
    u32(quint32(data.size()));
    return b + data;
}

QByteArray floats(std::size_t n, float v)
{
    QByteArray d(qsizetype(n * 4), '\0');
    for (std::size_t i = 0; i < n; ++i) std::memcpy(d.data() + i * 4, &v, 4);
    return d;
}

} // namespace

class TestBadInputCatalogue : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString wav_, data_, model_, checkpoint_;
    QByteArray modelBytes_, checkpointBytes_;

    QString path(const QString& name) const { return tmp_.filePath(name); }
    QString write(const QString& name, const QByteArray& bytes) const
    {
        const QString p = path(name);
        return testdata::writeBytes(p, bytes) ? p : QString();
    }
    // The model with its card edited (sizes and checksum kept valid): only the card's content is hostile.
    QString modelWithCard(const QString& name, const std::function<void(QByteArray&)>& edit) const
    {
        auto c = testdata::parseContainerBytes(modelBytes_);
        edit(c.json);
        return write(name, testdata::packContainerBytes(c));
    }
    QString modelWithTensors(const QString& name, const std::function<void(testdata::EditContainer&)>& edit) const
    {
        auto c = testdata::parseContainerBytes(modelBytes_);
        edit(c);
        return write(name, testdata::packContainerBytes(c));
    }
    QString checkpointWith(const QString& name, const std::function<void(testdata::EditContainer&)>& edit) const
    {
        auto c = testdata::parseContainerBytes(checkpointBytes_);
        edit(c);
        return write(name, testdata::packContainerBytes(c));
    }
    // Replaces the value of `"key": value` in the card's JSON text (a number: ends at ',', newline or '}').
    static void setFeature(QByteArray& json, const QByteArray& key, const QByteArray& value)
    {
        const qsizetype at = json.indexOf("\"" + key + "\"");
        const qsizetype colon = json.indexOf(':', at);
        qsizetype end = colon + 1;
        while (end < json.size() && json[end] != ',' && json[end] != '\n' && json[end] != '}') ++end;
        json.replace(colon + 1, end - colon - 1, " " + value);
    }
    QStringList classify(const QString& model) const { return {"classify", "--model", model, wav_}; }
    QStringList train(const QStringList& extra) const
    {
        return QStringList{"train", "--data", data_, "--split", "random", "--epochs", "1", "--widths", "4", "--threads",
                           "1", "--out", path("never.pt")} +
               extra;
    }
    QStringList resume(const QString& checkpoint) const { return train({"--checkpoint", checkpoint, "--resume"}); }
    QStringList evaluate(const QString& data) const
    {
        return {"evaluate", "--data", data, "--model", model_};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        QVERIFY2(!testdata::cliPath().isEmpty(), "EMOSCOPE_CLI not set");
        QVERIFY2(QProcess::execute("prlimit", {"--version"}) == 0, "prlimit (util-linux) is needed");
        wav_ = path("speech.wav");
        const std::vector<float> x = voiceLike(180, 1);
        writeWavAtomic(wav_.toStdString(), x.data(), x.size(), 16000);
        // A two-label dataset, folder per label, and a tiny model + checkpoint trained on it by the CLI itself.
        data_ = path("data");
        for (const auto& [label, f0] : std::vector<std::pair<QString, double>>{{"angry", 220}, {"sad", 120}}) {
            QVERIFY(QDir().mkpath(data_ + "/" + label));
            for (unsigned k = 0; k < 5; ++k) {
                const std::vector<float> y = voiceLike(f0 * (1 + 0.05 * k), k + 10);
                writeWavAtomic((data_ + "/" + label + QString("/clip%1.wav").arg(k)).toStdString(), y.data(), y.size(),
                               16000);
            }
        }
        model_ = path("tiny.pt");
        checkpoint_ = path("tiny.ckpt");
        const testdata::CliRun r = testdata::runCli({"train", "--data", data_, "--split", "random", "--epochs", "1",
                                                     "--widths", "4", "--threads", "1", "--out", model_,
                                                     "--checkpoint", checkpoint_});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        modelBytes_ = testdata::readBytes(model_);
        checkpointBytes_ = testdata::readBytes(checkpoint_);
        QVERIFY(testdata::parseContainerBytes(modelBytes_).ok);
        QVERIFY(testdata::parseContainerBytes(checkpointBytes_).ok);
        // Guard: the valid fixtures pass through the same harness (so a failing row is the row's input).
        const Outcome ok = runLimited(classify(model_));
        QVERIFY2(ok.finished && !ok.crashed && ok.exitCode == 0, ok.err.constData());
    }

    void catalogue_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("names");  // the file the one line must name
        QTest::addColumn<QString>("reason"); // the words of the reason it must give

        // --- model files (classify --model) ---
        const auto model = [&](const char* row, const QString& file, const char* reason) {
            QTest::newRow(row) << classify(file) << file << QString(reason);
        };
        model("model: missing", path("no-such.pt"), "no such file");
        model("model: empty", write("empty.pt", {}), "empty file");
        QDir().mkpath(path("folder.pt"));
        model("model: a folder", path("folder.pt"), "a folder");
        model("model: /dev/zero", "/dev/zero", "not a regular file");
        ::mkfifo(path("fifo.pt").toLocal8Bit().constData(), 0600);
        model("model: a FIFO (would block)", path("fifo.pt"), "not a regular file");
        model("model: text", write("text.pt", "just some text\n"), "bad magic");
        model("model: a WAV", wav_, "an audio file");
        model("model: a zip/torch archive", write("zip.pt", QByteArray("PK\x03\x04", 4) + QByteArray(200, 'x')),
              "zip/torch archive");
        model("model: a checkpoint", checkpoint_, "an Emoscope checkpoint, not an Emoscope model");
        model("model: 10 bytes of the magic", write("magic.pt", modelBytes_.left(10)), "truncated");
        model("model: half the file", write("half.pt", modelBytes_.left(modelBytes_.size() / 2)), "truncated");
        {
            QByteArray b = modelBytes_;
            b[b.size() / 2] = char(b[b.size() / 2] ^ 0x40);
            model("model: one flipped bit", write("flip.pt", b), "checksum mismatch");
            QByteArray wrap = modelBytes_;
            const quint64 huge = ~quint64(0);
            std::memcpy(wrap.data() + 20, &huge, 8);
            model("model: payload size that wraps", write("wrap.pt", wrap), "corrupt");
            QByteArray v = modelBytes_;
            v[16] = 7;
            model("model: unknown version", write("version.pt", v), "unsupported file version 7");
            model("model: trailing bytes", write("trail.pt", modelBytes_ + "xyz"), "trailing bytes");
        }
        model("model: card nested 60k deep",
              modelWithCard("deep.pt", [](QByteArray& j) { j = QByteArray(60000, '[') + QByteArray(60000, ']'); }),
              "nested deeper");
        model("model: 2 MB card", modelWithCard("bigcard.pt", [](QByteArray& j) {
                  j.replace("\"created_utc\"", "\"pad\": \"" + QByteArray(2 << 20, 'a') + "\", \"created_utc\"");
              }),
              "larger than");
        model("model: n_mels 1e6", modelWithCard("mels.pt", [](QByteArray& j) { setFeature(j, "n_mels", "1000000"); }),
              "n_mels");
        model("model: n_fft 2^26", modelWithCard("nfft.pt", [](QByteArray& j) { setFeature(j, "n_fft", "67108864"); }),
              "n_fft");
        model("model: hop 0", modelWithCard("hop.pt", [](QByteArray& j) { setFeature(j, "hop_length", "0"); }),
              "hop_length");
        model("model: sample rate 0", modelWithCard("rate0.pt", [](QByteArray& j) { setFeature(j, "sample_rate", "0"); }),
              "sample_rate");
        model("model: sample rate 2^40",
              modelWithCard("rate40.pt", [](QByteArray& j) { setFeature(j, "sample_rate", "1099511627776"); }),
              "sample_rate");
        model("model: widths 4096", modelWithCard("w4096.pt", [](QByteArray& j) {
                  const qsizetype at = j.indexOf("\"widths\"");
                  const qsizetype end = j.indexOf(']', at);
                  j.replace(at, end - at + 1, "\"widths\": [4096, 4096, 4096, 4096]");
              }),
              "arch.widths");
        model("model: 1000 blocks", modelWithCard("blocks.pt", [](QByteArray& j) { setFeature(j, "blocks_per_stage", "1000"); }),
              "blocks_per_stage");
        model("model: a label with an escape sequence",
              modelWithCard("esc.pt", [](QByteArray& j) { j.replace("\"angry\"", "\"an\\u001b[2Jgry\""); }),
              "control characters");
        model("model: duplicate labels", modelWithCard("dup.pt", [](QByteArray& j) { j.replace("\"sad\"", "\"angry\""); }),
              "duplicate label");
        model("model: label list not matching the weights",
              modelWithCard("third.pt", [](QByteArray& j) {
                  // The label list loses its first entry: six labels for an output layer of seven.
                  const qsizetype at = j.indexOf("\"angry\"", j.indexOf("\"labels\""));
                  j.remove(at, j.indexOf(',', at) - at + 1);
              }),
              "weights do not match");
        model("model: a renamed tensor", modelWithTensors("renamed.pt", [](testdata::EditContainer& c) {
                  c.tensors[2].name = "stem.7.bias";
              }),
              "found 'stem.7.bias'");
        model("model: a reshaped tensor", modelWithTensors("reshaped.pt", [](testdata::EditContainer& c) {
                  c.tensors[0].dims = {c.tensors[0].dims[0] / 2, 2, 3, 3};
              }),
              "shape of 'stem.0.weight'");
        model("model: a missing tensor",
              modelWithTensors("fewer.pt", [](testdata::EditContainer& c) { c.tensors.pop_back(); }), "tensors stored");
        model("model: NaN weight", modelWithTensors("nan.pt", [](testdata::EditContainer& c) {
                  const float nan = std::nanf("");
                  std::memcpy(c.find("fc.bias")->data.data(), &nan, 4);
              }),
              "non-finite weights");
        model("model: negative batch-norm variances", modelWithTensors("negvar.pt", [](testdata::EditContainer& c) {
                  QByteArray& d = c.find("stem.1.running_var")->data;
                  for (qsizetype k = 0; k + 4 <= d.size(); k += 4) {
                      const float v = -9.0f;
                      std::memcpy(d.data() + k, &v, 4);
                  }
              }),
              "output is not finite");
        {
            const QString deep = modelWithCard("deep-from.pt", [](QByteArray& j) { j = QByteArray(60000, '{'); });
            // Without --widths: architecture options only apply to a run from scratch (refused up front otherwise).
            QStringList args = train({"--from", deep});
            args.removeAt(args.indexOf("--widths") + 1);
            args.removeAt(args.indexOf("--widths"));
            QTest::newRow("train --from: card nested 60k deep") << args << deep << "nested deeper";
        }

        // --- checkpoints (train --checkpoint C --resume) ---
        {
            const QString old = write("old.ckpt", QByteArray("PK\x03\x04", 4) + QByteArray(26, '\0') +
                                                      "archive/data.pkl\x80\x02" + "c__torch__\n__setstate__\n");
            QTest::newRow("checkpoint: old TorchScript format with __setstate__") << resume(old) << old << "old-format";
            const QString half = write("half.ckpt", checkpointBytes_.left(checkpointBytes_.size() / 2));
            QTest::newRow("checkpoint: half the file") << resume(half) << half << "truncated";
            QByteArray b = checkpointBytes_;
            b[b.size() - 100] = char(b[b.size() - 100] ^ 1);
            const QString flip = write("flip.ckpt", b);
            QTest::newRow("checkpoint: one flipped bit") << resume(flip) << flip << "checksum mismatch";
            QTest::newRow("checkpoint: a model file") << resume(model_) << model_ << "an Emoscope model, not an Emoscope checkpoint";
            const QString deep = checkpointWith("deep.ckpt", [](testdata::EditContainer& c) {
                c.json = QByteArray(60000, '[') + QByteArray(60000, ']');
            });
            QTest::newRow("checkpoint: state nested 60k deep") << resume(deep) << deep << "nested deeper";
            const QString nan = checkpointWith("nan.ckpt", [](testdata::EditContainer& c) {
                const float v = std::nanf("");
                std::memcpy(c.find("net/fc.bias")->data.data(), &v, 4);
            });
            QTest::newRow("checkpoint: NaN weight") << resume(nan) << nan << "non-finite values";
            const QString gone = checkpointWith("gone.ckpt", [](testdata::EditContainer& c) {
                c.tensors.erase(c.tensors.begin());
            });
            QTest::newRow("checkpoint: a tensor missing") << resume(gone) << gone << "missing";
            const QString epoch = checkpointWith("epoch.ckpt", [](testdata::EditContainer& c) {
                c.json.replace("\"epoch\":1", "\"epoch\":-5");
            });
            QTest::newRow("checkpoint: negative epoch") << resume(epoch) << epoch << "epoch";
            const QString other = path("tiny.ckpt");
            QTest::newRow("checkpoint: of another architecture")
                << QStringList{"train", "--data", data_, "--split", "random", "--epochs", "1", "--widths", "6",
                               "--threads", "1", "--out", path("never.pt"), "--checkpoint", other, "--resume"}
                << other << "different model";
        }

        // --- datasets and manifests ---
        {
            QVERIFY(QDir().mkpath(path("quote")));
            const QString csv = write("quote/manifest.csv", "path,label\n" + data_.toUtf8() + "/angry/clip0.wav,angry\n\"" +
                                                               data_.toUtf8() + "/sad/clip0.wav,sad\n" + data_.toUtf8() +
                                                               "/sad/clip1.wav,sad\n");
            QTest::newRow("manifest: unbalanced quote (folder)") << evaluate(path("quote")) << csv << "line 3: unbalanced quote";
            const QString direct = write("quote.csv", "path,label\n\"a.wav,angry\nb.wav,sad\n");
            QTest::newRow("manifest: unbalanced quote (file)") << evaluate(direct) << direct << "line 2: unbalanced quote";
            const QString noHeader = write("noheader.csv", "a.wav;angry\nb.wav;sad\n");
            QTest::newRow("manifest: no path/label header") << evaluate(noHeader) << noHeader << "needs a header";
            QTest::newRow("dataset: missing") << evaluate(path("no-such-data")) << path("no-such-data") << "not found";
            ::mkfifo(path("fifo.csv").toLocal8Bit().constData(), 0600);
            QTest::newRow("dataset: a FIFO") << evaluate(path("fifo.csv")) << path("fifo.csv") << "neither a folder nor";
            QVERIFY(QDir().mkpath(path("one/angry")));
            for (int k = 0; k < 3; ++k)
                QFile::copy(data_ + QString("/angry/clip%1.wav").arg(k), path(QString("one/angry/c%1.wav").arg(k)));
            QTest::newRow("dataset: one label only")
                << QStringList{"train", "--data", path("one"), "--split", "random", "--epochs", "1", "--widths", "4",
                               "--out", path("never.pt")}
                << path("one") << "all have one label ('angry')";
        }

        // --- audio files (decoder) and options (CLI bounds), checked before any model work ---
        {
            const QString fifo = path("fifo.wav");
            QVERIFY(::mkfifo(fifo.toLocal8Bit().constData(), 0600) == 0);
            QTest::newRow("audio: a FIFO") << classify(model_).mid(0, 3) + QStringList{fifo} << fifo << "not a regular file";
            QTest::newRow("audio: /dev/zero") << QStringList{"info", "/dev/zero"} << "/dev/zero" << "not a regular file";
            const QString rate0 = write("rate0.wav", rawWav(1, 1, 0, 16, QByteArray(3200, '\0')));
            QTest::newRow("audio: sample rate 0") << QStringList{"info", rate0} << rate0 << "sample rate";
            const QString huge = write("huge.wav", rawWav(3, 1, 16000, 32, floats(16000, 1e30f)));
            QTest::newRow("audio: float samples of 1e30") << classify(model_).mid(0, 3) + QStringList{huge} << huge << "outside full scale";
            std::vector<float> sine(16000);
            for (std::size_t i = 0; i < sine.size(); ++i) sine[i] = 0.3f * float(std::sin(0.1 * double(i)));
            sine[8000] = std::numeric_limits<float>::quiet_NaN();
            QByteArray sineBytes(qsizetype(sine.size() * 4), '\0');
            std::memcpy(sineBytes.data(), sine.data(), std::size_t(sineBytes.size()));
            const QString nan = write("nan.wav", rawWav(3, 1, 16000, 32, sineBytes));
            QTest::newRow("audio: one NaN sample in a sine") << classify(model_).mid(0, 3) + QStringList{nan} << nan << "NaN";
            const QString one = write("one.wav", rawWav(1, 1, 16000, 16, QByteArray(2, '\1')));
            QTest::newRow("audio: one sample") << classify(model_).mid(0, 3) + QStringList{one} << one << "too short";
            // 2 GiB of (sparse) silence behind a valid header: refused from the header under a cap, not read whole.
            QByteArray header = rawWav(1, 1, 16000, 16, QByteArray(3200, '\0'));
            const quint32 dataBytes = 2147483000u - 44u, riffBytes = dataBytes + 36u;
            for (int i = 0; i < 4; ++i) {
                header[4 + i] = char((riffBytes >> (8 * i)) & 0xff);
                header[40 + i] = char((dataBytes >> (8 * i)) & 0xff);
            }
            const QString big = write("big.wav", header);
            QVERIFY(QFile::resize(big, 2147483000));
            QTest::newRow("audio: 2 GiB file over --max-seconds")
                << QStringList{"classify", "--model", model_, "--max-seconds", "60", big} << big << "too long";
            QTest::newRow("option: --threads 100000")
                << QStringList{"classify", "--threads", "100000", wav_} << "--threads" << "must be in";
            QTest::newRow("option: --window inf")
                << QStringList{"timeline", wav_, "--window", "inf"} << "--window" << "finite";
            QTest::newRow("option: --hop 1e-6") << QStringList{"timeline", wav_, "--hop", "1e-6"} << "--hop" << "0.01";
            QTest::newRow("option: --max-seconds -1")
                << QStringList{"classify", "--max-seconds", "-1", wav_} << "--max-seconds" << "0.01";
            QTest::newRow("option: --max-seconds 1e300")
                << QStringList{"timeline", wav_, "--max-seconds", "1e300"} << "--max-seconds" << "1e+09";
            QTest::newRow("output: the input itself")
                << QStringList{"spectrogram", wav_, "--out", wav_} << wav_ << "same file";
            QTest::newRow("output: --png equal to --out")
                << QStringList{"spectrogram", wav_, "--out", path("s.f32"), "--png", path("s.f32")} << "--png" << "same file";
            QTest::newRow("train: --out into a missing folder")
                << train({}).mid(0, train({}).size() - 2) + QStringList{"--out", path("none/m.pt")} << "--out" << "does not exist";
            QTest::newRow("train: --resume without a checkpoint")
                << train({"--checkpoint", path("absent.ckpt"), "--resume"}) << "absent.ckpt" << "does not exist";
        }

        // --- output paths ---
        {
            QTest::newRow("output: folder does not exist")
                << QStringList{"spectrogram", wav_, "--out", path("no/such/dir/x.f32")} << path("no/such/dir/x.f32")
                << "does not exist"; // checked before any work, with the folder named
            QVERIFY(QDir().mkpath(path("outdir/inside")));
            QTest::newRow("output: a non-empty folder")
                << QStringList{"spectrogram", wav_, "--out", path("outdir")} << path("outdir") << "is a folder";
        }

        // --- audio files (through classify with the tiny model) ---
        {
            const QString empty = write("empty.wav", {});
            QTest::newRow("audio: empty file") << classify(model_).replaceInStrings(wav_, empty) << empty << "";
            const QString text = write("text.wav", "this is not audio\n");
            QTest::newRow("audio: text") << classify(model_).replaceInStrings(wav_, text) << text << "";
            QTest::newRow("audio: missing") << classify(model_).replaceInStrings(wav_, path("gone.wav")) << path("gone.wav") << "";
            QTest::newRow("audio: a folder") << classify(model_).replaceInStrings(wav_, path("folder.pt")) << path("folder.pt") << "";
        }
    }

    void catalogue()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, names);
        QFETCH(QString, reason);
        const Outcome o = runLimited(args);
        QString err = QString::fromLocal8Bit(o.err);
        const QString what = args.join(' ') + "\n  stderr: " + err;
        QVERIFY2(o.finished, qPrintable("hung: " + what));
        QVERIFY2(!o.crashed, qPrintable("killed by a signal: " + what));
        QVERIFY2(o.exitCode == 2, qPrintable(QString("exit %1: ").arg(o.exitCode) + what));
        // `train` reports its split and feature progress on stderr before it reaches the checkpoint or the
        // training step (app/cli/TrainCommand.cpp): those two known progress lines are allowed before the error
        // line; any other extra line fails the row.
        if (args.front() == "train") {
            QStringList lines = err.split('\n');
            while (lines.size() > 2 && (lines.front().startsWith("train: ") || lines.front().startsWith("features: ")))
                lines.removeFirst();
            err = lines.join('\n');
        }
        QVERIFY2(err.endsWith('\n') && err.count('\n') == 1, qPrintable("not exactly one line: " + what));
        QVERIFY2(err.contains(names), qPrintable("does not name " + names + ": " + what));
        QVERIFY2(err.contains(reason), qPrintable("does not say '" + reason + "': " + what));
    }
};

QTEST_GUILESS_MAIN(TestBadInputCatalogue)
#include "test_bad_input_catalogue.moc"
