// `sonolab-cli pretrain --db LIB --model compact_cnn --out RUN [--epochs N]`: self-supervised contrastive pretraining
// on every track of the library (core/pipeline/LibraryPretraining.h). Progress on stderr, the outcome on stdout (JSON
// with --json). Ctrl-C stops after the current batch and keeps the last epoch's checkpoint and model; --resume goes on.
// The run folder is then a similarity space (`similar --space run:RUN`) and a start for `train --init RUN`.
#include "Commands.h"
#include "InterruptFlag.h"

#include "core/ml/ArchitectureCatalog.h"
#include "core/pipeline/LibraryPretraining.h"
#include "core/pipeline/MetricsJson.h"
#include "core/util/Error.h"
#include "core/util/Progress.h"
#include "core/util/Text.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace sonolab::cli {
namespace {

struct PretrainOptions {
    std::string db, model = "compact_cnn", out, cache, standardization = "per_band", device = "auto";
    int epochs = 0, steps = 0, threads = 0, cropFrames = 0;
    double cropSeconds = 0, weightDecay = 1e-6;
    std::uint64_t seed = 42;
    bool json = false, quiet = false, resume = false;
    // What a resume takes from its run unless the command line gives it again (setResumableSettings below). The
    // numbers are bound straight into a PretrainingConfig, so its defaults are the CLI's; three are parsed from text.
    ml::PretrainingConfig resumable;
    std::string augmentations = resumable.augmentation.toString(), pairBy{ml::toString(resumable.pairBy)},
                schedule{ml::toString(resumable.training.schedule)};
    const CLI::App* command = nullptr;  // to tell a setting given on the command line from its default
    bool given(const char* option) const { return command && command->count(option) > 0; }
};

// Sets the options a resume keeps from its run (pipeline::PretrainingOfRun): each one for which `take(option)` is true.
template <class Take>
void setResumableSettings(const PretrainOptions& o, ml::PretrainingConfig& c, Take take) {
    const ml::PretrainingConfig& r = o.resumable;
    if (take("--lr")) c.training.learningRate = r.training.learningRate;
    if (take("--batch-size")) c.training.batchSize = r.training.batchSize;
    if (take("--temperature")) c.temperature = r.temperature;
    if (take("--projection")) c.projectionDim = r.projectionDim;
    if (take("--augmentations")) c.augmentation = ml::SpectrogramAugmentation::parse(o.augmentations);
    if (take("--pair-by")) c.pairBy = ml::parsePairBy(o.pairBy);
    if (take("--schedule")) c.training.schedule = ml::parseSchedule(o.schedule);
    if (take("--warmup")) c.training.warmupEpochs = r.training.warmupEpochs;
}

struct PretrainObserver : ml::TrainingObserver {
    const InterruptFlag* interrupt = nullptr;
    ml::Pretrainer* pretrainer = nullptr;
    bool quiet = false, tty = false;
    void onBatch(const ml::BatchReport& r) override {
        if (interrupt && interrupt->raised() && pretrainer) pretrainer->requestStop();
        if (quiet || !tty) return;
        std::fprintf(stderr, "\repoch %d  batch %d/%d  loss %.4f  %.0f tracks/s   ", r.epoch + 1, r.batch + 1, r.batches,
                     r.loss, r.samplesPerSecond);
    }
    void onEpoch(const ml::EpochReport& r) override {
        if (quiet) return;
        const auto acc = r.metrics.find("pair_accuracy");
        std::fprintf(stderr, "%sepoch %d/%d  loss %.4f  pair accuracy %.3f  %.1f s (%.0f tracks/s)\n", tty ? "\r" : "",
                     r.epoch + 1, r.epochs, r.trainLoss, acc == r.metrics.end() ? 0.0 : acc->second, r.seconds,
                     r.samplesPerSecond);
    }
    void onStateChanged(ml::TrainingState s, const std::string& message) override {
        if (!quiet) std::fprintf(stderr, "%s[%s] %s\n", tty ? "\r" : "", std::string(ml::toString(s)).c_str(), message.c_str());
    }
};

void runPretrain(const PretrainOptions& o) {
    pipeline::LibraryPretrainingRequest request;
    request.library = o.db;
    request.model = ml::ModelSpec::parse(o.model);
    ml::architectureInfo(request.model.architecture);  // an unknown model fails before extraction
    request.featureCache = o.cache;
    request.resume = o.resume;
    request.extractionThreads = o.threads;
    ml::PretrainingConfig& c = request.config;
    c.training.runDir = o.out;
    // Neither --epochs nor --steps: kDefaultPretrainingSteps, however large the library (README: precision@10 on the
    // demo rose from 0.51 after 80 steps to 0.62 after 1,200 by track, and to 0.68-0.70 after 3,000 by group and
    // 0.71-0.72 after 6,000, 0.73-0.74 at PretrainingConfig's rate of 2e-3).
    c.training.epochs = std::max(1, o.epochs);
    c.steps = std::size_t(o.steps > 0 ? o.steps : o.epochs > 0 ? 0 : ml::kDefaultPretrainingSteps);
    c.training.weightDecay = o.weightDecay;
    c.training.seed = o.seed;
    c.training.threads = o.threads;
    c.training.device = ml::parseDevice(o.device);
    c.training.standardization = ml::parseStandardizationMode(o.standardization);
    setResumableSettings(o, c, [](const char*) { return true; });
    if (o.resume && ml::isPretrainedRun(o.out)) {  // the run goes on as it started, unless told otherwise
        pipeline::pretrainingOfRun(o.out).applyTo(c);
        setResumableSettings(o, c, [&](const char* option) { return o.given(option); });
    }
    if (o.cropSeconds > 0 && o.cropFrames > 0) throw Error("pretrain", "give --crop-seconds or --crop-frames, not both");
    if (o.cropFrames > 0) c.cropFrames = std::size_t(o.cropFrames);
    if (o.cropSeconds > 0) {
        const auto mf = pipeline::defaultModelFeatures(request.model.architecture);
        c.cropFrames = std::size_t(std::max(8.0, o.cropSeconds * mf.options.sampleRate / mf.options.hop));
    }

    const InterruptFlag interrupt;
    PretrainObserver observer;
    observer.interrupt = &interrupt;
    observer.quiet = o.quiet;
    observer.tty = ::isatty(STDERR_FILENO);
    Progress progress;
    progress.report = [&](double done, double total, const std::string&) {
        if (interrupt.raised()) progress.cancel.cancel();
        if (!o.quiet && observer.tty) std::fprintf(stderr, "\rfeatures %.0f/%.0f   ", done, total);
    };
    const auto r = pipeline::pretrainOnLibrary(request, &observer, &progress,
                                               [&](ml::Pretrainer& p) { observer.pretrainer = &p; });
    for (const auto& f : r.failedFiles) std::fprintf(stderr, "left out %s\n", f.c_str());
    const int steps = r.training.epochsCompleted * ml::pretrainingStepsPerEpoch(r.pairingUnits, c.training.batchSize);
    const std::string advice =
        ml::fewStepsAdvice(r.training.epochsCompleted, c.training.batchSize, r.pairingUnits, r.tracks);
    if (!o.quiet && r.training.state == ml::TrainingState::Finished && !advice.empty())
        std::fprintf(stderr, "note: %s (--epochs N or --steps N)\n", advice.c_str());

    nlohmann::json out = {{"state", ml::toString(r.training.state)},
                          {"message", r.training.message},
                          {"run", std::filesystem::absolute(o.out).string()},
                          {"model", request.model.toString()},
                          {"device", r.training.device},
                          {"epochs", r.training.epochsCompleted},
                          {"steps", steps},
                          {"tracks", r.tracks},
                          {"pair_by", ml::toString(c.pairBy)},
                          {"schedule", ml::toString(c.training.schedule)},
                          {"pairing_units", r.pairingUnits},
                          {"hours", r.hours},
                          {"run_id", r.runId},
                          {"metrics", pipeline::metricsToJson(r.training.finalMetrics)},
                          {"history", pipeline::historyToJson(r.training.history)}};
    if (o.json) std::printf("%s\n", out.dump(2).c_str());
    else
        std::printf("pretrain: %s after %d epoch(s) (%d steps) on %zu tracks (%.2f h) on %s; run folder %s (space "
                    "run:%s)\n",
                    std::string(ml::toString(r.training.state)).c_str(), r.training.epochsCompleted, steps, r.tracks, r.hours,
                    r.training.device.c_str(), o.out.c_str(), o.out.c_str());
    if (r.training.state == ml::TrainingState::Stopped) throw CommandFailed{130};
    if (r.training.state == ml::TrainingState::Failed) {
        if (!o.json) std::fprintf(stderr, "sonolab-cli: %s\n", r.training.message.c_str());
        throw CommandFailed{2};
    }
}

}  // namespace

void addPretrainCommand(CLI::App& app) {
    auto o = std::make_shared<PretrainOptions>();
    auto* cmd = app.add_subcommand("pretrain", "Self-supervised (contrastive) pretraining of an encoder on every track "
                                               "of the library, labelled or not");
    cmd->add_option("--db", o->db, "Library file")->check(CLI::ExistingFile)->required();
    cmd->add_option("--model", o->model, "Encoder architecture: compact_cnn | tutorial_cnn | mirex2015 | parallel_cnn | "
                                         "short_chunk_resnet [:key=value,...]")
        ->capture_default_str();
    cmd->add_option("--out", o->out, "Run folder to create (model, checkpoint, curves)")->required();
    cmd->add_option("--cache", o->cache, "Feature cache folder (default: LIB.features)");
    auto* epochs = cmd->add_option("--epochs", o->epochs,
                                   "Epochs (each sees every track once, as two crops); default: as many as " +
                                       std::to_string(ml::kDefaultPretrainingSteps) + " steps take")
                       ->check(CLI::Range(1, 1'000'000));
    cmd->add_option("--steps", o->steps, "Optimizer steps to take, rounded up to whole epochs (a small library needs "
                                         "many epochs; default " + std::to_string(ml::kDefaultPretrainingSteps) + ")")
        ->check(CLI::Range(1, 100'000'000))
        ->excludes(epochs);
    const std::string orResumed = ", or the resumed run's own";
    // CLI::PositiveNumber on a double names its range up to DBL_MAX, 300 digits long: say it in words.
    const CLI::Validator aboveZero(
        [](std::string& text) {
            char* end = nullptr;
            const double v = std::strtod(text.c_str(), &end);
            return end != text.c_str() && *end == '\0' && !(v > 0) ? std::string("must be above 0") : std::string();
        },
        "POSITIVE");
    ml::PretrainingConfig& r = o->resumable;
    cmd->add_option("--batch-size", r.training.batchSize,
                    "Tracks per step (the other tracks are the negatives). Default: " +
                        std::to_string(r.training.batchSize) + orResumed)
        ->check(CLI::Range(2, 1'000'000));
    cmd->add_option("--crop-seconds", o->cropSeconds, "Crop length in seconds (default: the model's input)");
    cmd->add_option("--crop-frames", o->cropFrames, "Crop length in frames (default: the model's input)");
    cmd->add_option("--pair-by", o->pairBy,
                    "What two crops of a pair come from: one track, or one group (the clips of one source track; "
                    "tracks without a group stand alone). Default: " +
                        o->pairBy + orResumed)
        ->check(CLI::IsMember({"track", "group"}));
    cmd->add_option("--temperature", r.temperature,
                    "NT-Xent temperature. Default: " + shortestText(r.temperature) + orResumed)
        ->check(aboveZero);
    cmd->add_option("--projection", r.projectionDim,
                    "Width of the projection head's output. Default: " + std::to_string(r.projectionDim) + orResumed)
        ->check(CLI::Range(1, 1'000'000));
    cmd->add_option("--augmentations", o->augmentations,
                    "Comma list of tmask, fmask, gain, stretch, shift, mix; all; none. Default: " + o->augmentations +
                        orResumed);
    cmd->add_option("--lr", r.training.learningRate,
                    "Learning rate (Adam). Default: " + shortestText(r.training.learningRate) + orResumed)
        ->check(aboveZero);
    cmd->add_option("--schedule", o->schedule,
                    "Learning rate over the epochs: constant | step | cosine. Default: " +
                        o->schedule + orResumed)
        ->check(CLI::IsMember({"constant", "step", "cosine"}));
    cmd->add_option("--warmup", r.training.warmupEpochs,
                    "Epochs of linear learning-rate warm-up (per step); cosine decays after them. Default: " +
                        std::to_string(r.training.warmupEpochs) + orResumed)
        ->check(CLI::Range(0, 1'000'000));
    cmd->add_option("--weight-decay", o->weightDecay, "L2 weight decay")->capture_default_str();
    cmd->add_option("--seed", o->seed, "Random seed")->capture_default_str();
    cmd->add_option("--threads", o->threads, "Intra-op and extraction threads (0 = all cores)")->capture_default_str();
    cmd->add_option("--standardization", o->standardization, "none | global | per_band")->capture_default_str();
    cmd->add_option("--device", o->device, "auto | cpu | cuda")->capture_default_str();
    cmd->add_flag("--resume", o->resume, "Continue the run in --out from its last checkpoint");
    cmd->add_flag("--json", o->json, "The outcome as JSON on stdout");
    cmd->add_flag("--quiet,-q", o->quiet, "No progress output");
    cmd->footer("Exit status: 0 finished, 2 failed, 130 stopped (Ctrl-C; continue with --resume).");
    o->command = cmd;
    cmd->callback([o] { runPretrain(*o); });
}

}  // namespace sonolab::cli
