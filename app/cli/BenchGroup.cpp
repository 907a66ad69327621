// `sonolab-cli bench ...`: throughput measurements, one subcommand per area, each added through benchGroup().
#include "Commands.h"

namespace sonolab::cli {

CLI::App* benchGroup(CLI::App& app) {
    for (CLI::App* sub : app.get_subcommands([](CLI::App* s) { return s->get_name() == "bench"; })) return sub;
    CLI::App* bench = app.add_subcommand("bench", "Measure throughput (x real time per thread, median of runs)");
    bench->require_subcommand(1);
    return bench;
}

}  // namespace sonolab::cli
