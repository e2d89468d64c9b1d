// SPDX-License-Identifier: GPL-3.0-or-later
// Where tests find shared data, the CLI and the source tree. Header-only, Qt-only (no core dependency).
#pragma once
#include <QDir>
#include <QProcessEnvironment>
#include <QString>
#include <QTest>

namespace testdata {

// ../shared (override with EMOSCOPE_SHARED_DIR). Data is always present in CI: a missing folder fails.
inline QString sharedDir()
{
    const QString env = qEnvironmentVariable("EMOSCOPE_SHARED_DIR");
    return QDir::cleanPath(env.isEmpty() ? QStringLiteral("../shared") : env);
}
// TESS folder (override with EMOSCOPE_TESS_DIR).
inline QString tessDir()
{
    const QString env = qEnvironmentVariable("EMOSCOPE_TESS_DIR");
    return env.isEmpty() ? sharedDir() + QStringLiteral("/data/tess") : env;
}
// RAVDESS folder (override with EMOSCOPE_RAVDESS_DIR).
inline QString ravdessDir()
{
    const QString env = qEnvironmentVariable("EMOSCOPE_RAVDESS_DIR");
    return env.isEmpty() ? sharedDir() + QStringLiteral("/data/ravdess") : env;
}
inline QString goldenDir() { return sharedDir() + QStringLiteral("/golden"); }
inline QString cliPath() { return qEnvironmentVariable("EMOSCOPE_CLI"); }
inline QString sourceDir() { return qEnvironmentVariable("EMOSCOPE_SOURCE_DIR"); }
inline QString bundledModel() { return sourceDir() + QStringLiteral("/models/emoscope.pt"); }

} // namespace testdata
