#pragma once
// Timing for the ui_* benchmark programs: steps run on the GUI thread, timed by wall clock and by this thread's CPU
// time. Other work shares the machine, so wall time includes waiting for a core; both are reported.
#include <QElapsedTimer>

#include <time.h>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace sonolab::bench {

inline double threadCpuMs() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) * 1e-6;
}

inline double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

// Repeated timings of one step: operator() runs it once and returns its wall milliseconds.
struct Timing {
    std::vector<double> wall, cpu;
    template <typename F>
    double operator()(F f) {
        QElapsedTimer t;
        t.start();
        const double c0 = threadCpuMs();
        f();
        cpu.push_back(threadCpuMs() - c0);
        wall.push_back(double(t.nsecsElapsed()) / 1e6);
        return wall.back();
    }
    void print(const char* what) const {
        if (wall.empty()) return;
        std::printf("  %-46s %8.2f ms median wall (cpu %.2f), worst %.2f wall, %zu times\n", what, median(wall),
                    median(cpu), *std::max_element(wall.begin(), wall.end()), wall.size());
    }
};

template <typename F>
double timeMs(F f) {
    return Timing{}(f);
}

}  // namespace sonolab::bench
