// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/SoundServerWatch.h"

#include <QAudioDevice>
#include <QAudioFormat>
#include <QAudioSink>
#include <QCoreApplication>
#include <QMediaDevices>
#include <QMetaMethod>
#include <QTimer>
#include <algorithm>
#include <atomic>
#include <thread>

// Qt's object-creation hooks (QtCore/private/qhooks_p.h, stable since Qt 5.4 and what GammaRay uses). The private
// header is not packaged in Debian, so the indices and the array are declared here.
QT_BEGIN_NAMESPACE
extern quintptr Q_CORE_EXPORT qtHookData[];
QT_END_NAMESPACE

namespace {
constexpr int kHookDataSize = 1;
constexpr int kAddQObject = 3;
constexpr int kRemoveQObject = 4;
using ObjectHook = void (*)(QObject*);

// Objects created on the catching thread while an ObjectCatch is alive (a handful: Qt's audio backend). The hooks
// run on every thread that makes a QObject meanwhile: they read these two, and only the catching thread records.
std::atomic<std::vector<QObject*>*> g_created{nullptr};
std::atomic<std::thread::id> g_catchThread;
ObjectHook g_previousAdd = nullptr;
ObjectHook g_previousRemove = nullptr;

void onObjectAdded(QObject* object)
{
    if (std::this_thread::get_id() == g_catchThread.load())
        if (std::vector<QObject*>* created = g_created.load())
            created->push_back(object);
    if (g_previousAdd)
        g_previousAdd(object);
}

void onObjectRemoved(QObject* object)
{
    if (std::this_thread::get_id() == g_catchThread.load())
        if (std::vector<QObject*>* created = g_created.load())
            created->erase(std::remove(created->begin(), created->end(), object), created->end());
    if (g_previousRemove)
        g_previousRemove(object);
}

bool hasMethod(const QMetaObject* meta, const char* signature, QMetaMethod::MethodType type)
{
    const int index = meta->indexOfMethod(signature);
    return index >= 0 && meta->method(index).methodType() == type;
}

// Qt's PulseAudio engine, recognised by its class name and the members the watch uses.
bool isPulseEngine(QObject* object)
{
    const QMetaObject* meta = object->metaObject();
    return qstrcmp(meta->className(), "QPulseAudioEngine") == 0 && hasMethod(meta, "prepare()", QMetaMethod::Slot)
        && hasMethod(meta, "contextFailed()", QMetaMethod::Signal)
        && hasMethod(meta, "audioInputsChanged()", QMetaMethod::Signal)
        && hasMethod(meta, "audioOutputsChanged()", QMetaMethod::Signal);
}

// Records the QObjects this thread creates while it lives; engines() then names the PulseAudio engines among them.
class ObjectCatch {
public:
    ObjectCatch()
    {
        active_ = !g_created.load() && qtHookData[kHookDataSize] > kRemoveQObject;
        if (!active_)
            return;
        g_catchThread = std::this_thread::get_id();
        g_created = &created_;
        g_previousAdd = reinterpret_cast<ObjectHook>(qtHookData[kAddQObject]);
        g_previousRemove = reinterpret_cast<ObjectHook>(qtHookData[kRemoveQObject]);
        qtHookData[kAddQObject] = reinterpret_cast<quintptr>(&onObjectAdded);
        qtHookData[kRemoveQObject] = reinterpret_cast<quintptr>(&onObjectRemoved);
    }
    ~ObjectCatch() { stop(); }
    ObjectCatch(const ObjectCatch&) = delete;
    ObjectCatch& operator=(const ObjectCatch&) = delete;

    // Stops recording; the objects still alive are fully constructed, so their meta-objects name their classes.
    std::vector<QObject*> engines()
    {
        stop();
        std::vector<QObject*> found;
        for (QObject* object : created_)
            if (isPulseEngine(object))
                found.push_back(object);
        return found;
    }

private:
    void stop()
    {
        if (!active_)
            return;
        active_ = false;
        qtHookData[kAddQObject] = reinterpret_cast<quintptr>(g_previousAdd);
        qtHookData[kRemoveQObject] = reinterpret_cast<quintptr>(g_previousRemove);
        g_created = nullptr;
    }

    bool active_ = false;
    std::vector<QObject*> created_;
};

SoundServerWatch* g_watch = nullptr;
bool g_installed = false;

// Qt tries again itself 3 s after a loss: the first try of ours comes after that one had its chance.
constexpr int kFirstTryAfterLossMs = 6000;
constexpr int kFirstTryAtStartMs = 2000;
constexpr int kLongestIntervalMs = 15000;

bool hasDevices()
{
    return !QMediaDevices::audioInputs().isEmpty() || !QMediaDevices::audioOutputs().isEmpty();
}

// Device ids, the default first: a change of either the list or the default counts.
QList<QByteArray> deviceIds(const QList<QAudioDevice>& devices, const QAudioDevice& preferred)
{
    QList<QByteArray> ids{preferred.id()};
    for (const QAudioDevice& d : devices)
        ids.append(d.id());
    return ids;
}

QList<QByteArray> inputIds()
{
    return deviceIds(QMediaDevices::audioInputs(), QMediaDevices::defaultAudioInput());
}

QList<QByteArray> outputIds()
{
    return deviceIds(QMediaDevices::audioOutputs(), QMediaDevices::defaultAudioOutput());
}

constexpr int kListPollMs = 1000;
} // namespace

bool SoundServerWatch::install()
{
    if (g_installed)
        return g_watch != nullptr;
    g_installed = true;
    if (!QCoreApplication::instance())
        return false;
    ObjectCatch caught;
    (void)QMediaDevices::audioInputs(); // creates Qt's media backend, and with PulseAudio its device-list engine
    const std::vector<QObject*> engines = caught.engines();
    // A server that answered has at least one device (PulseAudio and PipeWire always provide a sink).
    g_watch = new SoundServerWatch(engines.empty() ? nullptr : engines.front(), hasDevices(),
                                   QCoreApplication::instance());
    return !engines.empty();
}

SoundServerWatch* SoundServerWatch::instance()
{
    return g_watch;
}

void SoundServerWatch::connectAudioInputsChanged(QObject* receiver, const std::function<void()>& onChange)
{
    if (g_watch) {
        connect(g_watch, &SoundServerWatch::audioInputsChanged, receiver, onChange);
        return;
    }
    connect(new QMediaDevices(receiver), &QMediaDevices::audioInputsChanged, receiver, onChange);
}

SoundServerWatch::SoundServerWatch(QObject* engine, bool connected, QObject* parent)
    : QObject(parent), retry_(new QTimer(this)), listPoll_(new QTimer(this)), inputs_(inputIds()),
      outputs_(outputIds())
{
    listPoll_->setInterval(kListPollMs);
    connect(listPoll_, &QTimer::timeout, this, &SoundServerWatch::compareDeviceLists);
    listPoll_->start();
    // A backend that does say when its lists change is heard at once; the comparison keeps one signal per change.
    auto* devices = new QMediaDevices(this);
    connect(devices, &QMediaDevices::audioInputsChanged, this, &SoundServerWatch::compareDeviceLists);
    connect(devices, &QMediaDevices::audioOutputsChanged, this, &SoundServerWatch::compareDeviceLists);
    retry_->setSingleShot(true);
    connect(retry_, &QTimer::timeout, this, &SoundServerWatch::tryAgain);
    if (!engine)
        return; // another backend: the lists are followed, nothing is reconnected
    watch(engine, connected);
    if (connected)
        catchStreamEngine();
    else
        retry_->start(kFirstTryAtStartMs);
}

void SoundServerWatch::watch(QObject* engine, bool connected)
{
    engines_.push_back({engine, connected});
    // The engine emits from its own PulseAudio thread (device lists) or the GUI thread (the loss): queue both.
    connect(engine, SIGNAL(contextFailed()), this, SLOT(onContextFailed()), Qt::QueuedConnection);
    connect(engine, SIGNAL(audioInputsChanged()), this, SLOT(onDevicesReported()), Qt::QueuedConnection);
    connect(engine, SIGNAL(audioOutputsChanged()), this, SLOT(onDevicesReported()), Qt::QueuedConnection);
}

void SoundServerWatch::compareDeviceLists()
{
    QList<QByteArray> inputs = inputIds();
    QList<QByteArray> outputs = outputIds();
    const bool inputsChanged = inputs != inputs_;
    const bool outputsChanged = outputs != outputs_;
    inputs_ = std::move(inputs);
    outputs_ = std::move(outputs);
    if (inputsChanged)
        Q_EMIT audioInputsChanged();
    if (outputsChanged)
        Q_EMIT audioOutputsChanged();
}

// Qt makes the engine behind streams when the first stream opens: open (and close at once) a silent playback
// stream while watching, so that engine is known before a loss. Nothing is played.
void SoundServerWatch::catchStreamEngine()
{
    if (streamEngineSought_)
        return;
    const QAudioDevice output = QMediaDevices::defaultAudioOutput();
    if (output.isNull())
        return; // tried again once the server reports devices
    streamEngineSought_ = true;
    ObjectCatch caught;
    QAudioSink sink(output, output.preferredFormat());
    sink.start();
    sink.stop();
    for (QObject* engine : caught.engines())
        if (!find(engine))
            watch(engine, true);
}

SoundServerWatch::Engine* SoundServerWatch::find(QObject* engine)
{
    for (Engine& e : engines_)
        if (e.object == engine)
            return &e;
    return nullptr;
}

bool SoundServerWatch::isReconnecting() const
{
    return std::any_of(engines_.begin(), engines_.end(), [](const Engine& e) { return e.object && !e.connected; });
}

void SoundServerWatch::onContextFailed()
{
    Engine* engine = find(sender());
    if (!engine)
        return;
    engine->connected = false;
    attempts_ = 0;
    retry_->start(kFirstTryAfterLossMs);
}

void SoundServerWatch::onDevicesReported()
{
    Engine* engine = find(sender());
    if (!engine || engine->connected)
        return;
    engine->connected = true;
    catchStreamEngine();
    if (!isReconnecting()) {
        retry_->stop();
        Q_EMIT reconnected();
    }
}

void SoundServerWatch::tryAgain()
{
    if (!isReconnecting())
        return;
    ++attempts_;
    // Connects and reads the device lists, or fails at once when no server listens. Called only for an engine
    // that is cut off (its prepare() is not meant for a connected engine); a success is reported through the
    // queued device signals on a later turn, which stop the timer.
    for (Engine& e : engines_)
        if (e.object && !e.connected)
            QMetaObject::invokeMethod(e.object, "prepare", Qt::DirectConnection);
    retry_->start(std::min(kLongestIntervalMs, kFirstTryAtStartMs * (1 << std::min(attempts_, 3))));
}
