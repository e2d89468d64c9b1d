// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/PersonalizeTab.h"

#include "audio/AudioDecoder.h"
#include "engine/Async.h"
#include "engine/AudioPlayer.h"
#include "engine/CurrentModel.h"
#include "engine/PersonalizeSession.h"
#include "engine/Recorder.h"
#include "gui/ConfusionMatrixView.h"
#include "gui/InlineMessage.h"
#include "gui/LevelMeter.h"

#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMediaDevices>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace {
const char* const kNameKey = "personalize/name";

QString labelTitle(const QString& label)
{
    if (label == QLatin1String("ps"))
        return QObject::tr("Pleasantly surprised");
    return label.left(1).toUpper() + label.mid(1);
}

QVector<QVector<int>> toQt(const std::vector<std::vector<int>>& m)
{
    QVector<QVector<int>> out;
    for (const auto& row : m)
        out.append(QVector<int>(row.begin(), row.end()));
    return out;
}
} // namespace

PersonalizeTab::PersonalizeTab(CurrentModel* model, QWidget* parent)
    : QWidget(parent), model_(model), session_(new PersonalizeSession(model, this)), player_(new AudioPlayer(this)),
      name_(new QLineEdit(this)), folderLabel_(new QLabel(this)), emotions_(new QListWidget(this)),
      act_(new QLabel(this)), sentence_(new QLabel(this)), meter_(new LevelMeter(this)),
      record_(new QPushButton(tr("Re&cord"), this)), play_(new QPushButton(tr("P&lay take"), this)),
      redo_(new QPushButton(tr("Re&do"), this)), skip_(new QPushButton(tr("S&kip emotion"), this)),
      adapt_(new QPushButton(tr("Adapt"), this)), cancel_(new QPushButton(tr("Cancel"), this)),
      progress_(new QProgressBar(this)), beforeTitle_(new QLabel(this)), afterTitle_(new QLabel(this)),
      before_(new ConfusionMatrixView(this)), after_(new ConfusionMatrixView(this)), card_(new QPlainTextEdit(this)),
      use_(new QPushButton(tr("&Use this model"), this)), save_(new QPushButton(tr("Save as…"), this)),
      back_(new QPushButton(tr("Back to the &bundled model"), this)), message_(new InlineMessage(this))
{
    // Top: whose voice; the takes live in a folder named after them, so coming back later finds them.
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Your name:"), this));
    QString user = QSettings().value(QLatin1String(kNameKey)).toString();
    if (user.isEmpty())
        user = qEnvironmentVariable("USER", QStringLiteral("me"));
    name_->setText(user);
    name_->setMaximumWidth(200);
    top->addWidget(name_);
    auto* openButton = new QPushButton(tr("Open takes"), this);
    top->addWidget(openButton);
    folderLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    top->addWidget(folderLabel_, 1);

    // Prompt: the emotion to act and the sentence to read, large.
    QFont big = act_->font();
    big.setPointSizeF(big.pointSizeF() * 1.8);
    big.setBold(true);
    act_->setFont(big);
    QFont mid = sentence_->font();
    mid.setPointSizeF(mid.pointSizeF() * 1.5);
    sentence_->setFont(mid);
    sentence_->setWordWrap(true);
    emotions_->setMaximumWidth(220);
    auto* buttons = new QHBoxLayout;
    for (QPushButton* b : {record_, play_, redo_, skip_})
        buttons->addWidget(b);
    buttons->addStretch();
    auto* prompt = new QVBoxLayout;
    prompt->addWidget(act_);
    prompt->addWidget(sentence_);
    prompt->addWidget(meter_);
    prompt->addLayout(buttons);
    auto* adaptRow = new QHBoxLayout;
    adaptRow->addWidget(adapt_);
    adaptRow->addWidget(progress_, 1);
    adaptRow->addWidget(cancel_);
    prompt->addLayout(adaptRow);
    prompt->addStretch();
    auto* upper = new QHBoxLayout;
    upper->addWidget(emotions_);
    upper->addLayout(prompt, 1);

    // Results: base vs personal on the held-back takes, and the personal model's card.
    auto* results = new QGridLayout;
    beforeTitle_->setWordWrap(true);
    afterTitle_->setWordWrap(true);
    results->addWidget(beforeTitle_, 0, 0);
    results->addWidget(afterTitle_, 0, 1);
    results->addWidget(before_, 1, 0);
    results->addWidget(after_, 1, 1);
    // Empty until an adaptation: say what on this tab fills them (the view's default names the Train tab's actions).
    for (ConfusionMatrixView* view : {before_, after_}) // the titles above say which model
        view->setPlaceholderText(tr("Adapt to see the confusion matrix on your held-back takes"));
    card_->setReadOnly(true);
    card_->setPlaceholderText(tr("The personal model's card appears here after Adapt."));
    results->addWidget(card_, 0, 2, 2, 1);
    results->setColumnStretch(0, 2);
    results->setColumnStretch(1, 2);
    results->setColumnStretch(2, 1);
    results->setRowStretch(1, 1);
    auto* modelRow = new QHBoxLayout;
    modelRow->addWidget(use_);
    modelRow->addWidget(save_);
    modelRow->addStretch();
    modelRow->addWidget(back_);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(message_);
    layout->addLayout(upper);
    layout->addLayout(results, 1);
    layout->addLayout(modelRow);

    progress_->setRange(0, 1);
    progress_->setValue(0);
    cancel_->setEnabled(false);
    use_->setEnabled(false);
    save_->setEnabled(false);
    beforeTitle_->setText(tr("Bundled model on your held-back takes"));
    afterTitle_->setText(tr("Personal model on your held-back takes"));

    connect(openButton, &QPushButton::clicked, this, &PersonalizeTab::openFolder);
    connect(name_, &QLineEdit::returnPressed, this, &PersonalizeTab::openFolder);
    connect(emotions_, &QListWidget::currentRowChanged, this, &PersonalizeTab::showPrompt);
    connect(record_, &QPushButton::clicked, this, &PersonalizeTab::toggleRecord);
    connect(play_, &QPushButton::clicked, this, &PersonalizeTab::playTake);
    connect(redo_, &QPushButton::clicked, this, &PersonalizeTab::redoTake);
    connect(skip_, &QPushButton::clicked, this, &PersonalizeTab::skipLabel);
    connect(adapt_, &QPushButton::clicked, this, [this] {
        say({}, false);
        if (session_->adapt()) {
            adapt_->setEnabled(false);
            cancel_->setEnabled(true);
            use_->setEnabled(false);
            save_->setEnabled(false);
            progress_->setRange(0, 0);
        }
    });
    connect(cancel_, &QPushButton::clicked, session_, &PersonalizeSession::cancelAdapt);
    connect(use_, &QPushButton::clicked, session_, &PersonalizeSession::useModel);
    connect(save_, &QPushButton::clicked, this, &PersonalizeTab::saveAs);
    connect(back_, &QPushButton::clicked, session_, &PersonalizeSession::backToBundled);

    connect(session_, &PersonalizeSession::takesChanged, this, &PersonalizeTab::refreshTakes);
    // The guided flow moves on by itself: once an emotion has its takes, the next one that needs takes is shown.
    connect(session_, &PersonalizeSession::takeRecorded, this, [this](const QString& label) {
        if (label != currentLabel() || session_->takes(label).size() < PersonalizeSession::kTakesPerLabel)
            return;
        const QString next = session_->nextLabel(label);
        if (!next.isEmpty())
            selectLabel(next);
    });
    connect(session_, &PersonalizeSession::recordingChanged, this, [this](bool on) {
        // One key starts and stops (Alt+C); "S&top" clashed with the Train tab's Alt+T.
        record_->setText(on ? tr("Stop re&cording") : tr("Re&cord"));
        if (!on)
            meter_->setLevel(0);
    });
    connect(session_->recorder(), &Recorder::levelChanged, meter_, &LevelMeter::setLevel);
    connect(session_, &PersonalizeSession::error, this, [this](const QString& m) { say(m, true); });
    connect(player_, &AudioPlayer::error, this, [this](const QString& m) { say(m, true); });
    connect(session_, &PersonalizeSession::adaptProgress, this, [this](const QString& stage, int done, int total) {
        progress_->setRange(0, std::max(total, 1));
        progress_->setValue(done);
        progress_->setFormat(stage == QLatin1String("adapt") ? tr("Adapting %v/%m") : tr("Preparing %1 %v/%m").arg(stage));
    });
    connect(session_, &PersonalizeSession::adaptFinished, this, &PersonalizeTab::onAdaptFinished);
    connect(session_, &PersonalizeSession::modelSwitched, this, [this](const QString& path) {
        say(tr("Now using %1").arg(path), false);
        Q_EMIT statusMessage(tr("Model: %1").arg(path));
    });
    connect(session_, &PersonalizeSession::saved, this,
            [this](const QString& path) { say(tr("Saved the personal model to %1").arg(path), false); });

    openFolder();
}

void PersonalizeTab::say(const QString& text, bool isError)
{
    lastMessage_ = text;
    message_->display(text, isError);
}

QString PersonalizeTab::currentLabel() const
{
    const QListWidgetItem* item = emotions_->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

void PersonalizeTab::selectLabel(const QString& label)
{
    const int row = int(session_->labels().indexOf(label));
    if (row >= 0)
        emotions_->setCurrentRow(row);
}

void PersonalizeTab::openFolder()
{
    const QString name = name_->text().trimmed();
    if (name.isEmpty() || name.contains(QLatin1Char('/'))) {
        say(tr("Enter a name (without '/') for your takes folder"), true);
        return;
    }
    QSettings().setValue(QLatin1String(kNameKey), name);
    QString error;
    if (!session_->open(PersonalizeSession::defaultFolder(name), &error)) {
        say(error, true);
        return;
    }
    say({}, false);
    const QString next = session_->nextLabel();
    selectLabel(next.isEmpty() ? session_->labels().value(0) : next);
}

void PersonalizeTab::refreshTakes()
{
    folderLabel_->setText(tr("Takes: %1").arg(session_->folder()));
    const QString keep = currentLabel();
    const QSignalBlocker block(emotions_);
    emotions_->clear();
    for (const QString& label : session_->labels()) {
        const int n = int(session_->takes(label).size());
        QString text = tr("%1   %2/%3").arg(labelTitle(label)).arg(n).arg(PersonalizeSession::kTakesPerLabel);
        if (session_->isSkipped(label))
            text += tr("  (skipped)");
        auto* item = new QListWidgetItem(text, emotions_);
        item->setData(Qt::UserRole, label);
    }
    emotions_->setCurrentRow(std::max(0, int(session_->labels().indexOf(keep))));
    adapt_->setEnabled(!session_->isAdapting() && session_->totalTakes() > 0);
    showPrompt();
}

void PersonalizeTab::showPrompt()
{
    const QString label = currentLabel();
    const int n = int(session_->takes(label).size());
    act_->setText(tr("Act: %1  (take %2 of %3)")
                      .arg(labelTitle(label))
                      .arg(std::min(n + 1, PersonalizeSession::kTakesPerLabel))
                      .arg(PersonalizeSession::kTakesPerLabel));
    sentence_->setText(QStringLiteral("“%1”").arg(PersonalizeSession::sentence(label)));
    play_->setEnabled(n > 0);
    redo_->setEnabled(n > 0);
}

void PersonalizeTab::toggleRecord()
{
    if (session_->recorder()->isRecording()) {
        session_->stopRecording();
        return;
    }
    say({}, false);
    session_->startRecording(currentLabel(), QMediaDevices::defaultAudioInput());
}

void PersonalizeTab::playTake()
{
    const QStringList takes = session_->takes(currentLabel());
    if (takes.isEmpty())
        return;
    try {
        player_->setAudio(emoscope::loadAudio(engine::toCore(takes.last())));
        player_->play();
    } catch (...) {
        say(tr("Cannot play %1: %2").arg(takes.last(), engine::currentExceptionText()), true);
    }
}

// Redo: the last take of this emotion goes, and a new one starts right away.
void PersonalizeTab::redoTake()
{
    const QStringList takes = session_->takes(currentLabel());
    if (takes.isEmpty() || session_->recorder()->isRecording())
        return;
    QString error;
    if (!session_->deleteTake(takes.last(), &error)) {
        say(error, true);
        return;
    }
    toggleRecord();
}

void PersonalizeTab::skipLabel()
{
    const QString label = currentLabel();
    session_->skip(label);
    refreshTakes();
    const QString next = session_->nextLabel(label);
    if (!next.isEmpty())
        selectLabel(next);
}

void PersonalizeTab::onAdaptFinished(bool cancelled, const QString& error)
{
    adapt_->setEnabled(session_->totalTakes() > 0);
    cancel_->setEnabled(false);
    progress_->setRange(0, 1);
    progress_->setValue(cancelled || !error.isEmpty() ? 0 : 1);
    progress_->setFormat(QStringLiteral("%p%"));
    if (!error.isEmpty()) {
        say(error, true);
        return;
    }
    if (cancelled) {
        say(tr("Adaptation cancelled: no personal model was made"), false);
        before_->clear();
        after_->clear();
        card_->clear();
        return;
    }
    const auto& r = session_->result();
    QStringList labels;
    for (const auto& l : r.before.labels)
        labels << QString::fromStdString(l);
    before_->setMatrix(labels, toQt(r.before.confusion));
    after_->setMatrix(labels, toQt(r.after.confusion));
    beforeTitle_->setText(tr("Before (base model): %1% right on %2 held-back takes")
                              .arg(qRound(100 * r.before.accuracy))
                              .arg(r.heldBackTakes));
    afterTitle_->setText(tr("After (personal model): %1% right on %2 held-back takes")
                             .arg(qRound(100 * r.after.accuracy))
                             .arg(r.heldBackTakes));
    card_->setPlainText(session_->cardSummary());
    use_->setEnabled(true);
    save_->setEnabled(true);
    say(tr("Adapted on %1 takes in %2 s").arg(r.trainTakes).arg(r.seconds, 0, 'f', 1), false);
}

void PersonalizeTab::saveAs()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save the personal model"),
                                                      session_->personalModelPath(), tr("Models (*.pt)"));
    if (!path.isEmpty())
        session_->saveAs(path);
}
