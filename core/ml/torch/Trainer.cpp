#include "core/ml/torch/TorchTrainer.h"

#include "core/ml/torch/BatchLoader.h"
#include "core/ml/torch/CpuBufferCache.h"
#include "core/ml/LearningRateSchedule.h"
#include "core/ml/torch/EncoderTransfer.h"
#include "core/ml/torch/SpectrogramAugmenter.h"
#include "core/ml/Metrics.h"
#include "core/ml/torch/FusedAdam.h"
#include "core/ml/torch/Nadam.h"
#include "core/util/Error.h"

#include <chrono>
#include <cmath>
#include <numeric>
#include <random>
#include <sstream>

namespace sonolab::ml {
namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

// A rank of a job uses its share of the machine's cores when the user left the count to us (0 = all cores).
TrainingConfig withRankThreads(TrainingConfig c) {
    if (c.threads == 0 && c.distributed.enabled() && c.distributed.localWorldSize > 1)
        c.threads = std::max(1, resolveThreads(0) / c.distributed.localWorldSize);
    return c;
}

}  // namespace

void TorchTrainer::prepare() {
    device = chooseDevice(config.device, config.distributed.localRank);

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
    if (config.trainEmbedding && !customLoss)
        throw Error("training", "an embedding is trained by a metric loss (triplet), not by the task's own head");
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
    if (config.freezeEncoder && config.initRun.empty())
        throw Error("training", "freezing the encoder needs a pretrained run to start from (--init RUN)");
    if (config.freezeEncoder && config.trainEmbedding)
        throw Error("training", "a frozen encoder leaves nothing to train in its embedding: leave out --freeze");
    if (config.probeEpochs > 0 && config.initRun.empty())
        throw Error("training", "probe epochs freeze a pretrained encoder: they need a run to start from (--init RUN)");
    if (config.probeEpochs > 0 && config.freezeEncoder)
        throw Error("training", "--freeze keeps the encoder fixed throughout and --probe-epochs N unfreezes it after "
                                "N epochs: choose one");
    if (config.probeEpochs > 0 && config.trainEmbedding)
        throw Error("training", "probe epochs fit a classifier layer, which an embedding run does not train: leave "
                                "out --probe-epochs");
    if (!config.initRun.empty()) {  // the encoder as it learnt, with the input statistics it learnt on
        stats = initEncoderFrom(*net, spec, shape, config.featureSpec, config.initRun, encoderFrozenAt(config, 0));
        train.setStandardization(stats);
        if (validation) validation->setStandardization(stats);
    }
    net->to(device);
    layout = applyMemoryLayout(*net, config.layout, device);
    buildOptimizer();
    learningRate = config.learningRate;
    if (config.distributed.enabled()) parallel = std::make_unique<DataParallel>(config.distributed, device);
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

bool TorchTrainer::startsFineTuning(int epoch) const {
    return config.probeEpochs > 0 && epoch == config.probeEpochs && !config.initRun.empty();
}

// A fresh optimizer: Adam's step count is shared by all parameters, so the encoder's moments, zero after the probe
// epochs, would meet a bias correction near 1 and take steps several times the rate for hundreds of batches. Anew,
// every layer starts as at the first epoch, and the plateau schedule starts from the fine-tuning rate. (trainEpoch
// lets the encoder's gradients through from this epoch on.)
void TorchTrainer::startFineTuning(int epoch) {
    buildOptimizer();
    learningRate = baseLearningRate(config, epoch);
}

double TorchTrainer::scheduledRate(int epoch) const {
    return config.schedule == ScheduleKind::Plateau ? learningRate : scheduledLearningRate(config, epoch);
}

torch::Tensor TorchTrainer::outputOf(const torch::Tensor& input) {
    if (!config.trainEmbedding) return net->forward(input);
    // Unit length, as the siamese networks' own embeddings: a margin then means the same at any weight scale, and
    // the loss cannot be lowered by growing the embedding alone.
    namespace F = torch::nn::functional;
    return F::normalize(net->embed(input), F::NormalizeFuncOptions().dim(1).eps(1e-8));
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

// Mixed single-label targets are no longer one-hot: cross-entropy against the whole target distribution (equal to
// the usual loss for one-hot targets without class weights). Multi-label and custom losses take soft targets as is.
torch::Tensor TorchTrainer::mixedLoss(const torch::Tensor& output, const torch::Tensor& target) const {
    if (customLoss || !train.task().usesSoftmax()) return loss(output, target);
    auto perClass = -target * torch::log_softmax(output, 1);
    if (classWeights.defined()) perClass = perClass * classWeights;
    return perClass.sum(1).mean();
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
    // LP-FT: after the probe epochs (also in a run resumed after them) the encoder trains. Only it was frozen.
    if (config.probeEpochs > 0 && !encoderFrozenAt(config, epoch))
        for (auto& p : net->parameters()) p.set_requires_grad(true);
    net->train();
    if (encoderFrozenAt(config, epoch)) keepFrozenLayersInEval(*net);
    torch::manual_seed(rankSeed(epoch, 1));
    std::vector<std::size_t> order(train.size());
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 shuffle(mixSeed(config.seed, std::uint64_t(epoch), 2));
    std::shuffle(order.begin(), order.end(), shuffle);  // the same on every rank: then each takes its shard
    if (parallel) order = distributedShard(order, parallel->rank(), parallel->size());
    // Batch norm cannot train on a final batch of one example: it joins the others' epoch later instead.
    if (order.size() > 1 && order.size() % std::size_t(config.batchSize) == 1) order.pop_back();

    BatchLoader loader(train, std::move(order), config.batchSize, true, rankSeed(epoch, 3),
                       config.prefetchBatches, device.is_cuda(), config.mixupAlpha);
    const auto start = Clock::now();
    double lossSum = 0;
    std::size_t seen = 0;
    while (auto batch = loader.next()) {
        waitWhilePaused();
        if (!parallel && stopRequested.load()) throw stoppedDuring(epoch);
        auto input = batch->input.to(device, /*non_blocking=*/true);
        auto target = batch->target.to(device, /*non_blocking=*/true);
        if (config.warmupEpochs > 0)  // per batch: the epoch's rate times the warm-up ramp (LearningRateSchedule.h)
            for (auto& group : optimizer->param_groups())
                group.options().set_lr(learningRate * warmupFactor(config, epoch, batch->index, loader.batches()));
        if (config.spectrogramAugmentation.any())
            input = augmentSpectrograms(input, config.spectrogramAugmentation, train.standardization(),
                                        mixSeed(rankSeed(epoch, 5), std::uint64_t(batch->index)));
        optimizer->zero_grad();
        auto output = outputOf(input);
        auto l = config.mixupAlpha > 0 ? mixedLoss(output, target) : loss(output, target);
        // A job's ranks agree on the step's loss (the mean over all their examples) and on stopping, so that all
        // take the same decisions below at the same batch.
        const auto [value, count] = agreeOnLoss(l.item<double>(), std::size_t(batch->input.size(0)), epoch);
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
        if (parallel) parallel->averageGradients(net->parameters());
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
    // Validation and the saved model see the same batch-norm statistics on every rank (DistributedConfig.h).
    if (parallel) parallel->synchronizeBuffers(*net, config.distributed.syncBatchNorm);
    return seen ? lossSum / double(seen) : 0.0;
}

StopRun TorchTrainer::stoppedDuring(int epoch) const {
    return StopRun{TrainingState::Stopped, "stopped during epoch " + std::to_string(epoch + 1) +
                                               "; the checkpoint of epoch " + std::to_string(epochsDone) + " is kept"};
}

std::pair<double, std::size_t> TorchTrainer::agreeOnLoss(double value, std::size_t count, int epoch) {
    if (!parallel) return {value, count};
    const auto total = parallel->sum({value * double(count), double(count), stopRequested.load() ? 1.0 : 0.0});
    if (total[2] > 0) throw stoppedDuring(epoch);
    return {total[0] / total[1], std::size_t(total[1])};
}

std::pair<double, std::map<std::string, double>> TorchTrainer::validate() {
    torch::NoGradGuard noGrad;
    net->eval();
    std::vector<std::size_t> order(validation->size());
    std::iota(order.begin(), order.end(), 0);
    if (parallel) order = parallel->evaluationShard(order.size());
    BatchLoader loader(*validation, order, std::max(config.batchSize, 64), false, 0, config.prefetchBatches,
                       device.is_cuda());
    std::vector<std::vector<float>> probs, targets;
    double lossSum = 0;
    std::size_t seen = 0;
    while (auto batch = loader.next()) {
        auto input = batch->input.to(device, true);
        auto target = batch->target.to(device, true);
        auto output = outputOf(input);
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
    if (parallel) return gatherValidation(lossSum, seen, probs, targets);
    std::map<std::string, double> metrics;
    if (!customLoss) metrics = evaluate(validation->task(), probs, targets).asMap();
    return {seen ? lossSum / double(seen) : 0.0, metrics};
}

// Every rank validated its shard: the figures of the whole split come from the summed losses and the outputs of
// all shards put back in the split's order, identical on every rank so all take the same early-stopping decision.
std::pair<double, std::map<std::string, double>> TorchTrainer::gatherValidation(
    double lossSum, std::size_t seen, const std::vector<std::vector<float>>& probs,
    const std::vector<std::vector<float>>& targets) {
    const auto total = parallel->sum({lossSum, double(seen)});
    std::map<std::string, double> metrics;
    if (!customLoss) {
        auto local = torch::zeros({std::int64_t(probs.size()), 2 * std::int64_t(outputs)});
        for (std::size_t i = 0; i < probs.size(); ++i) {
            std::copy(probs[i].begin(), probs[i].end(), local[std::int64_t(i)].data_ptr<float>());
            std::copy(targets[i].begin(), targets[i].end(), local[std::int64_t(i)].data_ptr<float>() + outputs);
        }
        const auto all = parallel->gatherShards(local, validation->size()).contiguous();
        std::vector<std::vector<float>> allProbs, allTargets;
        for (std::int64_t i = 0; i < all.size(0); ++i) {
            const float* row = all[i].data_ptr<float>();
            allProbs.emplace_back(row, row + outputs);
            allTargets.emplace_back(row + outputs, row + 2 * outputs);
        }
        metrics = evaluate(validation->task(), allProbs, allTargets).asMap();
    }
    return {total[1] > 0 ? total[0] / total[1] : 0.0, metrics};
}

TrainingResult TorchTrainer::result(TrainingState state, std::string message) const {
    TrainingResult r;
    r.state = state;
    r.message = std::move(message);
    r.epochsCompleted = epochsDone;
    r.bestEpoch = bestEpoch;
    r.history = history;
    if (!history.empty()) r.finalMetrics = (bestEpoch >= 0 ? history[std::size_t(bestEpoch)] : history.back()).metrics;
    r.device = deviceText();
    r.runDir = config.runDir;
    return r;
}

TorchTrainer::TorchTrainer(ModelSpec s, TrainingConfig c, Dataset& t, Dataset* v, TrainingObserver* o,
                           const LossRegistry* l)
    : spec(std::move(s)), config(withRankThreads(std::move(c))), train(t), validation(v), observer(o), losses(l) {
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
    openCheckpoint(runDir / Trainer::kCheckpointFile, torch::kCPU);  // refused here, before anything is written
    resumeDir = runDir;
    if (config.runDir.empty()) config.runDir = runDir;
}

TrainingResult TorchTrainer::run() {
    TorchTrainer& s = *this;
    const RunThreads threads(s.config.threads);  // this thread only, for this run (ProcessSetup.h)
    const CpuBufferCache::RunScope bufferCache;  // a step reuses the last step's buffers
    try {
        s.setState(TrainingState::Preparing, "preparing data and model");
        s.prepare();
        if (!s.resumeDir.empty()) s.loadCheckpoint(s.resumeDir);
        // Every rank starts from rank 0's model, fresh or resumed (the optimizer state comes from the checkpoint).
        if (s.parallel) s.parallel->broadcastState(*s.net);
        if (s.writesFiles()) std::filesystem::create_directories(s.config.runDir);
        s.setState(TrainingState::Running, "training " + s.spec.toString() + " on " + s.deviceText() +
                                               (s.epochsDone ? ", resumed after epoch " + std::to_string(s.epochsDone)
                                                             : std::string()));
        std::string finishMessage = "finished " + std::to_string(s.config.epochs) + " epochs";
        for (int epoch = s.epochsDone; epoch < s.config.epochs; ++epoch) {
            const auto start = Clock::now();
            if (s.startsFineTuning(epoch)) s.startFineTuning(epoch);
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

std::string TorchTrainer::deviceDescription() const { return deviceText(); }

// "cpu (1 thread), rank 0 of 2 (gloo)": a job's report says which rank it is and how the ranks talk.
std::string TorchTrainer::deviceText() const {
    std::string text = describeDevice(device, config.threads);
    if (config.distributed.enabled())
        text += ", " + rankLabel(config.distributed) + (parallel ? " (" + parallel->backendName() + ")" : std::string());
    return text;
}

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
