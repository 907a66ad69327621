#include "core/ml/torch/TorchBackends.h"

#include "core/ml/torch/CpuBufferCache.h"
#include "core/ml/torch/TorchSupport.h"
#include "core/ml/torch/models/OnsetRnnNetwork.h"
#include "core/util/AtomicFile.h"
#include "core/util/Error.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>
#include <sstream>
#include <thread>

namespace sonolab::ml {
namespace {

struct Batch {
    torch::Tensor x;        // [T, B, F] raw features
    torch::Tensor targets;  // [T, B]
    torch::Tensor mask;     // [T, B] 1 on real frames
    torch::Tensor lengths;  // [B] int64
    std::int64_t frames = 0;
};

Batch makeBatch(const std::vector<OnsetSequence>& data, const std::vector<std::size_t>& indices, std::size_t dims) {
    std::int64_t maxLength = 0;
    for (auto i : indices) maxLength = std::max<std::int64_t>(maxLength, std::int64_t(data[i].frames));
    const auto b = std::int64_t(indices.size());
    Batch batch;
    batch.x = torch::zeros({maxLength, b, std::int64_t(dims)});
    batch.targets = torch::zeros({maxLength, b});
    batch.mask = torch::zeros({maxLength, b});
    batch.lengths = torch::empty({b}, torch::kInt64);
    auto* x = batch.x.data_ptr<float>();
    auto* t = batch.targets.data_ptr<float>();
    auto* m = batch.mask.data_ptr<float>();
    for (std::int64_t j = 0; j < b; ++j) {
        const auto& s = data[indices[std::size_t(j)]];
        for (std::size_t f = 0; f < s.frames; ++f) {
            std::copy_n(s.features.data() + f * dims, dims, x + (std::int64_t(f) * b + j) * std::int64_t(dims));
            t[std::int64_t(f) * b + j] = s.targets[f];
            m[std::int64_t(f) * b + j] = 1.0f;
        }
        batch.lengths[j] = std::int64_t(s.frames);
        batch.frames += std::int64_t(s.frames);
    }
    return batch;
}

torch::Tensor maskedLoss(const torch::Tensor& logits, const Batch& batch) {
    auto sum = torch::binary_cross_entropy_with_logits(logits, batch.targets, batch.mask, {},
                                                       torch::Reduction::Sum);
    return sum / batch.mask.sum().clamp_min(1.0);
}

void checkSequences(const std::vector<OnsetSequence>& seqs, std::size_t dims) {
    for (const auto& s : seqs) {
        if (s.dims != dims)
            throw Error(s.name, "has " + std::to_string(s.dims) + " feature dims, the model takes " + std::to_string(dims));
        if (s.features.size() != s.frames * s.dims || s.targets.size() != s.frames)
            throw Error(s.name, "features or targets do not match its frame count");
    }
}

std::vector<torch::Tensor> cloneParameters(torch::nn::Module& m) {
    std::vector<torch::Tensor> out;
    for (const auto& p : m.parameters()) out.push_back(p.detach().clone());
    return out;
}

void restoreParameters(torch::nn::Module& m, const std::vector<torch::Tensor>& saved) {
    torch::NoGradGuard g;
    auto params = m.parameters();
    for (std::size_t i = 0; i < params.size() && i < saved.size(); ++i) params[i].copy_(saved[i]);
}

void writeCurves(const std::filesystem::path& runDir, const std::vector<EpochReport>& history) {
    std::ostringstream csv;
    std::vector<std::string> metricNames;
    if (!history.empty())
        for (const auto& [k, v] : history.back().metrics) metricNames.push_back(k);
    csv << "epoch,train_loss,validation_loss,learning_rate,seconds";
    for (const auto& k : metricNames) csv << ',' << k;
    csv << '\n';
    for (const auto& e : history) {
        csv << e.epoch << ',' << e.trainLoss << ',';
        if (e.validationLoss) csv << *e.validationLoss;
        csv << ',' << e.learningRate << ',' << e.seconds;
        for (const auto& k : metricNames) {
            auto it = e.metrics.find(k);
            csv << ',';
            if (it != e.metrics.end()) csv << it->second;
        }
        csv << '\n';
    }
    writeFileAtomically(runDir / "curves.csv", csv.str());
}

}  // namespace

double torchOnsetLoss(const OnsetRnnModel& model, const std::vector<OnsetSequence>& sequences) {
    const auto& impl = torchOnsetRnn(model);
    checkSequences(sequences, impl.config().inputDims);
    torch::NoGradGuard noGrad;
    const bool wasTraining = impl.network->is_training();
    impl.network->eval();
    double sum = 0, frames = 0;
    for (std::size_t i = 0; i < sequences.size(); ++i) {
        auto batch = makeBatch(sequences, {i}, impl.config().inputDims);
        auto logits = impl.network->forward(impl.standardize(batch.x), batch.lengths);
        sum += torch::binary_cross_entropy_with_logits(logits, batch.targets, batch.mask, {}, torch::Reduction::Sum)
                   .item<double>();
        frames += double(batch.frames);
    }
    if (wasTraining) impl.network->train();
    return frames > 0 ? sum / frames : 0.0;
}

OnsetTrainingResult trainTorchOnsetRnn(OnsetRnnModel& model, const std::vector<OnsetSequence>& train,
                                  const std::vector<OnsetSequence>& validation, const OnsetTrainingConfig& config,
                                  TrainingObserver* observer, const Progress* progress) {
    auto& impl = torchOnsetRnn(model);
    const std::size_t dims = impl.config().inputDims;
    if (train.empty()) throw Error("onset training", "no training sequences");
    checkSequences(train, dims);
    checkSequences(validation, dims);
    if (config.batchSize < 1 || config.epochs < 1 || config.learningRate <= 0)
        throw Error("onset training", "batch size, epochs and learning rate must be > 0");

    auto state = [&](TrainingState s, const std::string& message) {
        if (observer) observer->onStateChanged(s, message);
    };
    state(TrainingState::Preparing, "fitting standardisation");
    const RunThreads threads(config.threads);  // this thread only, for this run (ProcessSetup.h)
    const CpuBufferCache::RunScope bufferCache;  // a step reuses the last step's buffers
    torch::manual_seed(config.seed);
    if (config.standardize) model.fitStandardization(train);
    if (!config.runDir.empty()) std::filesystem::create_directories(config.runDir);

    auto& net = *impl.network;
    torch::optim::SGD optimizer(net.parameters(),
                                torch::optim::SGDOptions(config.learningRate).momentum(config.momentum));
    std::mt19937_64 rng(config.seed);
    std::vector<std::size_t> order(train.size());
    std::iota(order.begin(), order.end(), 0);
    const int batches = int((train.size() + std::size_t(config.batchSize) - 1) / std::size_t(config.batchSize));

    OnsetTrainingResult result;
    std::vector<torch::Tensor> best = cloneParameters(net);
    double bestScore = -std::numeric_limits<double>::infinity();
    int sinceBest = 0;
    std::int64_t step = 0;
    state(TrainingState::Running, "");

    auto finish = [&](TrainingState s, std::string message) {
        if (result.bestEpoch >= 0) restoreParameters(net, best);
        if (!config.runDir.empty() && result.epochsCompleted > 0) {
            model.save(config.runDir / OnsetRnnModel::kFileName);
            writeCurves(config.runDir, result.history);
        }
        result.state = s;
        result.message = std::move(message);
        state(s, result.message);
        return result;
    };

    for (int epoch = 0; epoch < config.epochs; ++epoch) {
        const auto start = std::chrono::steady_clock::now();
        std::shuffle(order.begin(), order.end(), rng);
        net.train();
        double lossSum = 0, frameSum = 0;
        for (int b = 0; b < batches; ++b) {
            if (progress && progress->cancelled()) return finish(TrainingState::Stopped, "stopped by the user");
            const std::size_t first = std::size_t(b) * std::size_t(config.batchSize);
            std::vector<std::size_t> idx(order.begin() + std::ptrdiff_t(first),
                                         order.begin() + std::ptrdiff_t(std::min(first + std::size_t(config.batchSize),
                                                                                 order.size())));
            Batch batch = makeBatch(train, idx, dims);
            optimizer.zero_grad();
            auto loss = maskedLoss(net.forward(impl.standardize(batch.x), batch.lengths), batch);
            const double value = loss.item<double>();
            if (!std::isfinite(value) || value > config.explodingLoss)
                return finish(TrainingState::Failed, "the loss became " + std::to_string(value) + " at epoch " +
                                                         std::to_string(epoch + 1) + "; kept the best weights");
            loss.backward();
            if (config.clipValue > 0) torch::nn::utils::clip_grad_value_(net.parameters(), config.clipValue);
            optimizer.step();
            lossSum += value * double(batch.frames);
            frameSum += double(batch.frames);
            const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            if (observer)
                observer->onBatch({.epoch = epoch, .batch = b, .batches = batches, .step = step,
                                   .loss = value, .samplesPerSecond = elapsed > 0 ? double(first + idx.size()) / elapsed : 0});
            ++step;
            if (progress) (*progress)(double(epoch) + double(b + 1) / batches, config.epochs, "training onset detector");
        }

        EpochReport report;
        report.epoch = epoch;
        report.epochs = config.epochs;
        report.trainLoss = lossSum / std::max(1.0, frameSum);
        report.learningRate = config.learningRate;
        if (!validation.empty()) {
            report.validationLoss = torchOnsetLoss(model, validation);
            if (config.validationMetrics) report.metrics = config.validationMetrics(model);
            auto metric = report.metrics.find(config.selectMetric);
            const double score = (!config.selectMetric.empty() && metric != report.metrics.end())
                                     ? metric->second
                                     : -*report.validationLoss;
            if (score > bestScore) {
                bestScore = score;
                best = cloneParameters(net);
                result.bestEpoch = epoch;
                report.best = true;
                sinceBest = 0;
            } else {
                ++sinceBest;
            }
        }
        report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        report.samplesPerSecond = report.seconds > 0 ? double(train.size()) / report.seconds : 0;
        result.history.push_back(report);
        result.epochsCompleted = epoch + 1;
        if (observer) observer->onEpoch(report);
        if (!config.runDir.empty()) {
            writeCurves(config.runDir, result.history);
            if (report.best || validation.empty()) model.save(config.runDir / OnsetRnnModel::kFileName);
        }
        if (config.patience > 0 && !validation.empty() && sinceBest >= config.patience)
            return finish(TrainingState::Finished, "early stopping after " + std::to_string(epoch + 1) + " epochs");
    }
    return finish(TrainingState::Finished, "");
}

}  // namespace sonolab::ml
