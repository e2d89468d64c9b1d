// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/RecordTab.h"

#include "gui/InlineMessage.h"

#include "engine/CurrentModel.h"
#include "engine/Recorder.h"
#include "engine/SoundServerWatch.h"
#include "gui/ColorMap.h"
#include "gui/EmotionBarsView.h"
#include "gui/LevelMeter.h"
#include "gui/SpectrogramView.h"
#include "gui/VerdictText.h"
#include "gui/WaveformView.h"

#include <QAudioDevice>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QLocale>
#include <QStandardPaths>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMediaDevices>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace {
const char* const kDeviceKey = "record/inputDevice";
constexpr int kStartAttempts = 6; // one a second: covers Qt's reconnect to a restarted sound server

} // namespace

RecordTab::RecordTab(CurrentModel* model, QWidget* parent)
    : QWidget(parent), model_(model), recorder_(new Recorder(model, this)), startRetry_(new QTimer(this)),
      message_(new InlineMessage(this)), devices_(new QComboBox(this)), level_(new LevelMeter(this)),
      recordButton_(new QPushButton(tr("Record"), this)), saveButton_(new QPushButton(tr("Save take as WAV…"), this)),
      sendButton_(new QPushButton(tr("Send to Analyze"), this)), time_(new QLabel(this)),
      waveform_(new WaveformView(this)), spectrogram_(new SpectrogramView(this)), emotionTitle_(new QLabel(this)),
      topLabel_(new QLabel(QStringLiteral("—"), this)), bars_(new EmotionBarsView(this)), noSpeech_(new QLabel(this)),
      barsOrNoSpeech_(new QStackedWidget(this))
{
    devices_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    devices_->setMinimumWidth(220);
    recordButton_->setToolTip(tr("Start or stop recording (Ctrl+R)"));
    QFont big = topLabel_->font();
    big.setPointSizeF(big.pointSizeF() * 2.2);
    big.setBold(true);
    topLabel_->setFont(big);
    topLabel_->setAlignment(Qt::AlignCenter);
    emotionTitle_->setAlignment(Qt::AlignCenter);
    emotionTitle_->setText(tr("Live emotion (last 2.5 s)"));
    spectrogram_->setPlaceholderText(tr("Press Record (Ctrl+R) to see the live spectrogram"));
    time_->setMinimumWidth(time_->fontMetrics().horizontalAdvance(QStringLiteral("00:00.0  recording")));

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Input:"), this));
    controls->addWidget(devices_);
    controls->addWidget(level_, 1);
    controls->addWidget(time_);
    controls->addWidget(recordButton_);
    controls->addWidget(saveButton_);
    controls->addWidget(sendButton_);

    auto* views = new QWidget(this);
    auto* viewsLayout = new QVBoxLayout(views);
    viewsLayout->setContentsMargins(0, 0, 0, 0);
    viewsLayout->setSpacing(2);
    viewsLayout->addWidget(waveform_, 1);
    viewsLayout->addWidget(spectrogram_, 3);

    auto* emotion = new QWidget(this);
    auto* emotionLayout = new QVBoxLayout(emotion);
    emotionLayout->setContentsMargins(0, 0, 0, 0);
    emotionLayout->addWidget(emotionTitle_);
    emotionLayout->addWidget(topLabel_);
    noSpeech_->setAlignment(Qt::AlignCenter);
    noSpeech_->setWordWrap(true);
    barsOrNoSpeech_->addWidget(bars_);
    barsOrNoSpeech_->addWidget(noSpeech_);
    emotionLayout->addWidget(barsOrNoSpeech_, 1);

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(views);
    split->addWidget(emotion);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(message_);
    layout->addLayout(controls);
    layout->addWidget(split, 1);

    startRetry_->setSingleShot(true);
    startRetry_->setInterval(1000);
    connect(startRetry_, &QTimer::timeout, this, [this] { startRecording(startAttemptsLeft_); });
    SoundServerWatch::connectAudioInputsChanged(this, [this] { refreshDevices(); });
    connect(devices_, &QComboBox::activated, this, [this] {
        QSettings().setValue(QLatin1String(kDeviceKey), devices_->currentData().toByteArray());
    });
    connect(recordButton_, &QPushButton::clicked, this, &RecordTab::toggleRecording);
    connect(saveButton_, &QPushButton::clicked, this, &RecordTab::onSaveClicked);
    connect(sendButton_, &QPushButton::clicked, this, [this] {
        if (const auto take = recorder_->lastTake())
            Q_EMIT sendToAnalyze(take->audio,
                                 tr("Recording %1").arg(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss"))));
    });

    connect(recorder_, &Recorder::recordingChanged, this, [this](bool recording) {
        if (recording) {
            resetVerdict();
            showMessage({}, false);
        }
        updateButtons();
    });
    connect(recorder_, &Recorder::liveUpdated, this, &RecordTab::showLive);
    connect(recorder_, &Recorder::levelChanged, level_, &LevelMeter::setLevel);
    connect(recorder_, &Recorder::takeSaved, this, &RecordTab::onTakeSaved);
    connect(recorder_, &Recorder::liveProbabilities, this,
            [this](const QStringList& labels, const std::vector<float>& p, emoscope::VerdictStatus status) {
                showVerdict(labels, p, status);
            });
    connect(recorder_, &Recorder::takeFinished, this, [this](std::shared_ptr<const RecordedTake> take) {
        time_->setText(tr("%1 s take").arg(take->audio.durationSeconds(), 0, 'f', 1));
        emotionTitle_->setText(tr("Whole take: classifying…"));
        level_->setLevel(0);
        updateButtons();
    });
    connect(recorder_, &Recorder::takeClassified, this,
            [this](const QStringList& labels, const std::vector<float>& p, emoscope::VerdictStatus status) {
                emotionTitle_->setText(tr("Whole take"));
                showVerdict(labels, p, status);
                Q_EMIT statusMessage(tr("Take: %1").arg(VerdictText::headline(status, labels, p)));
            });
    connect(recorder_, &Recorder::deviceLost, this, [this](const QString& m) {
        showMessage(m, true);
        refreshDevices(); // the lost input must not stay listed
    });
    connect(recorder_, &Recorder::unsavedChanged, this, &RecordTab::updateButtons);
    connect(recorder_, &Recorder::takeRecovered, this, [this](std::shared_ptr<const RecordedTake> take, const QDateTime& when) {
        time_->setText(tr("%1 s take").arg(take->audio.durationSeconds(), 0, 'f', 1));
        emotionTitle_->setText(tr("Whole take: classifying…"));
        waveform_->setSamples(take->audio.samples, take->audio.sampleRate);
        showMessage(tr("Recovered a take of %1 s recorded on %2 that was never saved. Save it with “Save take as WAV…”, "
                       "or it is asked about before the next take.")
                        .arg(take->audio.durationSeconds(), 0, 'f', 1)
                        .arg(QLocale().toString(when, QLocale::ShortFormat)),
                    false);
        updateButtons();
    });
    connect(recorder_, &Recorder::error, this, [this](const QString& m) {
        emotionTitle_->setText(tr("Whole take"));
        showMessage(m, true);
    });

    refreshDevices();
}

RecordTab::~RecordTab()
{
    recorder_->stop();
}

bool RecordTab::hasInputDevice() const
{
    return devices_->count() > 0;
}

QString RecordTab::message() const
{
    return message_->text();
}

void RecordTab::setColorMap(const ColorMap& map)
{
    spectrogram_->setColorMap(map);
}

void RecordTab::refreshDevices()
{
    const QByteArray current = devices_->currentData().toByteArray();
    const QByteArray saved = QSettings().value(QLatin1String(kDeviceKey)).toByteArray();
    const QList<QAudioDevice> inputs = QMediaDevices::audioInputs();
    devices_->clear();
    for (const QAudioDevice& d : inputs)
        devices_->addItem(d.description(), d.id());
    // Keep what was chosen, else the saved choice, else the system default.
    int index = devices_->findData(current);
    if (index < 0)
        index = devices_->findData(saved);
    if (index < 0)
        index = devices_->findData(QMediaDevices::defaultAudioInput().id());
    if (index >= 0)
        devices_->setCurrentIndex(index);
    if (inputs.isEmpty()) {
        showMessage(tr("No audio input device found. Connect a microphone (or start the sound server) to record; "
                       "everything else in Emoscope works without one."),
                    true);
        // A take in progress is finished by the Recorder itself, which watches its own device.
    } else if (message_->text().startsWith(tr("No audio input device"))) {
        showMessage({}, false);
    }
    updateButtons();
}

void RecordTab::toggleRecording()
{
    if (recorder_->isRecording()) {
        recorder_->stop();
        return;
    }
    if (startRetry_->isActive()) { // pressed again while waiting for the device: stop waiting
        startRetry_->stop();
        showMessage(tr("Recording not started."), false);
        updateButtons();
        return;
    }
    settleTake(tr("The last take has not been saved. Save it before recording a new one?"),
               [this] { startRecording(kStartAttempts); });
}

void RecordTab::startRecording(int attemptsLeft)
{
    if (recorder_->isRecording())
        return;
    // Devices may have come and gone since the list was filled (a sound server restarted): read it afresh.
    refreshDevices();
    const QByteArray id = devices_->currentData().toByteArray();
    for (const QAudioDevice& d : QMediaDevices::audioInputs()) {
        if (d.id() == id) {
            // Qt Multimedia reconnects to a sound server that restarted only after a few seconds; until then the
            // device does not open. Try again for a while, quietly, instead of failing the first time.
            if (attemptsLeft > 1 && !recorder_->start(d, Recorder::Failure::Quiet)) {
                showMessage(tr("Waiting for “%1” (the sound server may be restarting)…").arg(d.description()), false);
                startAttemptsLeft_ = attemptsLeft - 1;
                startRetry_->start();
                updateButtons();
                return;
            }
            if (!recorder_->isRecording() && !recorder_->start(d, Recorder::Failure::Quiet)) {
                const SoundServerWatch* watch = SoundServerWatch::instance();
                if (watch && watch->isReconnecting())
                    showMessage(tr("Cannot record from “%1”: the sound server is not answering. Emoscope keeps "
                                   "looking for it; press Record again once it is back.")
                                    .arg(d.description()),
                                true);
                else
                    showMessage(tr("Cannot record from “%1”: the device could not be opened. Check that it is "
                                   "connected and not used exclusively by another program.")
                                    .arg(d.description()),
                                true);
                return;
            }
            showMessage({}, false);
            const QAudioFormat f = recorder_->captureFormat();
            Q_EMIT statusMessage(tr("Recording from %1 (%2 Hz, %3 channel(s))")
                                     .arg(d.description())
                                     .arg(f.sampleRate())
                                     .arg(f.channelCount()));
            return;
        }
    }
    showMessage(tr("No audio input device to record from."), true);
}

void RecordTab::resetVerdict()
{
    emotionTitle_->setText(tr("Live emotion (last 2.5 s)"));
    topLabel_->setText(QStringLiteral("—"));
    bars_->clear();
    barsOrNoSpeech_->setCurrentWidget(bars_);
}

void RecordTab::clearTakeView()
{
    waveform_->clear();
    spectrogram_->clear();
    time_->clear();
    level_->setLevel(0);
    resetVerdict();
}

void RecordTab::showLive(const LiveSnapshot& s)
{
    const double span = s.db.frames * s.hopSeconds;
    waveform_->setSamples(s.waveform, s.sampleRate, s.endSeconds - double(s.waveform.size()) / std::max(1, s.sampleRate));
    spectrogram_->setSpectrogram(s.db, s.melCentresHz, s.hopSeconds, s.ceilDb - 80.0, s.ceilDb, s.endSeconds - span);
    const std::size_t recent = std::min(s.waveform.size(), std::size_t(2.5 * std::max(1, s.sampleRate)));
    recentPeak_ = 0.0f;
    for (std::size_t i = s.waveform.size() - recent; i < s.waveform.size(); ++i)
        recentPeak_ = std::max(recentPeak_, std::abs(s.waveform[i]));
    const int tenths = int(s.endSeconds * 10);
    time_->setText(QStringLiteral("%1:%2.%3%4")
                       .arg(tenths / 600, 2, 10, QLatin1Char('0'))
                       .arg((tenths / 10) % 60, 2, 10, QLatin1Char('0'))
                       .arg(tenths % 10)
                       .arg(recorder_->isRecording() ? tr("  recording") : QString()));
}

void RecordTab::showVerdict(const QStringList& labels, const std::vector<float>& p, emoscope::VerdictStatus status)
{
    bars_->setProbabilities(labels, p);
    topLabel_->setText(VerdictText::headline(status, labels, p));
    // Below -90 dBFS nothing reaches the input at all: say so, rather than ask the user to speak up.
    noSpeech_->setText(recentPeak_ < 3e-5f
                           ? tr("The input is silent: no sound at all reaches it. Is the microphone muted or unplugged?")
                           : tr("Too little voice activity to name an emotion. Speak closer to the microphone."));
    barsOrNoSpeech_->setCurrentWidget(status == emoscope::VerdictStatus::NoSpeech ? static_cast<QWidget*>(noSpeech_)
                                                                                  : static_cast<QWidget*>(bars_));
}

void RecordTab::updateButtons()
{
    const bool recording = recorder_->isRecording();
    const bool waiting = !recording && startRetry_->isActive();
    const bool device = hasInputDevice();
    recordButton_->setEnabled(device || recording || waiting);
    recordButton_->setText(recording ? tr("Stop") : waiting ? tr("Stop waiting") : tr("Record"));
    recordButton_->setToolTip(device ? tr("Start or stop recording (Ctrl+R)") : tr("No audio input device found"));
    devices_->setEnabled(!recording && device);
    const bool haveTake = !recording && recorder_->lastTake() && !recorder_->lastTake()->audio.samples.empty();
    saveButton_->setEnabled(haveTake);
    sendButton_->setEnabled(haveTake);
}

void RecordTab::showMessage(const QString& text, bool isError)
{
    message_->display(text, isError);
    if (!text.isEmpty())
        Q_EMIT statusMessage(text);
}

QString RecordTab::askSavePath()
{
    QSettings settings;
    QString folder = settings.value(QStringLiteral("folders/recordings")).toString();
    if (folder.isEmpty() || !QFileInfo(folder).isDir())
        folder = QStandardPaths::writableLocation(QStandardPaths::MusicLocation);
    if (folder.isEmpty() || !QFileInfo(folder).isDir())
        folder = QDir::homePath(); // never the working directory the app happened to start in
    const QString name = QStringLiteral("take-%1.wav").arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
    const QString path = QFileDialog::getSaveFileName(this, tr("Save take"), folder + QLatin1Char('/') + name,
                                                      tr("WAV audio (*.wav)"));
    if (!path.isEmpty())
        settings.setValue(QStringLiteral("folders/recordings"), QFileInfo(path).absolutePath());
    return path;
}

void RecordTab::onSaveClicked()
{
    const QString path = askSavePath();
    if (!path.isEmpty())
        saveTake(path);
}

void RecordTab::settleTake(const QString& question, std::function<void()> proceed)
{
    const bool recording = recorder_->isRecording();
    if (!recording && !recorder_->hasUnsavedTake()) {
        proceed();
        return;
    }
    QMessageBox box(QMessageBox::Warning, tr("Unsaved take"),
                    recording ? tr("A take is being recorded. Stop it and save it?") : question,
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("unsavedTakeBox"));
    box.setDefaultButton(QMessageBox::Save);
    const int answer = box.exec();
    if (answer != QMessageBox::Save && answer != QMessageBox::Discard)
        return;
    auto settle = [this, answer, proceed] {
        if (answer == QMessageBox::Discard) {
            recorder_->discardTake();
            clearTakeView();
            updateButtons();
            proceed();
            return;
        }
        const QString path = askSavePath();
        if (path.isEmpty())
            return; // the save dialog was cancelled: nothing happens
        auto* context = new QObject(this); // lives until the save's outcome, then goes
        connect(recorder_, &Recorder::takeSaved, context, [context, proceed](const QString&, const QString& error) {
            context->deleteLater();
            if (error.isEmpty())
                proceed();
        });
        saveTake(path);
    };
    if (recording) {
        auto* context = new QObject(this);
        connect(recorder_, &Recorder::takeFinished, context, [context, settle] {
            context->deleteLater();
            settle();
        });
        recorder_->stop();
    } else {
        settle();
    }
}

void RecordTab::saveTake(const QString& path)
{
    recorder_->saveTake(path); // onTakeSaved() reports the outcome
}

void RecordTab::onTakeSaved(const QString& path, const QString& error)
{
    if (error.isEmpty())
        Q_EMIT statusMessage(tr("Take saved to %1").arg(path));
    else
        showMessage(error, true);
    Q_EMIT takeSaved(path, error);
}
