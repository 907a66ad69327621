#pragma once
// The one way the UI runs work off the GUI thread. A panel owns a BackgroundJob (as a member, declared after what the
// work's callbacks touch) and starts work on it: the work gets a JobContext (a sonolab::Progress to report to and
// poll, and post() for richer reports) and runs on its own QThread; its progress, its result or its error, and its
// end arrive on the GUI thread, in the order the worker produced them. The work owns everything it reads: it is
// captured by value at start() and never replaced while it runs (no shared mutable job between the threads).
//
// Ends: the work returns (Finished: onResult gets the value, then finished(Finished)), throws sonolab::Cancelled
// (finished(Cancelled)), or throws anything else (finished(Failed, what())); an exception from onResult also ends
// the run as Failed. Exceptions never reach Qt.
// A second start() while a run is going discards the first: it is cancelled and nothing of it reaches the GUI any
// more (a newer request supersedes an older one: the file the player opened, the space the user picked).
// The destructor cancels every run and waits for its worker: nothing outlives the job.
//
// Threads: every member function on the GUI thread (the thread that created the job); the work on its worker.
#include "core/util/Progress.h"

#include <QObject>
#include <QString>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace sonolab::ui {

enum class JobEnd { Finished, Cancelled, Failed };

// What the work sees of its job, on the worker thread.
class JobContext {
public:
    JobContext(const Progress& progress, std::function<void(std::function<void()>)> post)
        : progress(progress), post_(std::move(post)) {}

    // report(done, total, message) reaches BackgroundJob::progress (coalesced: the latest report wins while the GUI
    // is busy); cancel is the run's token.
    const Progress& progress;
    // Runs f on the GUI thread after everything posted before it, unless the run was discarded or the job destroyed.
    void post(std::function<void()> f) const { post_(std::move(f)); }
    bool cancelled() const noexcept { return progress.cancelled(); }

private:
    std::function<void(std::function<void()>)> post_;
};

class BackgroundJob : public QObject {
    Q_OBJECT
public:
    explicit BackgroundJob(QObject* parent = nullptr);
    ~BackgroundJob() override;  // cancels every run and waits for its worker

    // work: R(const JobContext&), on a worker thread. onResult: void(R) (void() when R is void), on the GUI thread.
    template <class Work, class OnResult>
    void start(Work work, OnResult onResult);

    // Asks the current run to stop (its Progress reports cancelled); its end is still reported.
    void cancel();
    // Cancels the current run and drops it: nothing of it reaches the GUI any more (its worker still ends in time).
    void discard();
    // Blocks until every worker has returned (what it posted is still delivered by the event loop). Shutdown, tests.
    void wait();
    // True from start() until the current run's end has been delivered.
    bool isRunning() const { return current_ != nullptr; }

    // Worker thread, before it starts threads of its own (they inherit it): runs the calling thread at nice value
    // `niceness` (Linux keeps one per thread), so the GUI thread, at 0, gets the core at once when it needs it and
    // the work takes every cycle the window leaves. Each run has its own worker thread, so nothing is restored.
    // Raising one's own nice value needs no privilege; a failure leaves the work at the window's priority.
    static void runBelowWindow(int niceness);

signals:
    void progress(double done, double total, const QString& message);
    // The current run's last signal (after onResult when it finished).
    void finished(sonolab::ui::JobEnd end, const QString& error);

private:
    struct Run;
    void launch(std::function<void(const JobContext&)> body, std::function<void()> deliver);
    void deliverProgress(Run* run);
    void ended(Run* run, JobEnd end, QString error);

    std::vector<std::unique_ptr<Run>> runs_;  // the current run and discarded ones whose workers still run
    Run* current_ = nullptr;
};

template <class Work, class OnResult>
void BackgroundJob::start(Work work, OnResult onResult) {
    using Result = std::invoke_result_t<Work&, const JobContext&>;
    // Shared so that move-only work and results fit in std::function.
    auto w = std::make_shared<Work>(std::move(work));
    auto done = std::make_shared<OnResult>(std::move(onResult));
    if constexpr (std::is_void_v<Result>) {
        launch([w](const JobContext& c) { (*w)(c); }, [done] { (*done)(); });
    } else {
        auto result = std::make_shared<std::optional<Result>>();
        launch([w, result](const JobContext& c) { result->emplace((*w)(c)); },
               [done, result] { (*done)(std::move(**result)); });
    }
}

}  // namespace sonolab::ui
