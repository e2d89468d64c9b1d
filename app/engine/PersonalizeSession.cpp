// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/PersonalizeSession.h"

#include "audio/AudioDecoder.h"
#include "audio/WavWriter.h"
#include "engine/Async.h"
#include "engine/DataFolder.h"
#include "engine/CurrentModel.h"
#include "engine/RecordedTake.h"
#include "engine/Recorder.h"
#include "infer/Classifier.h"
#include "train/Dataset.h"
#include "util/AtomicFile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTextStream>
#include <QThread>
#include <algorithm>
#include <map>

namespace {
const QString kManifest = QStringLiteral("manifest.csv");
const QString kPersonalModel = QStringLiteral("personal.pt");

// A field in the manifest: quoted only when it needs to be.
QString csvField(const QString& s)
{
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')))
        return s;
    return QLatin1Char('"') + QString(s).replace(QLatin1String("\""), QLatin1String("\"\"")) + QLatin1Char('"');
}

QStringList csvSplit(const QString& line)
{
    QStringList out;
    QString cur;
    bool quoted = false;
    for (int i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < line.size() && line[i + 1] == QLatin1Char('"'))
                cur += c, ++i;
            else if (c == QLatin1Char('"'))
                quoted = false;
            else
                cur += c;
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            out << cur;
            cur.clear();
        } else {
            cur += c;
        }
    }
    out << cur;
    return out;
}
} // namespace

PersonalizeSession::PersonalizeSession(CurrentModel* model, QObject* parent)
    : QObject(parent), model_(model), recorder_(new Recorder(model, this))
{
    for (const auto& l : emoscope::emotionLabels())
        labels_ << QString::fromStdString(l);
    bundledPath_ = engine::fromCore(
        emoscope::Classifier::findDefaultModel(engine::toCore(QCoreApplication::applicationFilePath())));
    pool_.setMaxThreadCount(1);
    pool_.setThreadPriority(QThread::LowPriority);
    connect(recorder_, &Recorder::takeFinished, this, &PersonalizeSession::onTakeFinished);
    connect(recorder_, &Recorder::recordingChanged, this, &PersonalizeSession::recordingChanged);
    connect(recorder_, &Recorder::error, this, &PersonalizeSession::error);
}

PersonalizeSession::~PersonalizeSession()
{
    if (cancel_)
        *cancel_ = true;
    pool_.waitForDone();
    engine::waitForJobs(this);
}

QString PersonalizeSession::defaultFolder(const QString& name)
{
    return engine::dataFolder(QStringLiteral("personal/") + name); // per name: each speaker's takes move on their own
}

QString PersonalizeSession::sentence(const QString& label)
{
    static const std::map<QString, QString> s{
        {QStringLiteral("angry"), QStringLiteral("I told you to leave it on the table!")},
        {QStringLiteral("disgust"), QStringLiteral("Somebody left the milk out all week.")},
        {QStringLiteral("fear"), QStringLiteral("Did you hear that noise in the hall?")},
        {QStringLiteral("happy"), QStringLiteral("The train gets in at six tonight.")},
        {QStringLiteral("neutral"), QStringLiteral("The meeting is on the second floor.")},
        {QStringLiteral("ps"), QStringLiteral("You painted the whole house by yourself?")},
        {QStringLiteral("sad"), QStringLiteral("They closed the old shop on the corner.")},
    };
    const auto it = s.find(label);
    return it != s.end() ? it->second : QStringLiteral("The meeting is on the second floor.");
}

bool PersonalizeSession::open(const QString& folder, QString* error)
{
    if (!QDir().mkpath(folder)) {
        if (error)
            *error = tr("Cannot create the takes folder %1").arg(folder);
        return false;
    }
    folder_ = QDir(folder).absolutePath();
    takes_.clear();
    skipped_.clear();
    personalizer_.reset();
    result_ = {};
    QFile f(QDir(folder_).filePath(kManifest));
    if (f.open(QIODevice::ReadOnly | QIODevice::Text)) {
        QTextStream in(&f);
        bool header = true;
        while (!in.atEnd()) {
            const QStringList row = csvSplit(in.readLine());
            if (header) { // path,label,speaker
                header = false;
                continue;
            }
            // Takes deleted by hand are dropped; labels the model does not know are kept out.
            if (row.size() >= 2 && labels_.contains(row[1]) && QFileInfo::exists(QDir(folder_).filePath(row[0])))
                takes_.append({row[0], row[1]});
        }
    }
    Q_EMIT takesChanged();
    return true;
}

QString PersonalizeSession::speaker() const
{
    return QFileInfo(folder_).fileName();
}

QStringList PersonalizeSession::takes(const QString& label) const
{
    QStringList out;
    for (const auto& t : takes_)
        if (t.label == label)
            out << QDir(folder_).filePath(t.file);
    std::sort(out.begin(), out.end());
    return out;
}

int PersonalizeSession::totalTakes() const
{
    return int(takes_.size());
}

QString PersonalizeSession::nextLabel(const QString& after) const
{
    const int start = after.isEmpty() ? 0 : int(labels_.indexOf(after)) + 1;
    for (int k = 0; k < labels_.size(); ++k) {
        const QString& l = labels_[(start + k) % labels_.size()];
        if (!skipped_.contains(l) && takes(l).size() < kTakesPerLabel)
            return l;
    }
    return {};
}

// <label>-NNN.wav, one above the highest number used, so path order is recording order (the held-back rule
// takes the last in path order).
QString PersonalizeSession::newTakePath(const QString& label) const
{
    int next = 1;
    const QStringList existing = QDir(folder_).entryList({label + QStringLiteral("-*.wav")}, QDir::Files);
    for (const QString& name : existing)
        next = std::max(next, name.mid(label.size() + 1, 3).toInt() + 1);
    return QDir(folder_).filePath(QStringLiteral("%1-%2.wav").arg(label).arg(next, 3, 10, QLatin1Char('0')));
}

bool PersonalizeSession::writeManifest(QString* error)
{
    QString text = QStringLiteral("path,label,speaker\n");
    for (const auto& t : takes_)
        text += csvField(t.file) + QLatin1Char(',') + t.label + QLatin1Char(',') + csvField(speaker()) + QLatin1Char('\n');
    try {
        emoscope::writeBytesAtomically(engine::toCore(QDir(folder_).filePath(kManifest)), text.toStdString());
        return true;
    } catch (...) {
        if (error)
            *error = engine::currentExceptionText();
        return false;
    }
}

bool PersonalizeSession::startRecording(const QString& label, const QAudioDevice& device)
{
    if (device.isNull()) {
        Q_EMIT error(tr("No audio input device: connect a microphone, or check the system's sound settings"));
        return false;
    }
    recordingLabel_ = label;
    return recorder_->start(device);
}

QIODevice* PersonalizeSession::startPushed(const QString& label, const QAudioFormat& format)
{
    recordingLabel_ = label;
    return recorder_->startPushed(format);
}

void PersonalizeSession::stopRecording()
{
    recorder_->stop();
}

void PersonalizeSession::onTakeFinished(std::shared_ptr<const RecordedTake> take)
{
    if (!take || folder_.isEmpty() || recordingLabel_.isEmpty())
        return;
    const QString path = newTakePath(recordingLabel_);
    try {
        emoscope::writeWavAtomic(engine::toCore(path), take->audio.samples.data(), take->audio.samples.size(),
                                 take->audio.sampleRate);
    } catch (...) {
        Q_EMIT error(tr("The take was not saved: %1").arg(engine::currentExceptionText()));
        return;
    }
    takes_.append({QFileInfo(path).fileName(), recordingLabel_});
    QString why;
    if (!writeManifest(&why))
        Q_EMIT error(tr("The manifest was not updated: %1").arg(why));
    Q_EMIT takesChanged();
    Q_EMIT takeRecorded(recordingLabel_);
}

bool PersonalizeSession::importTake(const QString& label, const QString& audioPath, QString* error)
{
    try {
        if (folder_.isEmpty() || !labels_.contains(label))
            throw std::invalid_argument("no takes folder open, or unknown emotion " + label.toStdString());
        const emoscope::AudioBuffer audio = emoscope::loadAudio(engine::toCore(audioPath));
        const QString path = newTakePath(label);
        emoscope::writeWavAtomic(engine::toCore(path), audio.samples.data(), audio.samples.size(), audio.sampleRate);
        takes_.append({QFileInfo(path).fileName(), label});
    } catch (...) {
        if (error)
            *error = tr("%1: %2").arg(audioPath, engine::currentExceptionText());
        return false;
    }
    const bool ok = writeManifest(error);
    Q_EMIT takesChanged();
    return ok;
}

bool PersonalizeSession::deleteTake(const QString& path, QString* error)
{
    const QString name = QFileInfo(path).fileName();
    for (int i = 0; i < takes_.size(); ++i) {
        if (takes_[i].file != name)
            continue;
        takes_.removeAt(i);
        // The manifest first: a take it no longer lists is ignored even if the file stays behind.
        const bool ok = writeManifest(error);
        QFile::remove(QDir(folder_).filePath(name));
        Q_EMIT takesChanged();
        return ok;
    }
    if (error)
        *error = tr("%1 is not a take of this folder").arg(path);
    return false;
}

emoscope::Dataset PersonalizeSession::dataset() const
{
    emoscope::Dataset d;
    d.roots = {engine::toCore(folder_)};
    for (const QString& label : labels_)
        for (const QString& path : takes(label)) {
            emoscope::Clip c;
            c.path = engine::toCore(path);
            c.label = label.toStdString();
            c.labelIndex = int(labels_.indexOf(label));
            c.speaker = engine::toCore(speaker());
            c.source = d.roots.front();
            d.clips.push_back(c);
        }
    return d;
}

emoscope::Split PersonalizeSession::heldBackSplit() const
{
    return emoscope::personalHoldBack(dataset(), 1);
}

bool PersonalizeSession::adapt()
{
    if (adapting_)
        return false;
    const emoscope::Dataset takes = dataset();
    const emoscope::Split split = emoscope::personalHoldBack(takes, 1);
    QString problem;
    if (!model_ || !model_->isLoaded())
        problem = tr("No model is loaded to adapt: File › Open model…");
    else if (split.train.empty() || split.test.empty())
        problem = tr("Too few takes: record at least two takes of an emotion (one adapts, one is held back to "
                     "compare); %1 takes so far").arg(takes.clips.size());
    if (!problem.isEmpty()) {
        Q_EMIT adaptFinished(false, problem);
        return false;
    }
    emoscope::PersonalizeOptions options = options_;
    options.baseModel = engine::toCore(model_->path());
    options.speaker = engine::toCore(speaker());
    adapting_ = true;
    personalizer_.reset();
    result_ = {};
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    auto cancel = cancel_;
    auto throttle = std::make_shared<engine::ProgressThrottle>(100);
    QPointer<PersonalizeSession> self(this);
    engine::runJob(
        this,
        [takes, split, options, cancel, throttle, self]() {
            auto p = std::make_shared<emoscope::Personalizer>(takes, split, options);
            emoscope::TrainCallbacks callbacks;
            callbacks.onPrepare = [&](const std::string& stage, int done, int total) {
                if (!throttle->admit(done >= total))
                    return;
                QMetaObject::invokeMethod(
                    self.data(),
                    [self, s = engine::fromCore(stage), done, total] {
                        if (self)
                            Q_EMIT self->adaptProgress(s, done, total);
                    },
                    Qt::QueuedConnection);
            };
            auto result = p->run(callbacks, cancel.get());
            return std::make_pair(result.cancelled ? nullptr : p, result);
        },
        [this](const engine::Outcome<std::pair<std::shared_ptr<emoscope::Personalizer>, emoscope::PersonalizeResult>>& r) {
            adapting_ = false;
            if (!r.ok()) {
                Q_EMIT adaptFinished(false, tr("The adaptation failed: %1").arg(r.error));
                return;
            }
            result_ = r.value.second;
            personalizer_ = r.value.first; // none after a cancel
            Q_EMIT adaptFinished(result_.cancelled, QString());
        },
        &pool_);
    return true;
}

void PersonalizeSession::cancelAdapt()
{
    if (cancel_)
        *cancel_ = true;
}

// The card's "personalized" provenance first (whose takes, how many, which base model), then the full card.
QString PersonalizeSession::cardSummary() const
{
    if (!personalizer_)
        return {};
    const emoscope::ModelCard card = personalizer_->card();
    const QJsonObject p = QJsonDocument::fromJson(QByteArray::fromStdString(card.provenanceJson))
                              .object()
                              .value(QStringLiteral("personalized"))
                              .toObject();
    QString head;
    if (!p.isEmpty())
        head = tr("Personal model of %1: %2 takes adapted, %3 held back\nBase model: %4\n\n")
                   .arg(p.value(QStringLiteral("speaker")).toString())
                   .arg(p.value(QStringLiteral("takes")).toInt())
                   .arg(p.value(QStringLiteral("held_back")).toInt())
                   .arg(p.value(QStringLiteral("base_model")).toString());
    return head + engine::fromCore(card.summary());
}

QString PersonalizeSession::personalModelPath() const
{
    return QDir(folder_).filePath(kPersonalModel);
}

void PersonalizeSession::saveModelThen(const QString& path, std::function<void()> then)
{
    if (!personalizer_ || adapting_) {
        Q_EMIT error(tr("There is no personal model yet: record takes and Adapt first"));
        return;
    }
    std::shared_ptr<const emoscope::Personalizer> p = personalizer_;
    engine::runJob(
        this,
        [p, path] {
            p->saveModel(engine::toCore(path));
            return true;
        },
        [this, path, then = std::move(then)](const engine::Outcome<bool>& r) {
            if (!r.ok())
                Q_EMIT error(tr("The personal model was not saved to %1: %2").arg(path, r.error));
            else
                then();
        });
}

void PersonalizeSession::useModel()
{
    const QString path = personalModelPath();
    saveModelThen(path, [this, path] {
        if (model_->loadNow(path))
            Q_EMIT modelSwitched(path);
        else
            Q_EMIT error(tr("The personal model %1 could not be loaded").arg(path));
    });
}

void PersonalizeSession::saveAs(const QString& path)
{
    saveModelThen(path, [this, path] { Q_EMIT saved(path); });
}

void PersonalizeSession::backToBundled()
{
    if (bundledPath_.isEmpty()) {
        Q_EMIT error(tr("No bundled model was found (set EMOSCOPE_MODEL, or File › Open model…)"));
        return;
    }
    if (model_->loadNow(bundledPath_))
        Q_EMIT modelSwitched(bundledPath_);
    else
        Q_EMIT error(tr("The bundled model %1 could not be loaded").arg(bundledPath_));
}
