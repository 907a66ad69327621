#pragma once
// Long work in core takes a Progress: it reports how far it got and checks whether the user asked to stop.
// The caller (CLI, GUI bridge) decides how to show progress and on which thread; core never knows.
#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace sonolab {

// Shared between the thread that asks to stop and the worker that polls it.
class CancelToken {
public:
    void cancel() noexcept { cancelled_->store(true, std::memory_order_relaxed); }
    bool cancelled() const noexcept { return cancelled_->load(std::memory_order_relaxed); }
    void reset() noexcept { cancelled_->store(false, std::memory_order_relaxed); }

private:
    std::shared_ptr<std::atomic<bool>> cancelled_ = std::make_shared<std::atomic<bool>>(false);
};

// Thrown by work that noticed a cancel request; callers treat it as a clean stop, not a failure.
struct Cancelled : std::exception {
    const char* what() const noexcept override { return "cancelled"; }
};

struct Progress {
    // done and total are in the work's own unit (files, samples, batches); message says what is happening.
    std::function<void(double done, double total, const std::string& message)> report;
    CancelToken cancel;

    void operator()(double done, double total, const std::string& message = {}) const {
        if (report) report(done, total, message);
    }
    bool cancelled() const noexcept { return cancel.cancelled(); }
    void throwIfCancelled() const {
        if (cancel.cancelled()) throw Cancelled{};
    }
};

}  // namespace sonolab
