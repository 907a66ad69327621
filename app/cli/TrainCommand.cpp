// `sonolab-cli train --db LIB --task TASK --model NAME --out RUN`: trains a model on the library's labelled tracks
// (features from the cache, extracted first where missing), evaluates it on the split's test part and stores the run.
// `train --data DIR --model NAME --out RUN` trains on a folder written by `export-dataset` instead: that form needs
// libtorch alone and is all a SONOLAB_TRAINING_ONLY build (a GPU server) has.
// Progress on stderr; the final metrics on stdout (JSON with --json). Ctrl-C stops after the current batch; the run
// then resumes with --resume.
// Started by torchrun (or srun) the command is one rank of a data-parallel job (docs/distributed.md): the launcher's
// environment says which; rank 0 reports and writes the run folder, the others train their shards quietly.
#include "Commands.h"
#include "core/pipeline/MetricsJson.h"

#include "core/ml/DatasetFolder.h"
#include "core/ml/ArchitectureCatalog.h"
#include "core/ml/DistributedConfig.h"
#include "core/ml/Predictor.h"
#include "core/ml/SavedModel.h"
#include "core/ml/Trainer.h"
#include "core/ml/TrainingConfig.h"
#include "core/util/Progress.h"
#ifndef SONOLAB_TRAINING_ONLY
#include "core/pipeline/LibraryTraining.h"
#endif
#include "core/util/Error.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <memory>
#include <optional>

namespace sonolab::cli {
using namespace sonolab::pipeline;  // MetricsJson.h
namespace {

volatile std::sig_atomic_t gStop = 0;
extern "C" void onTrainInterrupt(int) { gStop = 1; }

struct TrainOptions {
    std::string db, data, task, model, out, split, cache;
    int epochs = 10, batchSize = 32, threads = 0, patience = 0, window = 0;
    double lr = 0, weightDecay = 0, momentum = 0.9;
    std::uint64_t seed = 42;
    std::string optimizer = "adam", schedule = "constant", device = "auto", layout = "auto", standardization = "per_band";
    bool json = false, quiet = false, resume = false, classWeighting = false, augment = false;
    // Data-parallel: what the launcher's environment does not say (DistributedConfig.h).
    std::string masterAddr, stepLog;
    int masterPort = 0;
    double distTimeout = 60;
    bool syncBn = false;
    ml::DistributedConfig distributed;  // filled from the environment when the command runs
    // The recipe for small labelled sets (LearningRateSchedule.h, Mixup.h).
    int warmup = 0;
    double mixup = 0;
    bool lastEpoch = false;
    // From a pretrained encoder (`pretrain`), and batch augmentations (SpectrogramAugmentation.h).
    std::string init, augmentations;
    bool freeze = false;
    int probeEpochs = 0;
    double fineTuneLr = 0;
};

struct TerminalObserver : ml::TrainingObserver {
    bool quiet = false, tty = false;
    std::string rank;  // "rank 1 of 2: " before state lines of a job's other ranks
    ml::Trainer* trainer = nullptr;
    std::unique_ptr<std::ofstream> steps;  // --step-log
    void onBatch(const ml::BatchReport& r) override {
        if (gStop && trainer) trainer->requestStop();
        // Flushed per line: a run that dies keeps its steps, and a reader sees them as they come.
        if (steps) *steps << r.step << ',' << r.epoch << ',' << r.batch << ',' << std::setprecision(17) << r.loss << std::endl;
        if (quiet || !tty) return;
        std::fprintf(stderr, "\repoch %d  batch %d/%d  loss %.4f  %.0f samples/s   ", r.epoch + 1, r.batch + 1, r.batches,
                     r.loss, r.samplesPerSecond);
    }
    void onEpoch(const ml::EpochReport& r) override {
        if (quiet) return;
        std::string metrics;
        for (const char* k : {"accuracy", "balanced_accuracy", "macro_f1", "roc_auc"}) {
            auto it = r.metrics.find(k);
            if (it != r.metrics.end()) metrics += "  " + std::string(k) + " " + std::to_string(it->second).substr(0, 6);
        }
        std::fprintf(stderr, "%sepoch %d/%d  train loss %.4f%s%s  lr %.2g  %.1f s (%.0f samples/s)%s\n", tty ? "\r" : "",
                     r.epoch + 1, r.epochs, r.trainLoss,
                     r.validationLoss ? ("  validation loss " + std::to_string(*r.validationLoss).substr(0, 6)).c_str() : "",
                     metrics.c_str(), r.learningRate, r.seconds, r.samplesPerSecond, r.best ? "  *" : "");
    }
    void onStateChanged(ml::TrainingState s, const std::string& message) override {
        if (!quiet || (!rank.empty() && s == ml::TrainingState::Failed))
            std::fprintf(stderr, "%s%s[%s] %s\n", tty ? "\r" : "", rank.c_str(), std::string(ml::toString(s)).c_str(),
                         message.c_str());
    }
};

ml::TrainingConfig trainingConfig(const TrainOptions& o) {
    ml::TrainingConfig c;
    c.runDir = o.out;
    c.epochs = o.epochs;
    c.batchSize = o.batchSize;
    c.threads = o.threads;
    c.seed = o.seed;
    c.optimizer = ml::parseOptimizer(o.optimizer);
    c.schedule = ml::parseSchedule(o.schedule);
    c.device = ml::parseDevice(o.device);
    c.layout = ml::parseLayout(o.layout);
    c.standardization = ml::parseStandardizationMode(o.standardization);
    c.learningRate = o.lr > 0 ? o.lr : (c.optimizer == ml::OptimizerKind::Sgd ? 0.01 : 1e-3);
    c.weightDecay = o.weightDecay;
    c.momentum = o.momentum;
    c.earlyStoppingPatience = o.patience;
    c.classWeighting = o.classWeighting;
    c.windowFrames = std::size_t(std::max(0, o.window));
    c.distributed = o.distributed;
    c.warmupEpochs = std::max(0, o.warmup);
    c.mixupAlpha = std::max(0.0, o.mixup);
    c.restoreBest = !o.lastEpoch;
    c.initRun = o.init;
    c.freezeEncoder = o.freeze;
    c.probeEpochs = std::max(0, o.probeEpochs);
    c.fineTuneLearningRate = std::max(0.0, o.fineTuneLr);
    c.spectrogramAugmentation = ml::SpectrogramAugmentation::parse(o.augmentations);
    // The older flag's gain and masks come from the one augmentation module too (with or beside --augmentations).
    if (o.augment) c.spectrogramAugmentation.add(ml::SpectrogramAugmentation::parse("gain,fmask,tmask"));
    return c;
}

// What both forms print: the outcome, then the test report when there is one.
struct TrainOutcome {
    ml::TrainingResult training;
    std::optional<ml::ClassificationReport> test;
    std::size_t trainExamples = 0, validationExamples = 0, testExamples = 0;
    std::int64_t runId = 0;
    std::string task;
};

// Ctrl-C asks the trainer to stop after the current batch (the checkpoint stays; --resume continues).
template <typename Work>
auto withInterruptHandler(Work work) {
    struct sigaction action {}, previous{};
    action.sa_handler = onTrainInterrupt;
    ::sigaction(SIGINT, &action, &previous);
    try {
        auto r = work();
        ::sigaction(SIGINT, &previous, nullptr);
        return r;
    } catch (...) {
        ::sigaction(SIGINT, &previous, nullptr);
        throw;
    }
}

TrainOutcome trainOnFolder(const TrainOptions& o, const ml::ModelSpec& model, TerminalObserver& observer) {
    ml::DatasetFolder data = ml::readDatasetFolder(o.data);
    ml::TrainingConfig config = trainingConfig(o);
    if (config.windowFrames == 0) config.windowFrames = data.info.windowFrames;
    config.featureSpec = data.info.featureSpec;
    config.datasetName = data.info.name;
    if (data.train.empty()) throw fileError(o.data, "has no training examples");
    TrainOutcome r;
    r.task = data.info.task.toString();
    r.trainExamples = data.train.size();
    r.validationExamples = data.validation.size();
    r.testExamples = data.test.size();
    ml::Trainer trainer(model, config, data.train, data.validation.empty() ? nullptr : &data.validation, &observer);
    if (o.resume) trainer.resumeFrom(config.runDir);
    observer.trainer = &trainer;
    r.training = withInterruptHandler([&] { return trainer.run(); });
    // The test split is evaluated once, by rank 0, on the model it saved: figures of the whole split.
    if (r.training.state == ml::TrainingState::Finished && !data.test.empty() && o.distributed.writes() &&
        ml::isRunFolder(config.runDir)) {
        const auto predictor = ml::Predictor::load(config.runDir);
        std::vector<std::vector<float>> probabilities, targets;
        for (std::size_t i = 0; i < data.test.size(); ++i) {
            probabilities.push_back(predictor.predict(data.test.features(i)).probabilities);
            targets.push_back(data.test.info(i).target);
        }
        r.test = ml::evaluate(predictor.info().task, probabilities, targets);
        ml::updateSavedMetrics(config.runDir, r.test->asMap(), "test_");
    }
    return r;
}

#ifndef SONOLAB_TRAINING_ONLY
TrainOutcome trainOnLibrary(const TrainOptions& o, const ml::ModelSpec& model, TerminalObserver& observer, bool tty) {
    pipeline::LibraryTrainingRequest request;
    request.library = o.db;
    request.task = o.task;
    request.split = o.split;
    request.model = model;
    request.featureCache = o.cache;
    request.resume = o.resume;
    request.config = trainingConfig(o);
    Progress progress;
    progress.report = [&](double done, double total, const std::string&) {
        if (gStop) progress.cancel.cancel();
        if (!o.quiet && tty) std::fprintf(stderr, "\rfeatures %.0f/%.0f   ", done, total);
    };
    auto lr = withInterruptHandler([&] {
        return pipeline::trainFromLibrary(request, &observer, &progress,
                                          [&](ml::Trainer& t) { observer.trainer = &t; });
    });
    for (const auto& f : lr.failedFiles) std::fprintf(stderr, "left out %s\n", f.c_str());
    TrainOutcome r;
    r.training = lr.training;
    if (lr.test) r.test = lr.test->report;
    r.trainExamples = lr.trainExamples;
    r.validationExamples = lr.validationExamples;
    r.testExamples = lr.testExamples;
    r.runId = lr.runId;
    r.task = o.task;
    return r;
}
#endif

// The launcher's environment, with what the options add or override.
ml::DistributedConfig distributedConfig(const TrainOptions& o) {
    ml::DistributedConfig d = ml::distributedFromEnvironment();
    if (!o.masterAddr.empty()) d.masterAddr = o.masterAddr;
    if (o.masterPort > 0) d.masterPort = o.masterPort;
    if (!(o.distTimeout > 0)) throw Error("train --dist-timeout", "must be positive (seconds)");
    d.timeoutSeconds = o.distTimeout;
    d.syncBatchNorm = o.syncBn;
    if (d.enabled() && !o.db.empty())
        throw Error("train --db", "a data-parallel job trains on a folder: export it with `sonolab-cli export-dataset` "
                                  "and pass --data DIR (each rank reads it; the library is not shared between ranks)");
    return d;
}

void openStepLog(const TrainOptions& o, TerminalObserver& observer) {
    if (o.stepLog.empty() || !o.distributed.writes()) return;
    observer.steps = std::make_unique<std::ofstream>(o.stepLog);
    if (!*observer.steps) throw fileError(o.stepLog, "cannot be written");
    *observer.steps << "step,epoch,batch,loss" << std::endl;
}

void runTrain(TrainOptions& o) {
    if (o.db.empty() == o.data.empty()) throw Error("train", "give either --db LIB --task TASK or --data DIR");
    o.distributed = distributedConfig(o);
    if (!o.db.empty() && o.task.empty()) throw Error("train", "--db needs --task (e.g. binary:speech)");
    const auto model = ml::ModelSpec::parse(o.model);
    ml::architectureInfo(model.architecture);  // unknown model: fail before extracting
    if (!o.resume && ml::Trainer::hasCheckpoint(o.out))
        throw Error(o.out, "already holds a training run: pass --resume to continue it, or choose another --out");

    const bool tty = ::isatty(STDERR_FILENO);
    TerminalObserver observer;
    const bool reports = o.distributed.writes();  // a job's other ranks say only what went wrong
    observer.quiet = o.quiet || !reports;
    observer.tty = tty && reports;
    if (o.distributed.enabled()) observer.rank = rankLabel(o.distributed) + ": ";
    openStepLog(o, observer);
#ifndef SONOLAB_TRAINING_ONLY
    const TrainOutcome r = o.data.empty() ? trainOnLibrary(o, model, observer, tty) : trainOnFolder(o, model, observer);
#else
    const TrainOutcome r = trainOnFolder(o, model, observer);
#endif

    nlohmann::json out = {{"state", ml::toString(r.training.state)},
                          {"message", r.training.message},
                          {"run", std::filesystem::absolute(o.out).string()},
                          {"model", model.toString()},
                          {"task", r.task},
                          {"device", r.training.device},
                          {"epochs", r.training.epochsCompleted},
                          {"best_epoch", r.training.bestEpoch + 1},
                          {"examples", {{"train", r.trainExamples}, {"validation", r.validationExamples}, {"test", r.testExamples}}},
                          {"validation", metricsToJson(r.training.finalMetrics)},
                          {"history", historyToJson(r.training.history)}};
    if (r.runId) out["run_id"] = r.runId;
    if (o.distributed.enabled()) out["ranks"] = o.distributed.worldSize;
    if (r.test) out["test"] = reportToJson(*r.test);
    if (!reports) {
    } else if (o.json) std::printf("%s\n", out.dump(2).c_str());
    else {
        std::printf("train: %s after %d epoch(s) on %s; run folder %s\n", std::string(ml::toString(r.training.state)).c_str(),
                    r.training.epochsCompleted, r.training.device.c_str(), o.out.c_str());
        if (r.test) printReport(*r.test, "test");
    }
    if (r.training.state == ml::TrainingState::Stopped) throw CommandFailed{130};
    if (r.training.state == ml::TrainingState::Failed) {
        // A job's other ranks have said it already (TerminalObserver, with their rank).
        if (!o.json && reports) std::fprintf(stderr, "sonolab-cli: %s%s\n", observer.rank.c_str(), r.training.message.c_str());
        throw CommandFailed{2};
    }
}

}  // namespace

void addTrainCommand(CLI::App& app) {
    auto o = std::make_shared<TrainOptions>();
    auto* cmd = app.add_subcommand("train", "Train a model on the library's labelled tracks, evaluate it on the test split");
#ifndef SONOLAB_TRAINING_ONLY
    auto* db = cmd->add_option("--db", o->db, "Library file")->check(CLI::ExistingFile);
    cmd->add_option("--task", o->task, "binary:LABEL | single:A,B,C | multi:T1,T2,... (+ @LABELSET)");
    cmd->add_option("--split", o->split, "Split name in the library (default: its only split)");
    cmd->add_option("--cache", o->cache, "Feature cache folder (default: LIB.features)");
    cmd->add_option("--data", o->data, "A folder written by `export-dataset`, instead of --db/--task")
        ->check(CLI::ExistingDirectory)
        ->excludes(db);
#else
    cmd->add_option("--data", o->data, "A folder written by `sonolab-cli export-dataset`")
        ->check(CLI::ExistingDirectory)
        ->required();
#endif
    cmd->add_option("--model", o->model,
                    "tutorial_cnn | mirex2015 | parallel_cnn | compact_cnn | dense | short_chunk_resnet [:key=value,...]")
        ->required();
    cmd->add_option("--out", o->out, "Run folder to create (model, checkpoints, curves)")->required();
    cmd->add_option("--epochs", o->epochs, "Epochs")->capture_default_str();
    cmd->add_option("--batch-size", o->batchSize, "Batch size")->capture_default_str();
    cmd->add_option("--lr", o->lr, "Learning rate (default 1e-3 for adam/nadam, 0.01 for sgd)");
    cmd->add_option("--seed", o->seed, "Random seed")->capture_default_str();
    cmd->add_option("--threads", o->threads, "Intra-op threads (0 = all cores)")->capture_default_str();
    cmd->add_option("--optimizer", o->optimizer, "sgd | adam | nadam")->capture_default_str();
    cmd->add_option("--schedule", o->schedule, "constant | step | cosine | plateau")->capture_default_str();
    cmd->add_option("--momentum", o->momentum, "SGD momentum")->capture_default_str();
    cmd->add_option("--weight-decay", o->weightDecay, "L2 weight decay")->capture_default_str();
    cmd->add_option("--patience", o->patience, "Early stopping after N epochs without validation improvement (0 = off)")
        ->capture_default_str();
    cmd->add_option("--window", o->window, "Crop length in frames (default: the model's input)");
    cmd->add_option("--standardization", o->standardization, "none | global | per_band | per_element")
        ->capture_default_str();
    cmd->add_option("--device", o->device, "auto | cpu | cuda")->capture_default_str();
    cmd->add_option("--layout", o->layout, "Convolution weight layout: auto | contiguous | channels-last")
        ->capture_default_str();
    cmd->add_flag("--class-weighting", o->classWeighting, "Weight classes inversely to their frequency");
    cmd->add_flag("--augment", o->augment,
                  "Random gain and time/frequency masks on training crops (as --augmentations gain,fmask,tmask)");
    cmd->add_option("--warmup", o->warmup, "Epochs of linear learning-rate warm-up (per batch); cosine decays after them")
        ->capture_default_str();
    cmd->add_option("--mixup", o->mixup, "Mixup alpha (batches mixed with lambda ~ Beta(alpha, alpha)); 0 = off")
        ->capture_default_str();
    cmd->add_flag("--last-epoch", o->lastEpoch,
                  "Keep the last epoch's model even with a validation split (default: the best epoch's). The "
                  "Training tab's default: on small labelled sets it measured well above the best epoch (README)");
    auto* init = cmd->add_option("--init", o->init, "Start the encoder from this run folder (e.g. one `pretrain` wrote; "
                                                    "same model and features)");
    cmd->add_flag("--freeze", o->freeze, "With --init: keep the encoder fixed and train the classifier layer alone "
                                         "(a linear probe)")
        ->needs(init);
    auto* probe = cmd->add_option("--probe-epochs", o->probeEpochs,
                                  "With --init: train the classifier layer alone for N epochs, then every layer (LP-FT: "
                                  "fine-tuning from a fitted head keeps more of the pretrained encoder); 0 = off")
                      ->needs(init)
                      ->excludes("--freeze");
    cmd->add_option("--fine-tune-lr", o->fineTuneLr,
                    "With --probe-epochs: the learning rate once every layer trains (default: --lr)")
        ->needs(probe);
    cmd->add_option("--augmentations", o->augmentations,
                    "Batch augmentations of the spectrogram: comma list of tmask, fmask, gain, stretch, shift, mix; "
                    "all; none (default none)");
    cmd->add_flag("--resume", o->resume, "Continue the run in --out from its last checkpoint");
    cmd->add_flag("--json", o->json, "Final metrics as JSON on stdout");
    cmd->add_option("--step-log", o->stepLog, "Write every step's loss (step,epoch,batch,loss) to this CSV file");
    auto* dist = "Data-parallel (under torchrun or srun; see docs/distributed.md)";
    cmd->add_option("--master-addr", o->masterAddr, "Host of rank 0's rendezvous (default: $MASTER_ADDR, else 127.0.0.1)")
        ->group(dist);
    cmd->add_option("--master-port", o->masterPort, "Its TCP port (default: $MASTER_PORT, else 29500)")->group(dist);
    cmd->add_option("--dist-timeout", o->distTimeout,
                    "Seconds a rank waits for the others before it stops with an error (a rank died or hangs)")
        ->capture_default_str()
        ->group(dist);
    cmd->add_flag("--sync-bn", o->syncBn,
                  "Average batch-norm running statistics over the ranks each epoch (batch statistics stay per rank); "
                  "default: rank 0's, as PyTorch DDP broadcasts them")
        ->group(dist);
    cmd->add_flag("--quiet,-q", o->quiet, "No progress output");
    cmd->footer("Exit status: 0 finished, 2 training failed (e.g. NaN loss, a lost rank), 130 stopped (resume with "
                "--resume).\nData-parallel: torchrun --no-python --nproc-per-node 2 sonolab-cli train --data DIR ...");
    cmd->callback([o] { runTrain(*o); });
}

}  // namespace sonolab::cli
