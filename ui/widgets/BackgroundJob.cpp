#include "ui/widgets/BackgroundJob.h"

#include <QMetaObject>
#include <QThread>

#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>
#include <string>

namespace sonolab::ui {

// One start(): its worker thread, its token and its latest progress report. Owned by the job; the worker only sees
// it through the job, which outlives every worker (the destructor waits), so raw pointers to it are safe in posts.
struct BackgroundJob::Run {
    CancelToken cancel;
    std::function<void()> deliver;
    std::unique_ptr<QThread> thread;
    std::mutex mutex;  // guards the pending report
    double done = 0, total = 0;
    std::string message;
    bool reportQueued = false;
};

BackgroundJob::BackgroundJob(QObject* parent) : QObject(parent) { qRegisterMetaType<JobEnd>(); }

BackgroundJob::~BackgroundJob() {
    for (auto& run : runs_) run->cancel.cancel();
    wait();
    // Whatever the workers posted is dropped with this object (Qt removes an object's pending events).
}

void BackgroundJob::launch(std::function<void(const JobContext&)> body, std::function<void()> deliver) {
    discard();
    auto owned = std::make_unique<Run>();
    Run* run = owned.get();
    run->deliver = std::move(deliver);
    runs_.push_back(std::move(owned));
    current_ = run;

    Progress progress;
    progress.cancel = run->cancel;
    progress.report = [this, run](double done, double total, const std::string& message) {
        bool queue = false;
        {
            std::lock_guard lock(run->mutex);
            run->done = done;
            run->total = total;
            run->message = message;
            queue = !std::exchange(run->reportQueued, true);
        }
        if (queue) QMetaObject::invokeMethod(this, [this, run] { deliverProgress(run); }, Qt::QueuedConnection);
    };
    auto post = [this, run](std::function<void()> f) {
        QMetaObject::invokeMethod(this, [this, run, f = std::move(f)] {
            if (run == current_) f();
        }, Qt::QueuedConnection);
    };
    run->thread.reset(QThread::create([this, run, body = std::move(body), progress = std::move(progress),
                                       post = std::move(post)] {
        JobEnd end = JobEnd::Finished;
        QString error;
        try {
            body(JobContext(progress, post));
        } catch (const Cancelled&) {
            end = JobEnd::Cancelled;
        } catch (const std::exception& e) {
            end = JobEnd::Failed;
            error = QString::fromUtf8(e.what());
        } catch (...) {
            end = JobEnd::Failed;
            error = tr("unknown error");
        }
        // The worker's last act: queued after everything it posted, so the GUI sees the end last.
        QMetaObject::invokeMethod(this, [this, run, end, error] { ended(run, end, error); }, Qt::QueuedConnection);
    }));
    run->thread->start();
}

void BackgroundJob::deliverProgress(Run* run) {
    double done = 0, total = 0;
    std::string message;
    {
        std::lock_guard lock(run->mutex);
        done = run->done;
        total = run->total;
        message.swap(run->message);
        run->reportQueued = false;
    }
    if (run == current_) emit progress(done, total, QString::fromStdString(message));
}

void BackgroundJob::ended(Run* run, JobEnd end, QString error) {
    run->thread->wait();  // returns at once: posting this was the worker's last act
    std::function<void()> deliver = std::move(run->deliver);
    const bool current = run == current_;
    std::erase_if(runs_, [run](const auto& r) { return r.get() == run; });
    if (!current) return;
    current_ = nullptr;  // before the callbacks, which may start the next run
    if (end == JobEnd::Finished) {
        // onResult runs in a Qt event: what it throws (a database that went away) becomes the run's error.
        try {
            deliver();
        } catch (const std::exception& e) {
            end = JobEnd::Failed;
            error = QString::fromUtf8(e.what());
        }
    }
    emit finished(end, error);
}

void BackgroundJob::cancel() {
    if (current_) current_->cancel.cancel();
}

void BackgroundJob::discard() {
    cancel();
    current_ = nullptr;
}

void BackgroundJob::wait() {
    for (auto& run : runs_) run->thread->wait();
}

void BackgroundJob::runBelowWindow(int niceness) {
#ifdef __linux__
    const id_t self = static_cast<id_t>(::gettid());
    errno = 0;
    const int now = ::getpriority(PRIO_PROCESS, self);
    if (errno == 0 && now < niceness) ::setpriority(PRIO_PROCESS, self, niceness);
#else
    (void)niceness;
#endif
}

}  // namespace sonolab::ui
