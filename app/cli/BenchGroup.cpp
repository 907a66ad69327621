// `sonolab-cli bench ...`: throughput measurements, one subcommand per area, each added through benchGroup().
#include "Commands.h"

#include <time.h>

namespace sonolab::cli {

CLI::App* benchGroup(CLI::App& app) {
    for (CLI::App* sub : app.get_subcommands([](CLI::App* s) { return s->get_name() == "bench"; })) return sub;
    CLI::App* bench = app.add_subcommand("bench", "Measure throughput (x real time per thread, median of runs)");
    bench->require_subcommand(1);
    return bench;
}

double threadCpuSeconds() {
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

}  // namespace sonolab::cli
