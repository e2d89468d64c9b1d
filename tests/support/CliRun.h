// SPDX-License-Identifier: GPL-3.0-or-later
// Runs the emoscope-cli under test (EMOSCOPE_CLI) and keeps its exit code and output.
#pragma once
#include "TestData.h"
#include <QProcess>
#include <QStringList>

namespace testdata {

struct CliRun {
    int exitCode = -1; // -1: did not finish in time, or crashed
    QByteArray out, err;
};

inline CliRun runCli(const QStringList& args, int timeoutMs = 600000)
{
    QProcess p;
    p.start(cliPath(), args);
    CliRun r;
    if (!p.waitForFinished(timeoutMs)) return r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace testdata
