#pragma once
// Ctrl-C as a request, not a kill: while an InterruptFlag lives, SIGINT only raises its flag, which long work polls
// (stop after the current batch, keep the checkpoint); the previous handler comes back on destruction.
#include <csignal>

namespace sonolab::cli {

class InterruptFlag {
public:
    InterruptFlag();
    ~InterruptFlag();
    InterruptFlag(const InterruptFlag&) = delete;
    InterruptFlag& operator=(const InterruptFlag&) = delete;
    bool raised() const;

private:
    struct sigaction previous_ {};
};

}  // namespace sonolab::cli
