// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QAudioFormat>
#include <QByteArray>
#include <QObject>
#include <QString>

class QAudioSink;
class QBuffer;

// Plays one clip at a time from memory: the file is decoded and converted to the output device's
// format on a worker thread, then streamed through a QAudioSink. Lives on the GUI thread.
class EvaluationClipPlayer : public QObject {
    Q_OBJECT
public:
    explicit EvaluationClipPlayer(QObject* parent = nullptr);
    ~EvaluationClipPlayer() override;

    // Stops whatever plays and starts file (asynchronously); playing the playing file again stops it.
    void play(const QString& file);
    void stop();
    QString currentFile() const { return file_; }

Q_SIGNALS:
    void started(const QString& file);
    void stopped(const QString& file);
    void failed(const QString& file, const QString& message);

private:
    void startSink(const QString& file, const QAudioFormat& format, const QByteArray& pcm);

    QString file_;
    int request_ = 0; // id of the latest play(); older decodes are dropped
    QAudioSink* sink_ = nullptr;
    QBuffer* buffer_ = nullptr;
    QByteArray pcm_;
};
