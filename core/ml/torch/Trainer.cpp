#include "core/ml/torch/TorchBackends.h"

#include "core/ml/torch/BatchLoader.h"
#include "core/ml/Metrics.h"
#include "core/ml/torch/FusedAdam.h"
#include "core/ml/torch/Nadam.h"
#include "core/ml/SavedModel.h"
#include "core/ml/torch/TorchExtension.h"
#include "core/ml/torch/TorchSupport.h"
#include "core/ml/TrainingHistory.h"
#include "core/util/AtomicFile.h"
#include "core/util/Error.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <numeric>
#include <sstream>

namespace sonolab::ml {
namespace {

constexpr const char* kCheckpoint = Trainer::kCheckpointFile;
constexpr const char* kWeights = "model.pt";

using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

struct StopRun {
    TrainingState state;
    std::string message;
};

}  // namespace

class TorchTrainer final : public TrainerBackend {
public:
    ModelSpec spec;
    TrainingConfig config;
    Dataset& train;
    Dataset* validation;
    TrainingObserver* observer;
    const ModelFactory& factory = ModelFactory::all();
    const LossRegistry* losses;

    std::filesystem::path resumeDir;
    std::atomic<bool> stopRequested{false};
    std::atomic<bool> pauseRequested{false};
    mutable std::mutex pauseMutex;
    std::condition_variable pauseChanged;

    torch::Device device{torch::kCPU};
    MemoryLayout layout = MemoryLayout::Contiguous;  // resolved from config.layout
    std::shared_ptr<Network> net;
    std::unique_ptr<torch::optim::Optimizer> optimizer;
    torch::Tensor positiveWeights, classWeights;
    const LossFunction* customLoss = nullptr;
    InputShape shape;
    std::size_t outputs = 0;

    // Progress, all of it in the checkpoint.
    int epochsDone = 0;
    std::int64_t step = 0;
    double learningRate = 0;
    double bestLoss = std::numeric_limits<double>::infinity();
    int bestEpoch = -1;
    int epochsSinceBest = 0;
    int plateauCount = 0;
    std::vector<EpochReport> history;

    TorchTrainer(ModelSpec s, TrainingConfig c, Dataset& t, Dataset* v, TrainingObserver* o, const LossRegistry* l);

    void resumeFrom(const std::filesystem::path& runDir) override;
    TrainingResult run() override;
    void requestStop() override;
    void pause() override;
    void resume() override;
    bool paused() const override;
    std::string deviceDescription() const override;
    std::vector<float> flatParameters() const override;
    std::size_t parameterCount() const override;
    MemoryLayout memoryLayout() const override;

    void setState(TrainingState s, const std::string& message) {
        if (observer) observer->onStateChanged(s, message);
    }

    void prepare();
    void buildOptimizer();
    void loadCheckpoint(const std::filesystem::path& dir);
    void writeCheckpoint() const;
    void writeModel(const std::string& reason) const;
    double scheduledRate(int epoch) const;
    torch::Tensor loss(const torch::Tensor& output, const torch::Tensor& target) const;
    torch::Tensor probabilities(const torch::Tensor& output) const;
    void waitWhilePaused();
    double trainEpoch(int epoch, double& samplesPerSecond);
    std::pair<double, std::map<std::string, double>> validate();
    TrainingResult result(TrainingState state, std::string message) const;
};

void TorchTrainer::prepare() {
    device = chooseDevice(config.device);

    if (train.empty()) throw Error("data set '" + train.name() + "'", "the training set is empty");
    train.setWindowFrames(config.windowFrames);
    shape = train.inputShape();
    outputs = train.task().outputs();
    if (validation) {
        if (validation->empty()) validation = nullptr;
        else {
            validation->setWindowFrames(config.windowFrames);
            if (validation->inputShape() != shape)
                throw Error("data set '" + validation->name() + "'", "validation examples differ in shape from training");
            if (validation->task().outputs() != outputs)
                throw Error("data set '" + validation->name() + "'", "validation task differs from training task");
        }
    }
    // Statistics from the training split only, applied to both.
    Standardization stats = train.fitStandardization(config.standardization);
    train.setStandardization(stats);
    if (validation) validation->setStandardization(stats);
    train.setAugmentation(config.augmentation);

    if (config.loss != "auto") {
        customLoss = losses ? losses->find(config.loss) : nullptr;
        if (!customLoss) throw Error("loss '" + config.loss + "'", "no such loss was registered");
    }
    if (config.classWeighting) {
        const auto pos = train.positives();
        const double n = double(train.size());
        std::vector<float> w(outputs);
        if (train.task().usesSoftmax()) {
            for (std::size_t k = 0; k < outputs; ++k) w[k] = float(n / (double(outputs) * std::max<double>(1, pos[k])));
            classWeights = torch::tensor(w).to(device);
        } else {
            for (std::size_t k = 0; k < outputs; ++k)
                w[k] = float(std::max(n - double(pos[k]), 1.0) / std::max<double>(double(pos[k]), 1.0));
            positiveWeights = torch::tensor(w).to(device);
        }
    }

    torch::manual_seed(config.seed);
    net = factory.build(spec, shape, outputs);
    net->to(device);
    layout = applyMemoryLayout(*net, config.layout, device);
    buildOptimizer();
    learningRate = config.learningRate;
}

void TorchTrainer::buildOptimizer() {
    auto params = net->parameters();
    switch (config.optimizer) {
        case OptimizerKind::Sgd:
            optimizer = std::make_unique<torch::optim::SGD>(
                params, torch::optim::SGDOptions(config.learningRate)
                            .momentum(config.momentum)
                            .nesterov(config.nesterov && config.momentum > 0)
                            .weight_decay(config.weightDecay));
            break;
        case OptimizerKind::Adam:
            if (config.fusedOptimizer)
                optimizer = std::make_unique<FusedAdam>(
                    params, AdamStyleOptions(config.learningRate).eps(config.epsilon).weight_decay(config.weightDecay));
            else
                optimizer = std::make_unique<torch::optim::Adam>(
                    params,
                    torch::optim::AdamOptions(config.learningRate).eps(config.epsilon).weight_decay(config.weightDecay));
            break;
        case OptimizerKind::Nadam:
            optimizer = std::make_unique<Nadam>(
                params, AdamStyleOptions(config.learningRate).eps(config.epsilon).weight_decay(config.weightDecay));
            break;
    }
}

double TorchTrainer::scheduledRate(int epoch) const {
    const double lr0 = config.learningRate;
    switch (config.schedule) {
        case ScheduleKind::Constant: return lr0;
        case ScheduleKind::Step:
            return lr0 * std::pow(config.gamma, double(epoch / std::max(1, config.stepEpochs)));
        case ScheduleKind::Cosine: {
            const double t = double(epoch) / double(std::max(1, config.epochs));
            const double lo = std::min(config.minLearningRate, lr0);
            return lo + (lr0 - lo) * 0.5 * (1.0 + std::cos(M_PI * t));
        }
        case ScheduleKind::Plateau: return learningRate;  // lowered after epochs without improvement
    }
    return lr0;
}

torch::Tensor TorchTrainer::loss(const torch::Tensor& output, const torch::Tensor& target) const {
    if (customLoss) return (*customLoss)(output, target, train.task().usesSoftmax() ? classWeights : positiveWeights);
    if (train.task().usesSoftmax()) {
        auto options = torch::nn::functional::CrossEntropyFuncOptions();
        if (classWeights.defined()) options.weight(classWeights);
        return torch::nn::functional::cross_entropy(output, target.argmax(1), options);
    }
    auto options = torch::nn::functional::BinaryCrossEntropyWithLogitsFuncOptions();
    if (positiveWeights.defined()) options.pos_weight(positiveWeights);
    return torch::nn::functional::binary_cross_entropy_with_logits(output, target, options);
}

torch::Tensor TorchTrainer::probabilities(const torch::Tensor& output) const {
    return train.task().usesSoftmax() ? torch::softmax(output, 1) : torch::sigmoid(output);
}

void TorchTrainer::waitWhilePaused() {
    if (!pauseRequested.load()) return;
    setState(TrainingState::Paused, "paused at epoch " + std::to_string(epochsDone + 1));
    {
        std::unique_lock lock(pauseMutex);
        pauseChanged.wait(lock, [&] { return !pauseRequested.load() || stopRequested.load(); });
    }
    if (!stopRequested.load()) setState(TrainingState::Running, "resumed");
}

double TorchTrainer::trainEpoch(int epoch, double& samplesPerSecond) {
    net->train();
    torch::manual_seed(mixSeed(config.seed, std::uint64_t(epoch), 1));
    std::vector<std::size_t> order(train.size());
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 shuffle(mixSeed(config.seed, std::uint64_t(epoch), 2));
    std::shuffle(order.begin(), order.end(), shuffle);
    // Batch norm cannot train on a final batch of one example: it joins the others' epoch later instead.
    if (order.size() > 1 && order.size() % std::size_t(config.batchSize) == 1) order.pop_back();

    BatchLoader loader(train, std::move(order), config.batchSize, true, mixSeed(config.seed, std::uint64_t(epoch), 3),
                       config.prefetchBatches, device.is_cuda());
    const auto start = Clock::now();
    double lossSum = 0;
    std::size_t seen = 0;
    while (auto batch = loader.next()) {
        waitWhilePaused();
        if (stopRequested.load())
            throw StopRun{TrainingState::Stopped, "stopped during epoch " + std::to_string(epoch + 1) +
                                                      "; the checkpoint of epoch " + std::to_string(epochsDone) +
                                                      " is kept"};
        auto input = batch->input.to(device, /*non_blocking=*/true);
        auto target = batch->target.to(device, /*non_blocking=*/true);
        optimizer->zero_grad();
        auto output = net->forward(input);
        auto l = loss(output, target);
        const double value = l.item<double>();
        const auto count = std::size_t(batch->input.size(0));
        if (!std::isfinite(value) || value > config.explodingLoss) {
            std::ostringstream why;
            why << "the loss " << (std::isnan(value) ? "became NaN" : "exploded (" + std::to_string(value) + ")")
                << " at epoch " << epoch + 1 << ", batch " << batch->index + 1
                << ": training stopped; try a lower learning rate or check the data for invalid values";
            if (!config.runDir.empty())
                why << "; the last good checkpoint (epoch " << epochsDone << ") is kept in " << config.runDir.string();
            throw StopRun{TrainingState::Failed, why.str()};
        }
        l.backward();
        if (config.gradientClipNorm > 0) torch::nn::utils::clip_grad_norm_(net->parameters(), config.gradientClipNorm);
        optimizer->step();
        // Only now is the buffer free: on the CPU the input tensor *is* the loader's buffer, and backward read it.
        loader.release(batch->slot);
        lossSum += value * double(count);
        seen += count;
        const double elapsed = std::max(seconds(start), 1e-9);
        samplesPerSecond = double(seen) / elapsed;
        if (observer)
            observer->onBatch({epoch, batch->index, loader.batches(), step, value, samplesPerSecond});
        ++step;
    }
    return seen ? lossSum / double(seen) : 0.0;
}

std::pair<double, std::map<std::string, double>> TorchTrainer::validate() {
    torch::NoGradGuard noGrad;
    net->eval();
    std::vector<std::size_t> order(validation->size());
    std::iota(order.begin(), order.end(), 0);
    BatchLoader loader(*validation, order, std::max(config.batchSize, 64), false, 0, config.prefetchBatches,
                       device.is_cuda());
    std::vector<std::vector<float>> probs, targets;
    double lossSum = 0;
    std::size_t seen = 0;
    while (auto batch = loader.next()) {
        auto input = batch->input.to(device, true);
        auto target = batch->target.to(device, true);
        auto output = net->forward(input);
        const auto count = std::size_t(input.size(0));
        lossSum += loss(output, target).item<double>() * double(count);
        seen += count;
        if (!customLoss) {
            auto p = probabilities(output).to(torch::kCPU).contiguous();
            auto t = batch->target.contiguous();
            for (std::int64_t i = 0; i < p.size(0); ++i) {
                probs.emplace_back(p[i].data_ptr<float>(), p[i].data_ptr<float>() + outputs);
                targets.emplace_back(t[i].data_ptr<float>(), t[i].data_ptr<float>() + outputs);
            }
        }
        loader.release(batch->slot);
    }
    std::map<std::string, double> metrics;
    if (!customLoss) metrics = evaluate(validation->task(), probs, targets).asMap();
    return {seen ? lossSum / double(seen) : 0.0, metrics};
}

void TorchTrainer::writeModel(const std::string& reason) const {
    if (config.runDir.empty()) return;
    saveModuleAtomically(*net, config.runDir / kWeights);
    SavedModelInfo info;
    info.model = spec;
    info.task = train.task();
    info.input = shape;
    info.featureSpec = config.featureSpec;
    info.standardization = train.standardization();
    info.dataset = config.datasetName.empty() ? train.name() : config.datasetName;
    info.epochs = epochsDone;
    {
        torch::NoGradGuard noGrad;
        const bool wasTraining = net->is_training();
        net->eval();
        auto probe = torch::zeros({1, 1, std::int64_t(shape.bands), std::int64_t(shape.frames)}, device);
        info.embeddingSize = std::size_t(net->embed(probe).numel());
        net->train(wasTraining);
    }
    if (!history.empty()) {
        const EpochReport& kept = bestEpoch >= 0 ? history[std::size_t(bestEpoch)] : history.back();
        info.metrics = kept.metrics;
        info.metrics["train_loss"] = kept.trainLoss;
        if (kept.validationLoss) info.metrics["validation_loss"] = *kept.validationLoss;
    }
    info.extra = {{"optimizer", std::string(toString(config.optimizer))},
                  {"learning_rate", std::to_string(config.learningRate)},
                  {"batch_size", std::to_string(config.batchSize)},
                  {"seed", std::to_string(config.seed)},
                  {"epochs_planned", std::to_string(config.epochs)},
                  {"kept", reason},
                  {"best_epoch", std::to_string(bestEpoch + 1)}};
    writeSavedModelInfo(config.runDir, info);
}

void TorchTrainer::writeCheckpoint() const {
    if (config.runDir.empty() || !config.checkpointEachEpoch) return;
    torch::serialize::OutputArchive archive;
    torch::serialize::OutputArchive model, opt;
    net->save(model);
    optimizer->save(opt);
    archive.write("model", model);
    archive.write("optimizer", opt);
    archive.write("spec", c10::IValue(spec.toString()));
    archive.write("task", c10::IValue(train.task().toString()));
    archive.write("optimizer_kind", c10::IValue(std::string(toString(config.optimizer))));
    archive.write("epochs_done", c10::IValue(std::int64_t(epochsDone)));
    archive.write("step", c10::IValue(step));
    archive.write("learning_rate", c10::IValue(learningRate));
    archive.write("best_loss", c10::IValue(bestLoss));
    archive.write("best_epoch", c10::IValue(std::int64_t(bestEpoch)));
    archive.write("epochs_since_best", c10::IValue(std::int64_t(epochsSinceBest)));
    archive.write("plateau_count", c10::IValue(std::int64_t(plateauCount)));
    archive.write("history", c10::IValue(encodeHistory(history)));
    saveArchiveAtomically(archive, config.runDir / kCheckpoint);
    writeFileAtomically(config.runDir / "curves.csv", historyCsv(history));
}

void TorchTrainer::loadCheckpoint(const std::filesystem::path& dir) {
    const auto file = dir / kCheckpoint;
    torch::serialize::InputArchive archive;
    try {
        archive.load_from(file.string(), device);
    } catch (const std::exception& e) {
        throw fileError(file, std::string("cannot read the checkpoint: ") + e.what());
    }
    auto text = [&](const char* key) {
        c10::IValue v;
        archive.read(key, v);
        return v.toStringRef();
    };
    auto integer = [&](const char* key) {
        c10::IValue v;
        archive.read(key, v);
        return v.toInt();
    };
    auto real = [&](const char* key) {
        c10::IValue v;
        archive.read(key, v);
        return v.toDouble();
    };
    if (text("spec") != spec.toString())
        throw fileError(file, "was written for model " + text("spec") + ", not " + spec.toString());
    if (text("task") != train.task().toString())
        throw fileError(file, "was written for task " + text("task") + ", not " + train.task().toString());
    if (text("optimizer_kind") != toString(config.optimizer))
        throw fileError(file, "was written with optimizer " + text("optimizer_kind"));
    try {
        torch::serialize::InputArchive model, opt;
        archive.read("model", model);
        archive.read("optimizer", opt);
        net->load(model);
        applyMemoryLayout(*net, layout, device);  // a checkpoint may come from a run with the other layout
        optimizer->load(opt);
    } catch (const c10::Error& e) {
        throw fileError(file, std::string("does not match the model: ") + e.what_without_backtrace());
    }
    epochsDone = int(integer("epochs_done"));
    step = integer("step");
    learningRate = real("learning_rate");
    bestLoss = real("best_loss");
    bestEpoch = int(integer("best_epoch"));
    epochsSinceBest = int(integer("epochs_since_best"));
    plateauCount = int(integer("plateau_count"));
    history = decodeHistory(text("history"), config.epochs);
}

TrainingResult TorchTrainer::result(TrainingState state, std::string message) const {
    TrainingResult r;
    r.state = state;
    r.message = std::move(message);
    r.epochsCompleted = epochsDone;
    r.bestEpoch = bestEpoch;
    r.history = history;
    if (!history.empty()) r.finalMetrics = (bestEpoch >= 0 ? history[std::size_t(bestEpoch)] : history.back()).metrics;
    r.device = describeDevice(device, config.threads);
    r.runDir = config.runDir;
    return r;
}

TorchTrainer::TorchTrainer(ModelSpec s, TrainingConfig c, Dataset& t, Dataset* v, TrainingObserver* o,
                           const LossRegistry* l)
    : spec(std::move(s)), config(std::move(c)), train(t), validation(v), observer(o), losses(l) {
    if (config.batchSize < 1) throw Error("training", "batch size must be at least 1");
    if (config.epochs < 1) throw Error("training", "epochs must be at least 1");
    if (!(config.learningRate > 0)) throw Error("training", "learning rate must be positive");
    factory.builder(spec.architecture);  // an unknown name fails here, not after loading data
}

std::unique_ptr<TrainerBackend> makeTorchTrainer(ModelSpec model, TrainingConfig config, Dataset& train,
                                                 Dataset* validation, TrainingObserver* observer,
                                                 const LossRegistry* losses) {
    return std::make_unique<TorchTrainer>(std::move(model), std::move(config), train, validation, observer, losses);
}

void TorchTrainer::resumeFrom(const std::filesystem::path& runDir) {
    if (!Trainer::hasCheckpoint(runDir)) throw fileError(runDir, "has no checkpoint to resume from");
    resumeDir = runDir;
    if (config.runDir.empty()) config.runDir = runDir;
}

TrainingResult TorchTrainer::run() {
    TorchTrainer& s = *this;
    const RunThreads threads(s.config.threads);  // this thread only, for this run (ProcessSetup.h)
    try {
        s.setState(TrainingState::Preparing, "preparing data and model");
        s.prepare();
        if (!s.resumeDir.empty()) s.loadCheckpoint(s.resumeDir);
        if (!s.config.runDir.empty()) std::filesystem::create_directories(s.config.runDir);
        s.setState(TrainingState::Running, "training " + s.spec.toString() + " on " + describeDevice(s.device, s.config.threads) +
                                               (s.epochsDone ? ", resumed after epoch " + std::to_string(s.epochsDone)
                                                             : std::string()));
        std::string finishMessage = "finished " + std::to_string(s.config.epochs) + " epochs";
        for (int epoch = s.epochsDone; epoch < s.config.epochs; ++epoch) {
            const auto start = Clock::now();
            if (s.config.schedule != ScheduleKind::Plateau) s.learningRate = s.scheduledRate(epoch);
            for (auto& group : s.optimizer->param_groups()) group.options().set_lr(s.learningRate);

            EpochReport report;
            report.epoch = epoch;
            report.epochs = s.config.epochs;
            report.learningRate = s.learningRate;
            report.trainLoss = s.trainEpoch(epoch, report.samplesPerSecond);
            bool improved = false;
            if (s.validation) {
                auto [validationLoss, metrics] = s.validate();
                if (!std::isfinite(validationLoss))
                    throw StopRun{TrainingState::Failed, "the validation loss became NaN at epoch " +
                                                             std::to_string(epoch + 1) + "; the last good checkpoint (epoch " +
                                                             std::to_string(s.epochsDone) + ") is kept"};
                report.validationLoss = validationLoss;
                report.metrics = std::move(metrics);
                improved = validationLoss < s.bestLoss;
                if (improved) {
                    s.bestLoss = validationLoss;
                    s.bestEpoch = epoch;
                    s.epochsSinceBest = 0;
                    s.plateauCount = 0;
                } else {
                    ++s.epochsSinceBest;
                    if (s.config.schedule == ScheduleKind::Plateau && ++s.plateauCount >= s.config.plateauPatience) {
                        s.learningRate = std::max(s.config.minLearningRate, s.learningRate * s.config.gamma);
                        s.plateauCount = 0;
                    }
                }
            }
            report.best = improved;
            report.seconds = seconds(start);
            s.history.push_back(report);
            s.epochsDone = epoch + 1;
            // The saved model is the best epoch's when validating with restoreBest, else the latest.
            if (!s.validation || !s.config.restoreBest || improved)
                s.writeModel(improved ? "best validation loss" : "last epoch");
            s.writeCheckpoint();
            if (s.observer) s.observer->onEpoch(report);
            if (s.validation && s.config.earlyStoppingPatience > 0 &&
                s.epochsSinceBest >= s.config.earlyStoppingPatience && s.epochsDone < s.config.epochs) {
                finishMessage = "early stopping after epoch " + std::to_string(s.epochsDone) + ": no validation " +
                                "improvement for " + std::to_string(s.epochsSinceBest) + " epochs (best: epoch " +
                                std::to_string(s.bestEpoch + 1) + ")";
                break;
            }
        }
        s.setState(TrainingState::Finished, finishMessage);
        return s.result(TrainingState::Finished, finishMessage);
    } catch (const StopRun& stop) {
        s.setState(stop.state, stop.message);
        return s.result(stop.state, stop.message);
    } catch (const std::exception& e) {
        const std::string message = std::string("training failed: ") + e.what();
        s.setState(TrainingState::Failed, message);
        return s.result(TrainingState::Failed, message);
    }
}

void TorchTrainer::requestStop() {
    stopRequested.store(true);
    std::lock_guard lock(pauseMutex);
    pauseChanged.notify_all();
}

void TorchTrainer::pause() { pauseRequested.store(true); }

void TorchTrainer::resume() {
    pauseRequested.store(false);
    std::lock_guard lock(pauseMutex);
    pauseChanged.notify_all();
}

bool TorchTrainer::paused() const { return pauseRequested.load(); }

std::string TorchTrainer::deviceDescription() const { return describeDevice(device, config.threads); }

std::vector<float> TorchTrainer::flatParameters() const {
    std::vector<float> flat;
    if (!net) return flat;
    for (const auto& p : net->parameters()) {
        auto c = p.detach().to(torch::kCPU).contiguous().view(-1);
        flat.insert(flat.end(), c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
    }
    return flat;
}

MemoryLayout TorchTrainer::memoryLayout() const { return layout; }

std::size_t TorchTrainer::parameterCount() const {
    std::size_t n = 0;
    if (net)
        for (const auto& p : net->parameters()) n += std::size_t(p.numel());
    return n;
}

}  // namespace sonolab::ml
