#include "ui/widgets/TrainingJob.h"

#include "core/ml/Trainer.h"

#include <mutex>
#include <utility>
#include <vector>

namespace sonolab::ui {

// What the GUI thread and one run's worker share; each touches it briefly under the mutex.
struct TrainingJob::Shared {
    std::mutex mutex;
    ml::Trainer* trainer = nullptr;  // set while the work is inside Trainer::run()
    bool pause = false;
    bool stop = false;
    std::vector<ml::BatchReport> pendingBatches;
    bool deliveryQueued = false;
};

// The run's observer, on the worker thread: everything reaches the GUI through the run's post().
class TrainingJob::Feed : public ml::TrainingObserver {
public:
    Feed(TrainingJob* owner, std::shared_ptr<Shared> shared, const JobContext& job)
        : owner_(owner), shared_(std::move(shared)), job_(job) {}

    void onBatch(const ml::BatchReport& report) override {
        bool queue = false;
        {
            std::lock_guard lock(shared_->mutex);
            shared_->pendingBatches.push_back(report);
            queue = !std::exchange(shared_->deliveryQueued, true);
        }
        if (queue) job_.post([o = owner_, s = shared_] { deliverBatches(o, *s); });
    }
    void onEpoch(const ml::EpochReport& report) override {
        // The epoch's batches go out first so the charts see them in order.
        job_.post([o = owner_, s = shared_, report] {
            deliverBatches(o, *s);
            emit o->epochReported(report);
        });
    }
    void onStateChanged(ml::TrainingState state, const std::string& message) override {
        if (state == ml::TrainingState::Finished || state == ml::TrainingState::Stopped ||
            state == ml::TrainingState::Failed) {
            // Trainer::run() is about to return and the work may destroy its Trainer: stop() must not reach it.
            std::lock_guard lock(shared_->mutex);
            shared_->trainer = nullptr;
        }
        job_.post([o = owner_, s = shared_, state, m = QString::fromStdString(message)] {
            deliverBatches(o, *s);
            o->setState(state, m);
        });
    }

    static void deliverBatches(TrainingJob* owner, Shared& shared) {
        std::vector<ml::BatchReport> batches;
        {
            std::lock_guard lock(shared.mutex);
            batches.swap(shared.pendingBatches);
            shared.deliveryQueued = false;
        }
        if (!batches.empty()) emit owner->batchesReported(QList<ml::BatchReport>(batches.begin(), batches.end()));
    }

private:
    TrainingJob* owner_;
    std::shared_ptr<Shared> shared_;
    const JobContext& job_;
};

TrainingJob::TrainingJob(QObject* parent) : QObject(parent) {
    qRegisterMetaType<ml::BatchReport>();
    qRegisterMetaType<ml::EpochReport>();
    qRegisterMetaType<ml::TrainingState>();
    connect(&job_, &BackgroundJob::progress, this, &TrainingJob::progress);
    connect(&job_, &BackgroundJob::finished, this, [this](JobEnd end, const QString& error) {
        pauseRequested_ = false;
        emit finished(end, error);
    });
}

TrainingJob::~TrainingJob() { stop(); }

void TrainingJob::lowerWorkerPriority() {
    // 10 gives the GUI thread (nice 0) about nine times a training thread's share of a busy core.
    BackgroundJob::runBelowWindow(10);
}  // job_ (destroyed next) waits for the worker

std::shared_ptr<TrainingJob::Shared> TrainingJob::begin() {
    shared_ = std::make_shared<Shared>();
    pauseRequested_ = false;
    return shared_;
}

void TrainingJob::within(const std::shared_ptr<Shared>& shared, const JobContext& job,
                         const std::function<void(const TrainingContext&)>& body) {
    Feed feed(this, shared, job);
    auto attach = [this, shared, &job](ml::Trainer* trainer) {
        std::lock_guard lock(shared->mutex);
        shared->trainer = trainer;
        if (!trainer) return;
        if (shared->pause) trainer->pause();
        if (shared->stop) trainer->requestStop();
        job.post([this, d = QString::fromStdString(trainer->deviceDescription())] { emit deviceChanged(d); });
    };
    struct Detach {  // the Trainer is gone once the work returns or throws: stop() must not reach it
        Shared& shared;
        ~Detach() {
            std::lock_guard lock(shared.mutex);
            shared.trainer = nullptr;
        }
    } detach{*shared};
    body(TrainingContext{job, feed, attach});
}

void TrainingJob::pause() {
    if (!isActive()) return;
    std::lock_guard lock(shared_->mutex);
    shared_->pause = pauseRequested_ = true;
    if (shared_->trainer) shared_->trainer->pause();
}

void TrainingJob::resume() {
    if (!isActive()) return;
    std::lock_guard lock(shared_->mutex);
    shared_->pause = pauseRequested_ = false;
    if (shared_->trainer) shared_->trainer->resume();
}

void TrainingJob::stop() {
    if (!isActive()) return;
    job_.cancel();
    std::lock_guard lock(shared_->mutex);
    shared_->stop = true;
    if (shared_->trainer) shared_->trainer->requestStop();
}

void TrainingJob::setState(ml::TrainingState state, const QString& message) {
    state_ = state;
    emit stateChanged(state, message);
}

}  // namespace sonolab::ui
