#include "StartupTrace.h"

#include "FirstPaint.h"


#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace sonolab::app {
namespace {

bool enabled() {
    static const bool on = std::getenv("SONOLAB_TRACE_STARTUP") != nullptr;
    return on;
}

double seconds(clockid_t clock) {
    timespec ts{};
    clock_gettime(clock, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// The process's start, in seconds of CLOCK_BOOTTIME: field 22 of /proc/self/stat, in clock ticks since boot.
double processStart() {
    char buf[1024] = {};
    if (std::FILE* f = std::fopen("/proc/self/stat", "r")) {
        buf[std::fread(buf, 1, sizeof buf - 1, f)] = 0;
        std::fclose(f);
    }
    const char* p = std::strrchr(buf, ')');  // the command name may hold spaces; the fields after it do not
    for (int field = 2; p && *p; ++p)
        if (*p == ' ' && ++field == 22) return double(std::strtoull(p + 1, nullptr, 10)) / double(sysconf(_SC_CLK_TCK));
    return 0;
}

}  // namespace

void traceStartup(const char* phase) {
    if (!enabled()) return;
    std::fprintf(stderr, "startup %.3f s (cpu %.3f s) %s\n", seconds(CLOCK_BOOTTIME) - processStart(),
                 seconds(CLOCK_PROCESS_CPUTIME_ID), phase);
}

void traceFirstPaint(QWidget& window) {
    if (enabled()) whenFirstPainted(window, [] { traceStartup("first paint"); });
}

}  // namespace sonolab::app
