#include "InterruptFlag.h"

namespace sonolab::cli {
namespace {

// A signal handler can only reach a static flag; one InterruptFlag at a time uses it.
volatile std::sig_atomic_t gRaised = 0;
extern "C" void onInterruptFlag(int) { gRaised = 1; }

}  // namespace

InterruptFlag::InterruptFlag() {
    gRaised = 0;
    struct sigaction action {};
    action.sa_handler = onInterruptFlag;
    ::sigaction(SIGINT, &action, &previous_);
}

InterruptFlag::~InterruptFlag() { ::sigaction(SIGINT, &previous_, nullptr); }

bool InterruptFlag::raised() const { return gRaised != 0; }

}  // namespace sonolab::cli
