// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QWidget>

class AudioPlayer;
class ConfusionMatrixView;
class CurrentModel;
class InlineMessage;
class LevelMeter;
class PersonalizeSession;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

// The "Personalize" tab (issue 14): record a few takes per emotion, adapt, compare base and personal model on the
// held-back takes, use the personal model. Draws and forwards; the flow lives in PersonalizeSession.
class PersonalizeTab : public QWidget {
    Q_OBJECT
public:
    explicit PersonalizeTab(CurrentModel* model, QWidget* parent = nullptr);

    PersonalizeSession* session() const { return session_; }
    QString currentLabel() const;
    void selectLabel(const QString& label);

    // For tests and screenshots.
    ConfusionMatrixView* beforeView() const { return before_; }
    ConfusionMatrixView* afterView() const { return after_; }
    QLabel* beforeTitle() const { return beforeTitle_; }
    QLabel* afterTitle() const { return afterTitle_; }
    QPlainTextEdit* cardView() const { return card_; }
    QPushButton* adaptButton() const { return adapt_; }
    QPushButton* cancelButton() const { return cancel_; }
    QPushButton* useButton() const { return use_; }
    QPushButton* backButton() const { return back_; }
    QProgressBar* progressBar() const { return progress_; }
    QString messageText() const { return lastMessage_; }

Q_SIGNALS:
    void statusMessage(const QString& text);

private:
    void openFolder();
    void refreshTakes();
    void showPrompt();
    void toggleRecord();
    void playTake();
    void redoTake();
    void skipLabel();
    void onAdaptFinished(bool cancelled, const QString& error);
    void saveAs();
    void say(const QString& text, bool isError);

    CurrentModel* model_;
    PersonalizeSession* session_;
    AudioPlayer* player_;
    QLineEdit* name_;
    QLabel* folderLabel_;
    QListWidget* emotions_;
    QLabel* act_;
    QLabel* sentence_;
    LevelMeter* meter_;
    QPushButton* record_;
    QPushButton* play_;
    QPushButton* redo_;
    QPushButton* skip_;
    QPushButton* adapt_;
    QPushButton* cancel_;
    QProgressBar* progress_;
    QLabel* beforeTitle_;
    QLabel* afterTitle_;
    ConfusionMatrixView* before_;
    ConfusionMatrixView* after_;
    QPlainTextEdit* card_;
    QPushButton* use_;
    QPushButton* save_;
    QPushButton* back_;
    InlineMessage* message_;
    QString lastMessage_;
};
