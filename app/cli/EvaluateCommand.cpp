// `sonolab-cli evaluate --run RUN --db LIB [--split NAME] [--part test] [--json]`: a saved model on a part of a
// library split, whole tracks by sliding windows; the metrics are also stored in the run folder. The README's form
// `--split test` names a part: a part name given to --split means that part of the run's split, unless the library
// has a split of that name (which wins).
#include "Commands.h"

#include "core/library/LibraryDatabase.h"
#include "core/pipeline/LibraryTraining.h"
#include "core/pipeline/MetricsJson.h"
#include "core/util/Error.h"

#include <cstdio>
#include <memory>

namespace sonolab::cli {
namespace {

struct EvaluateOptions {
    std::string run, db, split, part = "test", cache;
    bool json = false, predictions = false;
    bool partGiven = false;  // --part on the command line
};

bool isPartName(const std::string& s) { return s == "train" || s == "validation" || s == "test"; }

// --split test (the README's form) where the library has no split called "test": the part of the run's own split.
void readPartNameInSplit(EvaluateOptions& o) {
    if (!isPartName(o.split)) return;
    for (const auto& split : library::LibraryDatabase(o.db).splits())
        if (split.name == o.split) return;
    if (o.partGiven && o.part != o.split)
        throw Error("evaluate", "--split " + o.split + " names a part, and --part says " + o.part + "; give one");
    o.part = o.split;
    o.split.clear();
}

void runEvaluate(EvaluateOptions o) {
    readPartNameInSplit(o);
    const auto ev = pipeline::evaluateRun(o.run, o.db, o.split, o.part, o.cache);
    if (o.json) {
        nlohmann::json out = pipeline::reportToJson(ev.report);
        out["run"] = o.run;
        out["split"] = ev.split;
        out["part"] = ev.part;
        if (o.predictions) {
            nlohmann::json p = nlohmann::json::array();
            for (const auto& e : ev.predictions)
                p.push_back({{"track", e.trackId}, {"path", e.path}, {"target", e.target}, {"probabilities", e.probabilities}});
            out["predictions"] = p;
        }
        std::printf("%s\n", out.dump(2).c_str());
        return;
    }
    std::printf("evaluate %s on %s/%s\n", o.run.c_str(), ev.split.c_str(), ev.part.c_str());
    pipeline::printReport(ev.report, ev.part);
}

}  // namespace

void addEvaluateCommand(CLI::App& app) {
    auto o = std::make_shared<EvaluateOptions>();
    auto* cmd = app.add_subcommand("evaluate", "Evaluate a trained run on a part of a library split");
    cmd->add_option("--run", o->run, "Run folder (from `train`)")->required()->check(CLI::ExistingDirectory);
    cmd->add_option("--db", o->db, "Library file")->required()->check(CLI::ExistingFile);
    cmd->add_option("--split", o->split,
                    "Split name (default: the one the run was trained with); a part name (test, validation, train) "
                    "means that part of the run's split unless the library has a split so called");
    auto* part = cmd->add_option("--part", o->part, "test | validation | train")->capture_default_str();
    cmd->add_option("--cache", o->cache, "Feature cache folder (default: the run's)");
    cmd->add_flag("--json", o->json, "Metrics as JSON");
    cmd->add_flag("--predictions", o->predictions, "With --json: every track's probabilities too");
    cmd->callback([o, part] {
        o->partGiven = part->count() > 0;
        runEvaluate(*o);
    });
}

}  // namespace sonolab::cli
