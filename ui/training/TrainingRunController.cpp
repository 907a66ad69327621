#include "ui/training/TrainingRunController.h"


#include <QDateTime>
#include <QDir>
#include <QPointer>
#include <QRegularExpression>
#include <QStandardPaths>

#include <mutex>

namespace sonolab::ui {

// State the GUI thread and the worker share; everything behind the mutex is touched briefly by both.
struct TrainingRunController::Shared {
    std::mutex mutex;
    ml::Trainer* trainer = nullptr;  // valid while the worker is inside run()
    bool stop = false;
    bool pause = false;
    CancelToken cancel;
    std::vector<ml::BatchReport> pendingBatches;
    bool deliveryPosted = false;
};

class TrainingRunController::Observer : public ml::TrainingObserver {
public:
    Observer(TrainingRunController* owner, std::shared_ptr<Shared> shared) : owner_(owner), shared_(std::move(shared)) {}

    void onBatch(const ml::BatchReport& report) override {
        bool post = false;
        {
            std::lock_guard lock(shared_->mutex);
            shared_->pendingBatches.push_back(report);
            post = !std::exchange(shared_->deliveryPosted, true);
        }
        if (post) QMetaObject::invokeMethod(owner_, [o = owner_] { o->deliverBatches(); }, Qt::QueuedConnection);
    }

    void onEpoch(const ml::EpochReport& report) override {
        // Batches of the epoch go out first so the charts see them in order.
        QMetaObject::invokeMethod(owner_, [o = owner_, report] {
            o->deliverBatches();
            emit o->epochReported(report);
        }, Qt::QueuedConnection);
    }

    void onStateChanged(ml::TrainingState state, const std::string& message) override {
        if (state == ml::TrainingState::Finished || state == ml::TrainingState::Stopped ||
            state == ml::TrainingState::Failed) {
            // run() is about to return and the job will destroy its Trainer: pause/stop must not reach it any more.
            std::lock_guard lock(shared_->mutex);
            shared_->trainer = nullptr;
        }
        QMetaObject::invokeMethod(owner_, [o = owner_, state, m = QString::fromStdString(message)] {
            o->deliverBatches();
            o->setStateFromWorker(state, m);
        }, Qt::QueuedConnection);
    }

private:
    TrainingRunController* owner_;
    std::shared_ptr<Shared> shared_;
};

TrainingRunController::TrainingRunController(QObject* parent) : QObject(parent) {
    qRegisterMetaType<ml::BatchReport>();
    qRegisterMetaType<ml::EpochReport>();
    qRegisterMetaType<ml::TrainingState>();
    qRegisterMetaType<ml::ClassificationReport>();
    qRegisterMetaType<Evaluation>();
    qRegisterMetaType<RunSettings>();
    runsFolder_ = (QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/runs"))
                      .toStdString();
}

TrainingRunController::~TrainingRunController() {
    stop();
    joinWorker();
}

void TrainingRunController::setJob(RunJob job) { job_ = std::move(job); }
void TrainingRunController::setPreparer(DataPreparer preparer) { job_ = datasetRunJob(std::move(preparer)); }
void TrainingRunController::setRunsFolder(const std::filesystem::path& folder) { runsFolder_ = folder; }

bool TrainingRunController::start(const RunSettings& requested) {
    if (active_) {
        lastError_ = tr("A run is already active: stop it first.");
        return false;
    }
    if (!job_) {
        lastError_ = tr("No data source is connected to the dashboard.");
        return false;
    }
    joinWorker();  // a finished worker may not have been joined yet
    RunSettings settings = requested;
    try {
        (void)TaskSpec::parse(settings.task.toStdString());
        (void)ml::ModelSpec::parse(settings.model.toStdString());
    } catch (const std::exception& e) {
        lastError_ = QString::fromUtf8(e.what());
        return false;
    }
    if (settings.config.runDir.empty()) {
        QString safe = settings.name;
        safe.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]+")), QStringLiteral("_"));
        const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
        settings.config.runDir = runsFolder_ / (stamp + '-' + safe).toStdString();
    }
    settings_ = settings;
    shared_ = std::make_shared<Shared>();
    shared_->pause = pauseRequested_ = false;
    active_ = true;
    lastError_.clear();
    state_ = ml::TrainingState::Preparing;
    emit started(settings_);
    emit stateChanged(state_, tr("preparing data"));
    worker_ = std::thread([this, settings] { work(settings); });
    return true;
}

void TrainingRunController::pause() {
    if (!active_ || !shared_) return;
    std::lock_guard lock(shared_->mutex);
    shared_->pause = pauseRequested_ = true;
    if (shared_->trainer) shared_->trainer->pause();
}

void TrainingRunController::resume() {
    if (!active_ || !shared_) return;
    std::lock_guard lock(shared_->mutex);
    shared_->pause = pauseRequested_ = false;
    if (shared_->trainer) shared_->trainer->resume();
}

void TrainingRunController::stop() {
    if (!shared_) return;
    std::lock_guard lock(shared_->mutex);
    shared_->stop = true;
    shared_->cancel.cancel();
    if (shared_->trainer) shared_->trainer->requestStop();
}

void TrainingRunController::joinWorker() {
    if (worker_.joinable()) worker_.join();
}

void TrainingRunController::deliverBatches() {
    if (!shared_) return;
    std::vector<ml::BatchReport> batches;
    {
        std::lock_guard lock(shared_->mutex);
        batches.swap(shared_->pendingBatches);
        shared_->deliveryPosted = false;
    }
    if (!batches.empty()) emit batchesReported(QList<ml::BatchReport>(batches.begin(), batches.end()));
}

void TrainingRunController::setStateFromWorker(ml::TrainingState state, const QString& message) {
    state_ = state;
    emit stateChanged(state, message);
}

void TrainingRunController::work(RunSettings settings) {
    // Runs on the worker thread: everything reaching the GUI goes through queued invocations on `this`.
    auto shared = shared_;
    auto post = [this](auto f) { QMetaObject::invokeMethod(this, std::move(f), Qt::QueuedConnection); };
    RunOutcome outcome;
    try {
        Progress progress;
        progress.cancel = shared->cancel;
        progress.report = [this, post](double done, double total, const std::string& message) {
            post([this, done, total, m = QString::fromStdString(message)] { emit preparationProgress(done, total, m); });
        };
        Observer observer(this, shared);
        TrainerHook hook = [this, shared, post](ml::Trainer& trainer) {
            {
                std::lock_guard lock(shared->mutex);
                shared->trainer = &trainer;
                if (shared->pause) trainer.pause();
                if (shared->stop) trainer.requestStop();
            }
            post([this, d = QString::fromStdString(trainer.deviceDescription())] { emit deviceChanged(d); });
        };
        outcome = job_(settings, observer, progress, hook);
    } catch (const Cancelled&) {
        outcome.state = ml::TrainingState::Stopped;
        outcome.message = tr("stopped while preparing data").toStdString();
    } catch (const std::exception& e) {
        outcome.state = ml::TrainingState::Failed;
        outcome.message = e.what();
    }
    {
        std::lock_guard lock(shared->mutex);
        shared->trainer = nullptr;
    }
    if (outcome.evaluation)
        post([this, evaluation = std::move(*outcome.evaluation), report = outcome.report] {
            emit evaluationReady(evaluation, report);
        });
    post([this, state = outcome.state, message = QString::fromStdString(outcome.message), id = outcome.storedRunId] {
        deliverBatches();
        active_ = false;
        pauseRequested_ = false;
        joinWorker();  // the worker posted this as its last act: join returns at once
        if (state_ != state) {
            state_ = state;
            emit stateChanged(state, message);
        }
        emit runFinished(state, message, id);
    });
}

}  // namespace sonolab::ui
