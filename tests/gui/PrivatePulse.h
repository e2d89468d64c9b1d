// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A private PulseAudio server for GUI tests (test_pulse_capture and the device-loss tests share it):
// its own socket, runtime dir and HOME in a temporary folder, a FIFO source (module-pipe-source,
// s16le 22,050 Hz mono) and a null sink. It can be killed and started again on the same socket, which is
// what a sound-server restart looks like to Qt Multimedia. Works as root (per-user style with -n).
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class PrivatePulse {
public:
    explicit PrivatePulse(const QString& folder) : folder_(folder) {}
    ~PrivatePulse() { stop(); }

    QString fifo() const { return folder_ + QStringLiteral("/fifo"); }
    QString log() const { return folder_ + QStringLiteral("/pulseaudio.log"); }

    // Points this process (and so libpulse inside Qt) at the private server. Call before QMediaDevices is used.
    void exportEnvironment()
    {
        const QString home = folder_ + QStringLiteral("/home");
        const QString runtime = folder_ + QStringLiteral("/runtime");
        QDir().mkpath(home);
        QDir().mkpath(runtime);
        QFile::setPermissions(runtime, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        qputenv("HOME", home.toLocal8Bit());
        qputenv("XDG_RUNTIME_DIR", runtime.toLocal8Bit());
        qputenv("PULSE_RUNTIME_PATH", runtime.toLocal8Bit());
        qputenv("PULSE_STATE_PATH", (folder_ + QStringLiteral("/state")).toLocal8Bit());
        qputenv("PULSE_SERVER", QByteArray("unix:") + socket().toLocal8Bit());
        qunsetenv("PULSE_SINK");
        qunsetenv("PULSE_SOURCE");
    }

    // Starts the server and waits until it answers; false (see log()) when it does not come up.
    bool start()
    {
        QFile::remove(socket());
        QFile::remove(fifo());
        server_.setProcessChannelMode(QProcess::MergedChannels);
        server_.setStandardOutputFile(log(), QIODevice::Append);
        server_.start(QStringLiteral("pulseaudio"),
                      {QStringLiteral("--daemonize=no"), QStringLiteral("--exit-idle-time=-1"), QStringLiteral("-n"),
                       QStringLiteral("--use-pid-file=no"), QStringLiteral("--disallow-exit"),
                       QStringLiteral("--disable-shm=yes"), QStringLiteral("--log-target=stderr"),
                       QStringLiteral("--load=module-native-protocol-unix socket=%1 auth-anonymous=1").arg(socket()),
                       QStringLiteral("--load=module-pipe-source source_name=fifo_in file=%1 format=s16le rate=22050 "
                                      "channels=1")
                           .arg(fifo()),
                       QStringLiteral("--load=module-null-sink sink_name=null_out")});
        if (!server_.waitForStarted(10000))
            return false;
        QElapsedTimer wait;
        wait.start();
        while (!pactl({QStringLiteral("info")}) && wait.elapsed() < 15000)
            QTest::qWait(200);
        return pactl({QStringLiteral("set-default-source"), QStringLiteral("fifo_in")})
            && pactl({QStringLiteral("set-default-sink"), QStringLiteral("null_out")});
    }

    // What a crash or an unplugged device looks like: no goodbye to the clients.
    void kill()
    {
        if (server_.state() == QProcess::NotRunning)
            return;
        server_.kill();
        server_.waitForFinished(5000);
    }

    void stop()
    {
        if (server_.state() == QProcess::NotRunning)
            return;
        server_.terminate();
        if (!server_.waitForFinished(5000))
            kill();
    }

    bool pactl(const QStringList& args, QString* out = nullptr) const
    {
        QProcess p;
        p.start(QStringLiteral("pactl"), args);
        if (!p.waitForFinished(10000))
            return false;
        if (out)
            *out = QString::fromLocal8Bit(p.readAllStandardOutput());
        return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    }

private:
    QString socket() const { return folder_ + QStringLiteral("/native"); }

    QString folder_;
    QProcess server_;
};
