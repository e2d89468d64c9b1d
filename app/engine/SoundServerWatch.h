// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Keeps Qt Multimedia connected to a PulseAudio (or pipewire-pulse) sound server that goes away and comes back.
//
// Why: Qt 6.4's PulseAudio backend (private QPulseAudioEngine objects) tries to reconnect once, 3 s after it loses
// the server, and never again when that try finds no server; a server that starts after the app is never seen
// either. Without this a user whose server restarted slowly (or started late) cannot record until Emoscope restarts.
//
// How: Qt 6.4 has two engines, each with its own connection: one behind the device lists (made when QMediaDevices
// is first used) and a shared one behind every audio stream (made when the first stream opens). The watch finds
// both while Qt creates them, through Qt's object-creation hooks (the ones GammaRay uses): install() makes the
// first, and opening and closing a silent playback stream makes the second. It then listens to their signals.
// Once an engine has reported the loss (contextFailed) and Qt's own retry has had its chance, or when no server
// answered at start-up, the watch asks that engine to connect again (its prepare() slot), at growing intervals
// (2 s to 15 s), until the engine reports devices again.
//
// Qt 6.4 also says nothing when a device is plugged in or out (QMediaDevices::audioInputsChanged is not emitted
// although QMediaDevices::audioInputs() changes), so the watch compares the device lists once a second and says
// when they changed (audioInputsChanged / audioOutputsChanged). That part works with every backend.
//
// Contract:
// - install() runs on the GUI thread before anything in the process uses QMediaDevices, QAudioSource or
//   QAudioSink; later calls return the first result. Everything else runs on the GUI thread through signals.
// - Fail-safe: with another backend (ALSA), or a Qt whose engine has another shape (no QPulseAudioEngine with a
//   prepare() slot and contextFailed/audioInputsChanged/audioOutputsChanged signals), install() returns false
//   and the watch only follows the device lists: Qt's own single retry is all there is, as before.
// - A try with no server costs one failed local-socket connect on the GUI thread (Qt's own start-up does the same).
// - While Qt's own retries still run (a server whose socket answers but which fails the handshake), a try of the
//   watch and one of Qt's can both succeed: that engine then holds one extra connection. Not seen in practice.
// - A server with no device at all (no sink, no source) cannot be told from no server: the watch would keep
//   connecting to it. PulseAudio and PipeWire always provide a sink.
#include <QObject>
#include <QPointer>
#include <functional>
#include <vector>

class QTimer;

class SoundServerWatch : public QObject {
    Q_OBJECT
public:
    // Starts the process-wide watch (a child of the QCoreApplication) and finds Qt's PulseAudio engines.
    // True when Qt's device-list engine was found and is watched.
    static bool install();
    // The watch install() started, or null (no install(), or no QCoreApplication).
    static SoundServerWatch* instance();
    // The one way to hear that the input device list changed: calls onChange on receiver's thread while receiver
    // lives. Through the watch when installed (it also relays QMediaDevices' own signal, once per real change),
    // else through a QMediaDevices owned by receiver.
    static void connectAudioInputsChanged(QObject* receiver, const std::function<void()>& onChange);

    // True while an engine is cut off from the server and the watch is trying to reach it again.
    bool isReconnecting() const;
    // Engines watched: 2 once the first audio stream of the process was opened, else 1.
    int engineCount() const { return int(engines_.size()); }
    // Tries the watch made since the server was last lost (0 when Qt's own retry reached it).
    int attempts() const { return attempts_; }

Q_SIGNALS:
    // Every engine reported devices again after a loss (or after a start-up with no server).
    void reconnected();
    // The input (or output) device list or its default changed: a device plugged in or out, a server come or gone.
    void audioInputsChanged();
    void audioOutputsChanged();

private Q_SLOTS:
    void onContextFailed();
    void onDevicesReported();

private:
    struct Engine {
        QPointer<QObject> object;
        bool connected;
    };

    SoundServerWatch(QObject* engine, bool connected, QObject* parent);
    void watch(QObject* engine, bool connected);
    void compareDeviceLists();
    void catchStreamEngine();
    void tryAgain();
    Engine* find(QObject* engine);

    std::vector<Engine> engines_;
    QTimer* retry_;
    QTimer* listPoll_;
    QList<QByteArray> inputs_;  // ids, the default first
    QList<QByteArray> outputs_; // ids, the default first
    int attempts_ = 0;
    bool streamEngineSought_ = false;
};
