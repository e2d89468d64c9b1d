// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/Async.h"

#include <exception>
#include <new>

namespace engine {

QString currentExceptionText()
{
    try {
        throw;
    } catch (const std::bad_alloc&) {
        return QObject::tr("out of memory");
    } catch (const std::exception& e) {
        return fromCore(e.what());
    } catch (...) {
        return QObject::tr("unknown error");
    }
}

void waitForJobs(QObject* receiver)
{
    for (auto* watcher : receiver->findChildren<QFutureWatcherBase*>(Qt::FindDirectChildrenOnly))
        watcher->waitForFinished();
}

} // namespace engine
