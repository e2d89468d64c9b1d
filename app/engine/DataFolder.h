// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>

namespace engine {

// The one rule for where the app keeps its own files (recovered takes, personal takes):
// <GenericDataLocation>/<application name>/<sub>, i.e. ~/.local/share/Emoscope/<sub>. AppDataLocation would add the
// organisation name too, and main() sets both to "Emoscope" (QSettings keeps using them: ~/.config/Emoscope/).
// Earlier versions used AppDataLocation (~/.local/share/Emoscope/Emoscope/<sub>): when only that folder exists it
// is moved to the new place (a rename, instant on one file system); if the move fails the old folder is returned,
// so existing files are always found. Falls back to a temporary folder when there is no writable data location.
QString dataFolder(const QString& sub);

} // namespace engine
