// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 9: the app restarts itself once to set OMP_WAIT_POLICY before libgomp loads. Through
// "/proc/self/exe" that made ps and top show it as "exe"; it must keep its own name (and its argv[0]),
// and the restarted process must have the policy set.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {
QString guiBinary()
{
    // The GUI is built beside the CLI (build/app/).
    return QFileInfo(qEnvironmentVariable("EMOSCOPE_CLI")).absolutePath() + QStringLiteral("/emoscope");
}
QByteArray readProc(qint64 pid, const char* what)
{
    QFile f(QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1String(what)));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class TestProcessName : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void keepsItsNameAfterTheRestart()
    {
        const QString exe = guiBinary();
        QVERIFY2(QFileInfo(exe).isExecutable(), qPrintable(exe + QStringLiteral(" is not built")));
        QTemporaryDir home;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("OMP_WAIT_POLICY"));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("HOME"), home.path()); // its settings and recovery folder, not the user's
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("PULSE_SERVER"), QStringLiteral("unix:/nonexistent/emoscope-test-no-pulse"));
        QProcess app;
        app.setProcessEnvironment(env);
        app.setProcessChannelMode(QProcess::ForwardedChannels);
        app.start(exe, {});
        QVERIFY(app.waitForStarted(10000));
        const qint64 pid = app.processId();
        // The restart is the first thing main() does; wait until the new image runs (its environ has the policy).
        QElapsedTimer wait;
        wait.start();
        while (!readProc(pid, "environ").contains("OMP_WAIT_POLICY=PASSIVE") && wait.elapsed() < 10000)
            QTest::qWait(50);
        const QByteArray comm = readProc(pid, "comm").trimmed();
        const QByteArray cmdline = readProc(pid, "cmdline");
        const QByteArray environ = readProc(pid, "environ");
        app.kill();
        app.waitForFinished(5000);
        QVERIFY2(environ.contains("OMP_WAIT_POLICY=PASSIVE"), "the restarted process has no OMP_WAIT_POLICY");
        QCOMPARE(comm, QByteArray("emoscope"));
        QCOMPARE(cmdline.left(cmdline.indexOf('\0')), QFile::encodeName(exe)); // argv[0] as given
    }
};

QTEST_GUILESS_MAIN(TestProcessName)
#include "test_process_name.moc"
