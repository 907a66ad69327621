// `sonolab-cli onsets FILE [--method flux|rnn:RUN] [--json]`: onset times of one file (one per line, seconds);
// `--format audacity|sv-csv|jams|onsets` prints (or with --out writes) them as an annotation file instead.
// `sonolab-cli onsets-train --data DIR --out RUN`: trains the recurrent detector on an onset data set.
// `sonolab-cli onsets-evaluate --data DIR [--folds 8] [--method flux|rnn|rnn:RUN] [--json]`: precision, recall and
// F-measure (+-25 ms, combining within 30 ms), summed and averaged over files; `--method rnn` cross-validates
// (test fold k, validation fold k+1, training on the rest); `--detected DIR` scores another program's detections
// and `--detections DIR` writes the scored ones. Training chooses peak picking on the validation fold
// (onset-peaks.txt in the run; `--fixed-peaks`: threshold 0.35, 70 ms).
#include "Commands.h"

#include "AnnotationOutput.h"
#include "core/onsets/OnsetDataset.h"
#include "core/onsets/rnn/OnsetDetector.h"
#include "core/onsets/rnn/OnsetExperiments.h"
#include "core/util/Error.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <thread>

namespace sonolab::cli {
namespace {

namespace fs = std::filesystem;
using namespace sonolab::onsets;

struct TrainOptions {
    std::string cell = "rnn";
    int hidden = 25, layers = 3, epochs = 100, patience = 20, batch = 1, threads = 0;
    double lr = 0.01;
    std::uint64_t seed = 42;
    std::string cache;  // empty = DATA/.sonolab-cache
    bool quiet = false;
    bool unfused = false;
    bool fixedPeaks = false;
};

void addTrainOptions(CLI::App* cmd, TrainOptions& o) {
    cmd->add_option("--cell", o.cell, "Recurrent cell: rnn (tanh, the tutorial's), lstm or gru")
        ->check(CLI::IsMember({"rnn", "lstm", "gru"}));
    cmd->add_option("--hidden", o.hidden, "Units per direction and layer")->check(CLI::PositiveNumber);
    cmd->add_option("--layers", o.layers, "Bidirectional recurrent layers")->check(CLI::PositiveNumber);
    cmd->add_option("--epochs", o.epochs, "Most epochs per training run")->check(CLI::PositiveNumber);
    cmd->add_option("--patience", o.patience, "Early stopping: epochs without validation improvement (0 = off)");
    cmd->add_option("--lr", o.lr, "SGD learning rate (momentum 0.9, gradient values clipped at 5)");
    cmd->add_option("--batch", o.batch, "Sequences per update (padded and packed)")->check(CLI::PositiveNumber);
    cmd->add_option("--threads", o.threads, "Intra-op threads (0 = all cores)");
    cmd->add_option("--seed", o.seed, "Random seed");
    cmd->add_option("--cache", o.cache, "Feature cache folder (default DATA/.sonolab-cache/onsets)");
    cmd->add_flag("--quiet", o.quiet, "No per-epoch lines on stderr");
    cmd->add_flag("--fixed-peaks", o.fixedPeaks,
                  "Peak picking at threshold 0.35 and smoothing 70 ms instead of choosing both on the validation fold");
    cmd->add_flag("--unfused", o.unfused,
                  "rnn cell: train through libtorch's RNN module instead of the fused recurrence (same results, slower; "
                  "for timing comparisons)");
}

RnnExperimentConfig experimentConfig(const TrainOptions& o, const fs::path& data) {
    RnnExperimentConfig c;
    c.model = {.cell = o.cell, .hidden = o.hidden, .layers = o.layers, .inputDims = rnnOnsetFeatureDims(),
               .fusedRecurrence = !o.unfused};
    c.training = {.learningRate = o.lr, .batchSize = o.batch, .epochs = o.epochs, .patience = o.patience,
                  .seed = o.seed, .threads = o.threads};
    c.featureCache = o.cache.empty() ? data / ".sonolab-cache" / "onsets" : fs::path(o.cache);
    c.tunePeakPicking = !o.fixedPeaks;
    return c;
}

// Per-epoch lines on stderr, so --json output on stdout stays clean.
struct EpochPrinter : ml::TrainingObserver {
    bool quiet = false;
    void onEpoch(const ml::EpochReport& e) override {
        if (quiet) return;
        std::fprintf(stderr, "  epoch %3d/%d  train %.4f", e.epoch + 1, e.epochs, e.trainLoss);
        if (e.validationLoss) std::fprintf(stderr, "  val %.4f", *e.validationLoss);
        if (auto it = e.metrics.find("onset_f"); it != e.metrics.end()) std::fprintf(stderr, "  val F %.3f", it->second);
        std::fprintf(stderr, "  %.1fs%s\n", e.seconds, e.best ? "  *" : "");
    }
};

nlohmann::json scoresJson(const OnsetScoreSummary& s) {
    return {{"files", s.files},
            {"sum", {{"precision", s.sum.precision()}, {"recall", s.sum.recall()}, {"f", s.sum.fmeasure()},
                     {"tp", s.sum.truePositives}, {"fp", s.sum.falsePositives}, {"fn", s.sum.falseNegatives}}},
            {"mean", {{"precision", s.meanPrecision}, {"recall", s.meanRecall}, {"f", s.meanFmeasure}}}};
}

void printScores(const OnsetExperimentResult& r, bool perFile) {
    if (perFile) {
        std::printf("%-40s %5s %5s %5s %6s %6s %6s\n", "file", "tp", "fp", "fn", "P", "R", "F");
        for (const auto& f : r.files)
            std::printf("%-40s %5zu %5zu %5zu %6.3f %6.3f %6.3f\n", f.name.c_str(), f.counts.truePositives,
                        f.counts.falsePositives, f.counts.falseNegatives, f.counts.precision(), f.counts.recall(),
                        f.counts.fmeasure());
    }
    std::size_t folds = 0;
    for (const auto& f : r.folds) folds += f.files > 0 ? 1 : 0;
    std::printf("method %s, %zu files, %zu test folds\n", r.method.c_str(), r.summary.files, folds);
    for (std::size_t k = 0; k < r.folds.size(); ++k)
        if (r.folds[k].files > 0)
            std::printf("  fold %zu: %zu files  F %.3f (sum)  %.3f (mean)\n", k, r.folds[k].files, r.folds[k].sum.fmeasure(),
                    r.folds[k].meanFmeasure);
    std::printf("%-5s %6s %6s %6s\n", "", "F", "P", "R");
    std::printf("%-5s %6.3f %6.3f %6.3f\n", "sum", r.summary.sum.fmeasure(), r.summary.sum.precision(),
                r.summary.sum.recall());
    std::printf("%-5s %6.3f %6.3f %6.3f\n", "mean", r.summary.meanFmeasure, r.summary.meanPrecision,
                r.summary.meanRecall);
}

template <typename F>
void guarded(F&& body) {
    try {
        body();
    } catch (const Cancelled&) {
        throw;
    } catch (const std::exception& e) {
        std::cerr << "sonolab-cli: " << e.what() << "\n";
        throw CommandFailed{1};
    }
}

}  // namespace

void addOnsetsCommands(CLI::App& app) {
    {
        struct Options {
            std::string file, method = "flux", format, out;
            bool json = false, activation = false;
        };
        auto o = std::make_shared<Options>();
        auto* cmd = app.add_subcommand("onsets", "Detect note onsets in an audio file and print their times (seconds)");
        cmd->add_option("FILE", o->file, "Audio file")->required();
        cmd->add_option("--method", o->method, "flux (spectral flux, the tutorial's 3a) or rnn:RUN (a trained run)");
        cmd->add_flag("--json", o->json, "Print JSON: file, method, fps, onsets (and the curve with --activation)");
        cmd->add_flag("--activation", o->activation, "With --json: include the detection function at fps");
        auto* format = addAnnotationFormatOption(cmd, o->format, "The onsets as an annotation file");
        cmd->add_option("--out", o->out,
                        "Write the annotation file here instead of printing it (format from --format, else from the "
                        "extension: .txt audacity, .csv sv-csv, .jams jams, .onsets)");
        format->excludes(cmd->get_option("--json"));
        cmd->get_option("--out")->excludes(cmd->get_option("--json"));
        cmd->callback([o] {
            guarded([&] {
                const auto d = detectOnsets(o->file, OnsetMethod::parse(o->method));
                if (!o->format.empty() || !o->out.empty()) {
                    annotations::WriteOptions w{.duration = d.durationSeconds,
                                                .title = fs::path(o->file).filename().string(),
                                                .tools = "sonolab-cli onsets --method " + d.method};
                    emitAnnotations({annotations::instants(d.times)}, o->format, o->out, w);
                } else if (o->json) {
                    nlohmann::json j{{"file", o->file}, {"method", d.method}, {"fps", d.fps},
                                     {"duration", d.durationSeconds}, {"threshold", d.threshold}, {"onsets", d.times}};
                    if (o->activation) j["activation"] = d.activation;
                    std::cout << j.dump() << "\n";
                } else {
                    for (double t : d.times) std::printf("%.3f\n", t);
                }
            });
        });
    }
    {
        struct Options {
            std::string data, out;
            std::size_t folds = 8, validationFold = 0;
            TrainOptions train;
        };
        auto o = std::make_shared<Options>();
        auto* cmd = app.add_subcommand("onsets-train", "Train the recurrent onset detector on an onset data set");
        cmd->add_option("--data", o->data, "ISMIR 2012 layout or a folder of audio with its onsets beside it (.onsets, or JAMS, Sonic Visualiser .csv, Audacity .txt)")->required();
        cmd->add_option("--out", o->out, "Run folder to write (onset-rnn.pt, curves.csv)")->required();
        cmd->add_option("--folds", o->folds, "Folds when the data set has no splits/");
        cmd->add_option("--validation-fold", o->validationFold, "Fold kept for early stopping");
        addTrainOptions(cmd, o->train);
        cmd->callback([o] {
            guarded([&] {
                const auto data = loadOnsetDataset(o->data, o->folds);
                auto config = experimentConfig(o->train, o->data);
                ml::OnsetRnnModel model(config.model, config.training.seed);
                EpochPrinter printer;
                printer.quiet = o->train.quiet;
                const auto r = trainRnnOnDataset(data, o->validationFold % data.folds.size(), config, model, o->out,
                                                 &printer);
                std::printf("%s after %d epochs (best %d): %s\n", std::string(ml::toString(r.state)).c_str(),
                            r.epochsCompleted, r.bestEpoch + 1, (fs::path(o->out) / ml::OnsetRnnModel::kFileName).c_str());
                if (r.state == ml::TrainingState::Failed) {
                    std::cerr << "sonolab-cli: " << r.message << "\n";
                    throw CommandFailed{1};
                }
            });
        });
    }
    {
        struct Options {
            std::string data, method = "flux", runs, detections, detected;
            std::size_t folds = 8, maxFolds = 0;
            std::vector<std::size_t> testFolds;
            bool json = false, perFile = false;
            TrainOptions train;
        };
        auto o = std::make_shared<Options>();
        auto* cmd = app.add_subcommand("onsets-evaluate",
                                       "Precision, recall, F-measure of onset detection over a data set (sum and mean)");
        cmd->add_option("--data", o->data, "ISMIR 2012 layout or a folder of audio with its onsets beside it (.onsets, or JAMS, Sonic Visualiser .csv, Audacity .txt)")->required();
        cmd->add_option("--method", o->method,
                        "flux, rnn (k-fold cross-validation: trains one model per fold) or rnn:RUN (a trained run)");
        cmd->add_option("--folds", o->folds, "Folds when the data set has no splits/");
        cmd->add_option("--max-folds", o->maxFolds, "rnn: test only the first N folds (0 = all)");
        cmd->add_option("--test-fold", o->testFolds, "Score only these test folds (0-based; repeatable); rnn trains one model per fold");
        cmd->add_option("--runs", o->runs, "rnn: keep each fold's run in RUNS/fold-K");
        cmd->add_flag("--json", o->json, "Print JSON");
        cmd->add_flag("--per-file", o->perFile, "Print every file's counts and scores");
        cmd->add_option("--detections", o->detections,
                        "Write each scored file's detected onsets to DIR/NAME.onsets (e.g. to score them elsewhere)");
        cmd->add_option("--detected", o->detected,
                        "Score onsets detected elsewhere (DIR/NAME.onsets per file, e.g. another program's) instead of "
                        "running --method");
        cmd->get_option("--detected")->excludes(cmd->get_option("--method"));
        addTrainOptions(cmd, o->train);
        cmd->callback([o] {
            guarded([&] {
                const auto data = loadOnsetDataset(o->data, o->folds);
                OnsetExperimentResult r;
                if (!o->detected.empty()) {
                    r = evaluateDetections(data, o->detected, {}, o->testFolds);
                } else if (o->method == "rnn") {
                    auto config = experimentConfig(o->train, o->data);
                    config.runsDir = o->runs;
                    config.maxFolds = o->maxFolds;
                    config.testFolds = o->testFolds;
                    config.onFold = [q = o->train.quiet](std::size_t k, std::size_t n) {
                        if (!q) std::fprintf(stderr, "test fold %zu (of %zu)\n", k, n);
                    };
                    EpochPrinter printer;
                    printer.quiet = o->train.quiet;
                    r = crossValidateRnn(data, config, &printer);
                } else {
                    const auto method = OnsetMethod::parse(o->method);
                    const fs::path cache =
                        o->train.cache.empty() ? fs::path(o->data) / ".sonolab-cache" / "onsets" : fs::path(o->train.cache);
                    r = evaluateMethod(data, method, {}, {}, method.kind == OnsetMethod::Kind::Rnn ? cache : fs::path{},
                                       nullptr, o->testFolds);
                }
                if (!o->detections.empty()) {
                    fs::create_directories(o->detections);
                    for (const auto& f : r.files)
                        writeOnsetsFile(fs::path(o->detections) / (f.name + ".onsets"), f.detections);
                }
                if (o->json) {
                    nlohmann::json j = scoresJson(r.summary);
                    j["method"] = r.method;
                    j["data"] = o->data;
                    j["folds"] = nlohmann::json::array();
                    for (const auto& f : r.folds) j["folds"].push_back(scoresJson(f));
                    j["per_file"] = nlohmann::json::array();
                    for (std::size_t i = 0; i < r.files.size(); ++i) {
                        const auto& c = r.files[i].counts;
                        j["per_file"].push_back({{"name", r.files[i].name}, {"fold", r.fileFold[i]},
                                                 {"tp", c.truePositives}, {"fp", c.falsePositives},
                                                 {"fn", c.falseNegatives}, {"precision", c.precision()},
                                                 {"recall", c.recall()}, {"f", c.fmeasure()}});
                    }
                    std::cout << j.dump(1) << "\n";
                } else {
                    printScores(r, o->perFile);
                }
            });
        });
    }
}

}  // namespace sonolab::cli
