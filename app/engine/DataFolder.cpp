// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/DataFolder.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace engine {

QString dataFolder(const QString& sub)
{
    const QString generic = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    if (generic.isEmpty())
        return QDir::tempPath() + QStringLiteral("/emoscope/") + sub;
    const QString folder = generic + QLatin1Char('/') + QCoreApplication::applicationName() + QLatin1Char('/') + sub;
    const QString legacyBase = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (legacyBase.isEmpty())
        return folder;
    const QString legacy = legacyBase + QLatin1Char('/') + sub;
    if (QDir::cleanPath(legacy) == QDir::cleanPath(folder) || QFileInfo::exists(folder) || !QFileInfo(legacy).isDir())
        return folder;
    // Only the old folder exists: move it, keeping what it holds; on failure keep using it where it is.
    if (QDir().mkpath(QFileInfo(folder).absolutePath()) && QDir().rename(legacy, folder))
        return folder;
    return legacy;
}

} // namespace engine
