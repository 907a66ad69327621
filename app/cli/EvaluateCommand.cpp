// `sonolab-cli evaluate --run RUN --db LIB [--split NAME] [--part test] [--json]`: a saved model on a part of a
// library split, whole tracks by sliding windows; the metrics are also stored in the run folder. The README's form
// `--split test` names a part: a part name given to --split means that part of the run's split, unless the library
// has a split of that name (which wins).
// `--run A --run B ...` evaluates the runs together (their probabilities averaged: seed averaging); `--aggregate`
// says how a clip's windows become one prediction (WindowAggregation.h). `--folds K` trains the run's recipe on K-1
// group folds of its label set and tests it on the remaining one, K times, and reports mean and spread over the folds
// (FoldEvaluation.h): the honest figure where a test part has a few dozen clips.
#include "Commands.h"
#include "FoldOutput.h"

#include "core/library/LibraryDatabase.h"
#include "core/ml/ContrastivePretraining.h"
#include "core/pipeline/FoldEvaluation.h"
#include "core/pipeline/LibraryTraining.h"
#include "core/pipeline/MetricsJson.h"
#include "core/util/Error.h"

#include <unistd.h>

#include <cstdio>
#include <memory>
#include <optional>

namespace sonolab::cli {
namespace {

struct EvaluateOptions {
    std::vector<std::string> runs;
    std::string db, split, part = "test", cache, aggregate = "mean", foldBy = "group";
    bool json = false, predictions = false, quiet = false;
    bool partGiven = false;  // --part on the command line
    int folds = 0, seeds = 1, epochs = 0;
    std::uint64_t foldSeed = 0;
    std::optional<double> validationShare;  // unset: the recipe's (pipeline::validationShareFor)
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

// Every clip's target and probabilities (the task's label order), to look at the mistakes or score another rule.
nlohmann::json predictionsJson(const std::vector<pipeline::ExamplePrediction>& predictions) {
    nlohmann::json p = nlohmann::json::array();
    for (const auto& e : predictions)
        p.push_back({{"track", e.trackId}, {"path", e.path}, {"target", e.target}, {"probabilities", e.probabilities}});
    return p;
}

nlohmann::json runsJson(const EvaluateOptions& o) {
    return o.runs.size() == 1 ? nlohmann::json(o.runs.front()) : nlohmann::json(o.runs);
}

void runEvaluate(EvaluateOptions o) {
    readPartNameInSplit(o);
    pipeline::EvaluationRequest request{.library = o.db, .split = o.split, .part = o.part, .featureCache = o.cache,
                                        .aggregation = ml::parseWindowAggregation(o.aggregate)};
    for (const auto& r : o.runs) request.runs.emplace_back(r);
    const auto ev = pipeline::evaluateRuns(request);
    if (o.json) {
        nlohmann::json out = pipeline::reportToJson(ev.report);
        out["run"] = runsJson(o);
        out["split"] = ev.split;
        out["part"] = ev.part;
        out["aggregate"] = o.aggregate;
        if (o.predictions) out["predictions"] = predictionsJson(ev.predictions);
        std::printf("%s\n", out.dump(2).c_str());
        return;
    }
    std::printf("evaluate %s%s on %s/%s\n", o.runs.front().c_str(),
                o.runs.size() > 1 ? (" and " + std::to_string(o.runs.size() - 1) + " more runs").c_str() : "",
                ev.split.c_str(), ev.part.c_str());
    pipeline::printReport(ev.report, ev.part);
}

void runFolds(const EvaluateOptions& o) {
    if (o.runs.size() != 1) throw Error("evaluate --folds", "give one run: its recipe is trained on each fold");
    pipeline::FoldRequest request{.run = o.runs.front(),
                                  .library = o.db,
                                  .folds = o.folds,
                                  .groupBy = datasets::groupByFromString(o.foldBy),
                                  .seeds = o.seeds,
                                  .aggregation = ml::parseWindowAggregation(o.aggregate),
                                  .validationShare = o.validationShare,
                                  .foldSeed = o.foldSeed,
                                  .featureCache = o.cache,
                                  .epochs = o.epochs};
    FoldProgress observer;
    observer.quiet = o.quiet || o.json;
    const auto r = pipeline::crossValidate(request, &observer);
    if (o.json) {
        nlohmann::json folds = nlohmann::json::array();
        for (std::size_t k = 0; k < r.folds.size(); ++k) {
            nlohmann::json f = pipeline::reportToJson(r.folds[k].report);
            f["train"] = r.trainClips[k];
            f["validation"] = r.validationClips[k];
            f["trained_members"] = r.trainedMembers[k];
            if (o.predictions) f["predictions"] = predictionsJson(r.folds[k].predictions);
            folds.push_back(f);
        }
        std::printf("%s\n", nlohmann::json{{"run", o.runs.front()}, {"folds", folds}, {"summary", spreadsToJson(r.summary)},
                                           {"pooled", pipeline::reportToJson(r.pooled.report)},
                                           {"fold_by", r.groupBy}, {"seeds", o.seeds}, {"aggregate", o.aggregate},
                                           {"fold_seed", o.foldSeed}}
                                .dump(2)
                                .c_str());
        return;
    }
    std::printf("evaluate %s: %d folds by %s (train on %d, test on 1), %d model(s) per fold, windows by %s\n",
                o.runs.front().c_str(), o.folds, r.groupBy.c_str(), o.folds - 1, o.seeds, o.aggregate.c_str());
    for (std::size_t k = 0; k < r.folds.size(); ++k) {
        std::printf("fold %zu: train %zu, validation %zu, ", k + 1, r.trainClips[k], r.validationClips[k]);
        pipeline::printReport(r.folds[k].report, "test");
    }
    std::printf("%-20s %8s %8s %8s %8s\n", "over the folds", "mean", "std", "min", "max");
    for (const auto& [k, s] : r.summary)
        std::printf("%-20s %8.4f %8.4f %8.4f %8.4f\n", k.c_str(), s.mean, s.std, s.min, s.max);
    std::printf("every clip once (each predicted by the fold model that never saw it): ");
    pipeline::printReport(r.pooled.report, "out of fold");
}

}  // namespace

void addEvaluateCommand(CLI::App& app) {
    auto o = std::make_shared<EvaluateOptions>();
    auto* cmd = app.add_subcommand("evaluate", "Evaluate a trained run on a part of a library split");
    cmd->add_option("--run", o->runs,
                    "Run folder (from `train`); several (--run A --run B) predict together, their probabilities "
                    "averaged (e.g. one recipe trained with several seeds)")
        ->required()
        ->check(CLI::ExistingDirectory);
    cmd->add_option("--db", o->db, "Library file")->required()->check(CLI::ExistingFile);
    cmd->add_option("--split", o->split,
                    "Split name (default: the one the run was trained with); a part name (test, validation, train) "
                    "means that part of the run's split unless the library has a split so called");
    auto* part = cmd->add_option("--part", o->part, "test | validation | train")->capture_default_str();
    cmd->add_option("--cache", o->cache, "Feature cache folder (default: the run's)");
    cmd->add_option("--aggregate", o->aggregate,
                    "How a clip's windows become one prediction: mean (of the probabilities) | max | vote | none "
                    "(one centre crop)")
        ->capture_default_str();
    cmd->add_flag("--json", o->json, "Metrics as JSON");
    cmd->add_flag("--predictions", o->predictions,
                  "With --json: every track's probabilities too (with --folds: each fold's test tracks)");
    auto* cv = "Cross-validation (the run's recipe trained on each fold; models kept in RUN/folds)";
    auto* folds = cmd->add_option("--folds", o->folds, "K: mean and spread over K group folds (K >= 2)")->group(cv);
    cmd->add_option("--fold-by", o->foldBy, "group (source track) | album: what stays on one side")
        ->capture_default_str()
        ->group(cv);
    cmd->add_option("--seeds", o->seeds, "Models per fold (seeds S, S+1, ...), their predictions averaged")
        ->capture_default_str()
        ->group(cv);
    cmd->add_option("--fold-seed", o->foldSeed, "Seed of the fold assignment")->capture_default_str()->group(cv);
    cmd->add_option("--validation-share", o->validationShare,
                    "Share of each fold's training clips (whole source tracks) held out for validation; 0 = none. "
                    "Default: 0.15 where the run picks its model by validation (early stopping, or the best epoch "
                    "kept: train's default), else 0 (a run trained with --last-epoch)")
        ->group(cv);
    cmd->add_option("--epochs", o->epochs, "Override the run's epochs (0 = the run's)")->group(cv);
    cmd->add_flag("-q,--quiet", o->quiet, "With --folds: no progress on stderr");
    cmd->callback([o, part, folds] {
        o->partGiven = part->count() > 0;
        for (const auto& run : o->runs) ml::requireClassifierRun(run);
        if (folds->count() > 0) {
            if (o->folds < 2) throw Error("evaluate --folds", "K must be at least 2");
            runFolds(*o);
            return;
        }
        runEvaluate(*o);
    });
}

}  // namespace sonolab::cli
