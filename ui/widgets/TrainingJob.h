#pragma once
// A core/ml training run on a BackgroundJob, shared by the training dashboard and the onset trainer: the run's
// observer reports (batches coalesced: one queued delivery carries every batch since the last one, so a fast model
// cannot flood the event loop; epochs and states in order after them) arrive as signals on the GUI thread, and
// pause/resume/stop reach the Trainer the work attaches. The work is fixed for the life of a run (captured at
// start()); only the trainer pointer is shared with the worker, behind a mutex.
#include "core/ml/TrainingObserver.h"
#include "ui/widgets/BackgroundJob.h"

#include <QList>
#include <QMetaType>
#include <QObject>

#include <functional>
#include <memory>
#include <optional>

namespace sonolab::ml {
class Trainer;
}

namespace sonolab::ui {

// What a training's work gets on the worker thread.
struct TrainingContext {
    const JobContext& job;
    ml::TrainingObserver& observer;
    // Call with the Trainer before Trainer::run(): that is how pause/resume/stop reach it (it is forgotten when it
    // reports a final state, or the work returns). Works without a Trainer of their own stop on the cancel token.
    std::function<void(ml::Trainer*)> attachTrainer;
};

class TrainingJob : public QObject {
    Q_OBJECT
public:
    explicit TrainingJob(QObject* parent = nullptr);
    ~TrainingJob() override;  // stops the run and waits for its worker

    // work: R(const TrainingContext&) on the worker; onResult: void(R) on the GUI thread (BackgroundJob's rules).
    // The state becomes Preparing.
    template <class Work, class OnResult>
    void start(Work work, OnResult onResult);
    void pause();
    void resume();
    void stop();  // after the current batch (a run still preparing data is cancelled)

    // By default a run's worker (and every thread it starts: libtorch's OpenMP team, data loaders, feature
    // extraction) runs below the GUI thread's priority, so the window stays as quick while all cores train as at rest
    // (the run still gets every core the window leaves idle). Off: the run competes as an equal (measurements).
    // Applies to runs started afterwards.
    void setBelowWindowPriority(bool on) { belowWindow_ = on; }
    bool belowWindowPriority() const { return belowWindow_; }

    bool isActive() const { return job_.isRunning(); }
    bool isPaused() const { return pauseRequested_ && isActive(); }
    ml::TrainingState state() const { return state_; }
    // The owner's word on how the run ended (its result knows more than the observer saw); emits stateChanged.
    void setState(ml::TrainingState state, const QString& message);

signals:
    void stateChanged(sonolab::ml::TrainingState state, const QString& message);
    void batchesReported(const QList<sonolab::ml::BatchReport>& reports);
    void epochReported(const sonolab::ml::EpochReport& report);
    void deviceChanged(const QString& device);
    void progress(double done, double total, const QString& message);  // what the work reports before training
    void finished(sonolab::ui::JobEnd end, const QString& error);       // after onResult; the run's last signal

private:
    struct Shared;
    class Feed;
    std::shared_ptr<Shared> begin();
    // On the worker, before it starts any thread. The worker thread ends with the run, so nothing is restored.
    static void lowerWorkerPriority();
    // On the worker: runs body with the run's observer and trainer hook.
    void within(const std::shared_ptr<Shared>& shared, const JobContext& job,
                const std::function<void(const TrainingContext&)>& body);

    std::shared_ptr<Shared> shared_;
    bool pauseRequested_ = false;
    bool belowWindow_ = true;
    ml::TrainingState state_ = ml::TrainingState::Idle;
    BackgroundJob job_;  // last member: destroyed first, so its worker is gone before the rest
};

template <class Work, class OnResult>
void TrainingJob::start(Work work, OnResult onResult) {
    using Result = std::invoke_result_t<Work&, const TrainingContext&>;
    job_.start(
        [this, shared = begin(), work = std::move(work), lower = belowWindow_](const JobContext& job) mutable {
            if (lower) lowerWorkerPriority();
            std::optional<Result> result;
            within(shared, job, [&](const TrainingContext& c) { result.emplace(work(c)); });
            return std::move(*result);
        },
        std::move(onResult));
    setState(ml::TrainingState::Preparing, tr("preparing data"));
}

}  // namespace sonolab::ui
