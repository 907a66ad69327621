// `sonolab-cli export-dataset --db LIB --task TASK --out DIR`: the training set `train --db` would use (features
// extracted where missing, the split's parts) as a plain folder, for `train --data DIR` on a machine that has
// libtorch alone (a GPU server built with SONOLAB_TRAINING_ONLY).
#include "Commands.h"

#include "core/ml/ArchitectureCatalog.h"
#include "core/pipeline/LibraryTraining.h"
#include "core/util/Error.h"

#include <unistd.h>

#include <cstdio>
#include <memory>

namespace sonolab::cli {
namespace {

struct ExportOptions {
    std::string db, task, split, model = "compact_cnn", cache, out;
    int window = 0;
    bool quiet = false;
};

void runExport(const ExportOptions& o) {
    pipeline::LibraryTrainingRequest request;
    request.library = o.db;
    request.task = o.task;
    request.split = o.split;
    request.model = ml::ModelSpec::parse(o.model);
    ml::architectureInfo(request.model.architecture);
    request.featureCache = o.cache;
    request.config.windowFrames = std::size_t(std::max(0, o.window));
    const bool tty = ::isatty(STDERR_FILENO);
    Progress progress;
    progress.report = [&](double done, double total, const std::string&) {
        if (!o.quiet && tty) std::fprintf(stderr, "\rfeatures %.0f/%.0f   ", done, total);
    };
    const auto r = pipeline::exportTrainingData(request, o.out, &progress);
    for (const auto& f : r.failedFiles) std::fprintf(stderr, "left out %s\n", f.c_str());
    std::printf("export-dataset: %s: %zu train, %zu validation, %zu test example(s) in %s\n", r.name.c_str(),
                r.trainExamples, r.validationExamples, r.testExamples, o.out.c_str());
}

}  // namespace

void addExportDatasetCommand(CLI::App& app) {
    auto o = std::make_shared<ExportOptions>();
    auto* cmd = app.add_subcommand("export-dataset",
                                   "Write a library's training set (features + targets + split) as a folder for train --data");
    cmd->add_option("--db", o->db, "Library file")->required()->check(CLI::ExistingFile);
    cmd->add_option("--task", o->task, "binary:LABEL | single:A,B,C | multi:T1,T2,... (+ @LABELSET)")->required();
    cmd->add_option("--model", o->model, "The model the features are for (its default input)")->capture_default_str();
    cmd->add_option("--split", o->split, "Split name in the library (default: its only split)");
    cmd->add_option("--cache", o->cache, "Feature cache folder (default: LIB.features)");
    cmd->add_option("--window", o->window, "Crop length in frames for training (default: the model's input)");
    cmd->add_option("--out", o->out, "Folder to write")->required();
    cmd->add_flag("--quiet,-q", o->quiet, "No progress output");
    cmd->callback([o] { runExport(*o); });
}

}  // namespace sonolab::cli
