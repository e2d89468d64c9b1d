// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <QElapsedTimer>
#include <QFile>
#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>
#include <atomic>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

// The engine's one way of running work off the GUI thread, its one progress throttle and its one rule for
// text that crosses between Qt and core.
namespace engine {

// Paths go to core as the file system's bytes (QFile::encodeName); whatever core says back (paths, exception
// messages that name them) is decoded with the inverse, so a non-ASCII path survives the round trip.
inline std::string toCore(const QString& path) { return QFile::encodeName(path).toStdString(); }
inline QString fromCore(const std::string& text) { return QFile::decodeName(QByteArray::fromStdString(text)); }

// The message of the exception being handled, by the rule above (call it inside a catch block).
QString currentExceptionText();

// What a job ends with: its value, or why it failed.
template <typename T>
struct Outcome {
    T value{};
    QString error; // empty on success
    bool ok() const { return error.isEmpty(); }
};

// A job's cancel flag, shared by the job and whoever may cancel it.
using CancelFlag = std::shared_ptr<std::atomic<bool>>;
inline CancelFlag newCancelFlag() { return std::make_shared<std::atomic<bool>>(false); }

// Runs work() on `pool` (Qt's global pool when null) and calls deliver(Outcome) on the receiver's thread. An
// exception thrown by work becomes Outcome::error; nothing is delivered once the receiver is destroyed (the
// watcher is its child). Work must own what it uses, or the receiver must wait for it (waitForJobs).
template <typename Work, typename Deliver>
void runJob(QObject* receiver, Work work, Deliver deliver, QThreadPool* pool = nullptr)
{
    using Value = std::invoke_result_t<Work&>;
    using Result = Outcome<Value>;
    auto* watcher = new QFutureWatcher<Result>(receiver);
    QObject::connect(watcher, &QFutureWatcherBase::finished, receiver,
                     [watcher, deliver = std::move(deliver)]() mutable {
                         watcher->deleteLater();
                         deliver(watcher->result());
                     });
    auto task = [work = std::move(work)]() mutable -> Result {
        Result r;
        try {
            r.value = work();
        } catch (...) {
            r.error = currentExceptionText();
        }
        return r;
    };
    watcher->setFuture(QtConcurrent::run(pool ? pool : QThreadPool::globalInstance(), std::move(task)));
}

// Blocks until every job started with runJob(receiver, ...) has finished (for destructors).
void waitForJobs(QObject* receiver);

// Lets through at most one progress report per interval, plus every final one. Thread-safe, so reports
// from several worker threads share one budget.
class ProgressThrottle {
public:
    explicit ProgressThrottle(int intervalMs = 100) : intervalMs_(intervalMs) { clock_.start(); }
    // True when this report should be sent.
    bool admit(bool final = false)
    {
        const qint64 now = clock_.elapsed();
        qint64 last = lastMs_.load();
        if (final) {
            lastMs_.store(now);
            return true;
        }
        return now - last >= intervalMs_ && lastMs_.compare_exchange_strong(last, now);
    }

private:
    const int intervalMs_;
    QElapsedTimer clock_;
    std::atomic<qint64> lastMs_{-(qint64(1) << 40)}; // the first report always passes
};

} // namespace engine
