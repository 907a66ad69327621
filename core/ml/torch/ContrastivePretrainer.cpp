// The pretrainer behind ml::Pretrainer (ContrastivePretraining.h): two augmented crops of each of B tracks per step,
// encoder + SimCLR projection head, NT-Xent; the run folder written like a classifier run's (TrainerFiles.cpp) so
// that prediction, the similarity spaces and `train --init` read it with the usual code.
#include "core/features/Patches.h"
#include "core/ml/ArchitectureCatalog.h"
#include "core/ml/LearningRateSchedule.h"
#include "core/ml/SavedModel.h"
#include "core/ml/TrainingHistory.h"
#include "core/ml/torch/FusedAdam.h"
#include "core/ml/torch/NtXentLoss.h"
#include "core/ml/torch/SpectrogramAugmenter.h"
#include "core/ml/torch/TorchBackends.h"
#include "core/ml/torch/CpuBufferCache.h"
#include "core/ml/torch/TorchSupport.h"
#include "core/util/AtomicFile.h"
#include "core/util/Error.h"
#include "core/util/Text.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <numeric>
#include <random>

namespace sonolab::ml {
namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kCheckpoint = "checkpoint.pt";
// What model.txt's task says: the classifier layer is an untrained placeholder of one output.
constexpr const char* kPretrainedTask = "binary:contrastive";

// SimCLR's projection head g(h) = W2 ReLU(W1 h): the loss sees z = g(h), the space and the classifiers use h.
struct ProjectionHeadImpl : torch::nn::Module {
    ProjectionHeadImpl(std::int64_t in, std::int64_t out)
        : hidden(register_module("hidden", torch::nn::Linear(in, in))),
          out(register_module("out", torch::nn::Linear(in, out))) {}
    torch::Tensor forward(const torch::Tensor& h) { return out(torch::relu(hidden(h))); }
    torch::nn::Linear hidden, out;
};
TORCH_MODULE(ProjectionHead);

struct StopPretraining {
    TrainingState state;
    std::string message;
};

class TorchPretrainer final : public PretrainerBackend {
public:
    TorchPretrainer(ModelSpec s, PretrainingConfig c, std::vector<FeatureMatrix> t,
                    std::vector<std::vector<std::size_t>> u, TrainingObserver* o)
        : spec_(std::move(s)), config_(std::move(c)), tracks_(std::move(t)), units_(std::move(u)), observer_(o) {
        const ArchitectureInfo& arch = architectureInfo(spec_.architecture);
        if (!arch.isPretrainableEncoder())
            throw Error("pretrain", "model " + spec_.architecture + " is not a spectrogram classifier (e.g. compact_cnn)");
        if (tracks_.size() < 2) throw Error("pretrain", "needs at least two tracks (the other tracks are the negatives)");
        if (units_.size() < 2)
            throw Error("pretrain", "needs at least two groups to pair by group (the other groups are the negatives)");
        for (const auto& unit : units_)
            if (unit.empty() || std::any_of(unit.begin(), unit.end(), [&](std::size_t i) { return i >= tracks_.size(); }))
                throw Error("pretrain", "a pairing unit names no track, or a track that is not there");
        if (config_.training.batchSize < 2) throw Error("pretrain", "the batch size must be at least 2 tracks");
        if (config_.training.epochs < 1) throw Error("pretrain", "epochs must be at least 1");
        if (!(config_.temperature > 0)) throw Error("pretrain", "the temperature must be positive");
        if (config_.projectionDim < 1) throw Error("pretrain", "the projection needs at least one dimension");
        for (const auto& m : tracks_) {
            m.requireLayout(Layout::BinsByFrames, "pretrain");
            if (m.bins() != tracks_.front().bins() || m.frames() == 0)
                throw Error("pretrain", "every track needs features of the same bands (" +
                                            std::to_string(tracks_.front().bins()) + "), got " + std::to_string(m.bins()) +
                                            " x " + std::to_string(m.frames()));
        }
        shape_ = {tracks_.front().bins(), config_.cropFrames ? config_.cropFrames : arch.defaultInput.frames};
        ModelFactory::all().builder(spec_.architecture);
    }

    void resumeFrom(const std::filesystem::path& runDir) override {
        if (!std::filesystem::is_regular_file(runDir / kCheckpoint)) throw fileError(runDir, "has no checkpoint to resume from");
        openCheckpoint(runDir / kCheckpoint, torch::kCPU);  // refused here, before anything is written
        resumeDir_ = runDir;
        if (config_.training.runDir.empty()) config_.training.runDir = runDir;
    }

    TrainingResult run() override;
    void requestStop() override {
        stop_.store(true);
        std::lock_guard lock(pauseMutex_);
        pauseChanged_.notify_all();
    }
    void pause() override { pauseRequested_.store(true); }
    void resume() override {
        pauseRequested_.store(false);
        std::lock_guard lock(pauseMutex_);
        pauseChanged_.notify_all();
    }

private:
    void state(TrainingState s, const std::string& message) {
        if (observer_) observer_->onStateChanged(s, message);
    }
    void prepare();
    double trainEpoch(int epoch, EpochReport& report);
    torch::Tensor views(const std::vector<std::size_t>& batch, std::mt19937_64& rng) const;
    void writeModel() const;
    void writeCheckpoint() const;
    // The checkpoint, once its settings are checked against this run's: a resumed run goes on as it started.
    torch::serialize::InputArchive openCheckpoint(const std::filesystem::path& file, torch::Device device) const;
    void loadCheckpoint(const std::filesystem::path& dir);
    void waitWhilePaused();
    bool writes() const { return !config_.training.runDir.empty(); }
    TrainingResult result(TrainingState s, std::string message) const;

    ModelSpec spec_;
    PretrainingConfig config_;
    std::vector<FeatureMatrix> tracks_;
    std::vector<std::vector<std::size_t>> units_;  // pairingUnits(): a pair is two crops of one unit's tracks
    TrainingObserver* observer_;
    InputShape shape_;
    torch::Device device_{torch::kCPU};
    std::shared_ptr<Network> net_;
    ProjectionHead head_{nullptr};
    std::unique_ptr<torch::optim::Optimizer> optimizer_;
    Standardization stats_;
    std::size_t encoderWidth_ = 0;
    int epochsDone_ = 0;
    std::int64_t step_ = 0;
    std::vector<EpochReport> history_;
    std::filesystem::path resumeDir_;
    std::atomic<bool> stop_{false}, pauseRequested_{false};
    std::mutex pauseMutex_;
    std::condition_variable pauseChanged_;
};

void TorchPretrainer::prepare() {
    device_ = chooseDevice(config_.training.device);
    // Input statistics over every track (no labels to keep apart), as a classifier's over its training split.
    Dataset all("pretraining", TaskSpec::parse(kPretrainedTask));
    for (std::size_t i = 0; i < tracks_.size(); ++i) all.add({std::to_string(i), {}, {0.0f}}, tracks_[i]);
    all.setWindowFrames(shape_.frames);  // tracks differ in length
    stats_ = all.fitStandardization(config_.training.standardization == StandardizationMode::PerElement
                                        ? StandardizationMode::PerBand  // crops move: per-element statistics mean nothing
                                        : config_.training.standardization);
    torch::manual_seed(config_.training.seed);
    net_ = ModelFactory::all().build(spec_, shape_, 1);
    {
        torch::NoGradGuard noGrad;
        net_->eval();
        encoderWidth_ = std::size_t(net_->embed(torch::zeros({2, 1, std::int64_t(shape_.bands), std::int64_t(shape_.frames)}))
                                        .flatten(1)
                                        .size(1));
    }
    head_ = ProjectionHead(std::int64_t(encoderWidth_), std::int64_t(config_.projectionDim));
    net_->to(device_);
    head_->to(device_);
    auto params = net_->parameters();
    for (const auto& p : head_->parameters()) params.push_back(p);
    optimizer_ = std::make_unique<FusedAdam>(params, AdamStyleOptions(config_.training.learningRate)
                                                         .eps(config_.training.epsilon)
                                                         .weight_decay(config_.training.weightDecay));
}

// Two crops per unit, each from anywhere in the whole track (in any of a group's tracks): [first views of the batch;
// second views], standardised.
torch::Tensor TorchPretrainer::views(const std::vector<std::size_t>& batch, std::mt19937_64& rng) const {
    const std::size_t b = batch.size(), w = shape_.frames, bands = shape_.bands;
    auto x = torch::zeros({std::int64_t(2 * b), 1, std::int64_t(bands), std::int64_t(w)});
    float* out = x.data_ptr<float>();
    for (std::size_t view = 0; view < 2; ++view)
        for (std::size_t i = 0; i < b; ++i) {
            const auto& unit = units_[batch[i]];
            const std::size_t track =
                unit.size() == 1 ? unit.front() : unit[std::uniform_int_distribution<std::size_t>(0, unit.size() - 1)(rng)];
            const FeatureMatrix& m = tracks_[track];
            const std::size_t room = m.frames() > w ? m.frames() - w : 0;
            const std::size_t start = std::uniform_int_distribution<std::size_t>(0, room)(rng);
            float* dst = out + (view * b + i) * shape_.size();
            const std::size_t valid = features::copyWindow(m.values(), bands, m.frames(), start, w, {dst, shape_.size()});
            stats_.apply(dst, shape_);
            if (valid < w)  // a short track: zero (the mean) after its end, as prediction pads it
                for (std::size_t k = 0; k < bands; ++k) std::fill(dst + k * w + valid, dst + (k + 1) * w, 0.0f);
        }
    return x;
}

void TorchPretrainer::waitWhilePaused() {
    if (!pauseRequested_.load()) return;
    state(TrainingState::Paused, "paused at epoch " + std::to_string(epochsDone_ + 1));
    {
        std::unique_lock lock(pauseMutex_);
        pauseChanged_.wait(lock, [&] { return !pauseRequested_.load() || stop_.load(); });
    }
    if (!stop_.load()) state(TrainingState::Running, "resumed");
}

double TorchPretrainer::trainEpoch(int epoch, EpochReport& report) {
    net_->train();
    head_->train();
    const std::uint64_t seed = config_.training.seed;
    torch::manual_seed(mixSeed(seed, std::uint64_t(epoch), 1));  // dropout
    std::vector<std::size_t> order(units_.size());
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 shuffle(mixSeed(seed, std::uint64_t(epoch), 2));
    std::shuffle(order.begin(), order.end(), shuffle);
    const std::size_t size = std::min(order.size(), std::size_t(config_.training.batchSize));
    const int batches = pretrainingStepsPerEpoch(order.size(), config_.training.batchSize);
    const auto start = Clock::now();
    double lossSum = 0, accuracySum = 0;
    std::size_t seen = 0;
    // The schedule is a function of the epoch alone (LearningRateSchedule.h), so a resumed run goes on where it was.
    report.learningRate = scheduledLearningRate(config_.training, epoch);
    for (int b = 0; b < batches; ++b) {
        waitWhilePaused();
        for (auto& group : optimizer_->param_groups())
            group.options().set_lr(report.learningRate * warmupFactor(config_.training, epoch, b, batches));
        if (stop_.load())
            throw StopPretraining{TrainingState::Stopped, "stopped during epoch " + std::to_string(epoch + 1) +
                                                              "; the checkpoint of epoch " + std::to_string(epochsDone_) +
                                                              " is kept"};
        const std::size_t first = std::size_t(b) * size;
        const std::vector<std::size_t> batch(order.begin() + std::ptrdiff_t(first),
                                             order.begin() + std::ptrdiff_t(std::min(order.size(), first + size)));
        std::mt19937_64 rng(mixSeed(seed, std::uint64_t(epoch), 4 * std::uint64_t(b) + 3));
        auto x = views(batch, rng).to(device_);
        x = augmentSpectrograms(x, config_.augmentation, stats_, mixSeed(seed, std::uint64_t(epoch), 4 * std::uint64_t(b) + 4));
        optimizer_->zero_grad();
        auto z = head_->forward(net_->embed(x).flatten(1));
        const auto n = std::int64_t(batch.size());
        double accuracy = 0;
        auto loss = ntXentLoss(z.slice(0, 0, n), z.slice(0, n, 2 * n), config_.temperature, &accuracy);
        const double value = loss.item<double>();
        if (!std::isfinite(value))
            throw StopPretraining{TrainingState::Failed,
                                  "the loss became NaN at epoch " + std::to_string(epoch + 1) + ", batch " +
                                      std::to_string(b + 1) + "; try a lower learning rate; the checkpoint of epoch " +
                                      std::to_string(epochsDone_) + " is kept"};
        loss.backward();
        optimizer_->step();
        lossSum += value * double(n);
        accuracySum += accuracy * double(n);
        seen += std::size_t(n);
        const double elapsed = std::max(std::chrono::duration<double>(Clock::now() - start).count(), 1e-9);
        report.samplesPerSecond = double(seen) / elapsed;
        if (observer_) observer_->onBatch({epoch, b, batches, step_, value, report.samplesPerSecond});
        ++step_;
    }
    report.metrics["pair_accuracy"] = seen ? accuracySum / double(seen) : 0.0;
    return seen ? lossSum / double(seen) : 0.0;
}

void TorchPretrainer::writeModel() const {
    if (!writes()) return;
    std::filesystem::create_directories(config_.training.runDir);
    saveModuleAtomically(*net_, config_.training.runDir / "model.pt");
    SavedModelInfo info;
    info.model = spec_;
    info.task = TaskSpec::parse(kPretrainedTask);
    info.input = shape_;
    info.featureSpec = config_.training.featureSpec;
    info.standardization = stats_;
    info.dataset = config_.training.datasetName;
    info.epochs = epochsDone_;
    info.embeddingSize = encoderWidth_;
    if (!history_.empty()) {
        info.metrics = history_.back().metrics;
        info.metrics["train_loss"] = history_.back().trainLoss;
    }
    info.extra = {{"pretrained", "contrastive"},
                  {"temperature", shortestText(config_.temperature)},
                  {"projection_dim", std::to_string(config_.projectionDim)},
                  {"augmentations", config_.augmentation.toString()},
                  {"tracks", std::to_string(tracks_.size())},
                  {"pair_by", std::string(toString(config_.pairBy))},
                  {"pairing_units", std::to_string(units_.size())},
                  {"learning_rate", shortestText(config_.training.learningRate)},
                  {"schedule", std::string(toString(config_.training.schedule))},
                  {"warmup_epochs", std::to_string(config_.training.warmupEpochs)},
                  {"batch_size", std::to_string(config_.training.batchSize)},
                  {"seed", std::to_string(config_.training.seed)},
                  {"epochs_planned", std::to_string(config_.training.epochs)},
                  {"kept", "last epoch"}};
    writeSavedModelInfo(config_.training.runDir, info);
}

void TorchPretrainer::writeCheckpoint() const {
    if (!writes() || !config_.training.checkpointEachEpoch) return;
    torch::serialize::OutputArchive archive, model, head, opt;
    net_->save(model);
    head_->save(head);
    optimizer_->save(opt);
    archive.write("model", model);
    archive.write("head", head);
    archive.write("optimizer", opt);
    archive.write("spec", c10::IValue(spec_.toString()));
    archive.write("crop_frames", c10::IValue(std::int64_t(shape_.frames)));
    archive.write("projection_dim", c10::IValue(std::int64_t(config_.projectionDim)));
    archive.write("pair_by", c10::IValue(std::string(toString(config_.pairBy))));
    // The statistics the encoder learnt with: a resumed run keeps them even if the library has changed since.
    archive.write("standardization_mode", c10::IValue(std::string(toString(stats_.mode))));
    archive.write("standardization_mean", torch::tensor(stats_.mean));
    archive.write("standardization_scale", torch::tensor(stats_.scale));
    archive.write("epochs_done", c10::IValue(std::int64_t(epochsDone_)));
    archive.write("step", c10::IValue(step_));
    archive.write("history", c10::IValue(encodeHistory(history_)));
    saveArchiveAtomically(archive, config_.training.runDir / kCheckpoint);
    writeFileAtomically(config_.training.runDir / "curves.csv", historyCsv(history_));
}

c10::IValue checkpointValue(torch::serialize::InputArchive& archive, const std::filesystem::path& file, const char* key) {
    c10::IValue v;
    if (!archive.try_read(key, v)) throw fileError(file, std::string("is not a pretraining checkpoint (no ") + key + ")");
    return v;
}

torch::serialize::InputArchive TorchPretrainer::openCheckpoint(const std::filesystem::path& file,
                                                               torch::Device device) const {
    torch::serialize::InputArchive archive;
    try {
        archive.load_from(file.string(), device);
    } catch (const std::exception& e) {
        throw fileError(file, std::string("cannot read the checkpoint: ") + e.what());
    }
    auto value = [&](const char* key) { return checkpointValue(archive, file, key); };
    if (value("spec").toStringRef() != spec_.toString())
        throw fileError(file, "was written for model " + value("spec").toStringRef() + ", not " + spec_.toString());
    if (value("crop_frames").toInt() != std::int64_t(shape_.frames))
        throw fileError(file, "was written with crops of " + std::to_string(value("crop_frames").toInt()) + " frames, not " +
                                  std::to_string(shape_.frames));
    if (value("projection_dim").toInt() != std::int64_t(config_.projectionDim))
        throw fileError(file, "was written with a projection of " + std::to_string(value("projection_dim").toInt()) +
                                  " dimensions, not " + std::to_string(config_.projectionDim));
    c10::IValue pairBy;  // absent from checkpoints written before pairs could be made by group
    const std::string storedPairBy = archive.try_read("pair_by", pairBy) ? pairBy.toStringRef() : "track";
    if (storedPairBy != toString(config_.pairBy))
        throw fileError(file, "was written with pairs made by " + storedPairBy + ", not by " +
                                  std::string(toString(config_.pairBy)));
    return archive;
}

void TorchPretrainer::loadCheckpoint(const std::filesystem::path& dir) {
    const auto file = dir / kCheckpoint;
    torch::serialize::InputArchive archive = openCheckpoint(file, device_);
    auto value = [&](const char* key) { return checkpointValue(archive, file, key); };
    try {
        torch::serialize::InputArchive model, head, opt;
        archive.read("model", model);
        archive.read("head", head);
        archive.read("optimizer", opt);
        net_->load(model);
        head_->load(head);
        optimizer_->load(opt);
        torch::Tensor mean, scale;
        archive.read("standardization_mean", mean);
        archive.read("standardization_scale", scale);
        stats_.mode = parseStandardizationMode(value("standardization_mode").toStringRef());
        mean = mean.to(torch::kCPU).contiguous();
        scale = scale.to(torch::kCPU).contiguous();
        stats_.mean.assign(mean.data_ptr<float>(), mean.data_ptr<float>() + mean.numel());
        stats_.scale.assign(scale.data_ptr<float>(), scale.data_ptr<float>() + scale.numel());
    } catch (const c10::Error& e) {
        throw fileError(file, std::string("does not match the model: ") + e.what_without_backtrace());
    }
    epochsDone_ = int(value("epochs_done").toInt());
    step_ = value("step").toInt();
    history_ = decodeHistory(value("history").toStringRef(), config_.training.epochs);
}

TrainingResult TorchPretrainer::result(TrainingState s, std::string message) const {
    TrainingResult r;
    r.state = s;
    r.message = std::move(message);
    r.epochsCompleted = epochsDone_;
    r.history = history_;
    if (!history_.empty()) r.finalMetrics = history_.back().metrics;
    r.device = describeDevice(device_, config_.training.threads);
    r.runDir = config_.training.runDir;
    return r;
}

TrainingResult TorchPretrainer::run() {
    const RunThreads threads(config_.training.threads);
    const CpuBufferCache::RunScope bufferCache;  // a step reuses the last step's buffers
    try {
        state(TrainingState::Preparing, "preparing " + std::to_string(tracks_.size()) + " tracks and the model");
        prepare();
        if (!resumeDir_.empty()) loadCheckpoint(resumeDir_);
        state(TrainingState::Running, "pretraining " + spec_.toString() + " on " + std::to_string(tracks_.size()) +
                                          " tracks, " +
                                          (config_.pairBy == PairBy::Group
                                               ? "pairs from " + std::to_string(units_.size()) + " groups, "
                                               : std::string()) +
                                          describeDevice(device_, config_.training.threads) +
                                          (epochsDone_ ? ", resumed after epoch " + std::to_string(epochsDone_) : ""));
        for (int epoch = epochsDone_; epoch < config_.training.epochs; ++epoch) {
            const auto start = Clock::now();
            EpochReport report;
            report.epoch = epoch;
            report.epochs = config_.training.epochs;
            report.trainLoss = trainEpoch(epoch, report);
            report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
            history_.push_back(report);
            epochsDone_ = epoch + 1;
            writeModel();
            writeCheckpoint();
            if (observer_) observer_->onEpoch(report);
        }
        const std::string message = "finished " + std::to_string(config_.training.epochs) + " epochs";
        state(TrainingState::Finished, message);
        return result(TrainingState::Finished, message);
    } catch (const StopPretraining& stop) {
        state(stop.state, stop.message);
        return result(stop.state, stop.message);
    } catch (const std::exception& e) {
        const std::string message = std::string("pretraining failed: ") + e.what();
        state(TrainingState::Failed, message);
        return result(TrainingState::Failed, message);
    }
}

}  // namespace

std::unique_ptr<PretrainerBackend> makeTorchPretrainer(ModelSpec model, PretrainingConfig config,
                                                       std::vector<FeatureMatrix> tracks,
                                                       std::vector<std::vector<std::size_t>> units, TrainingObserver* observer) {
    return std::make_unique<TorchPretrainer>(std::move(model), std::move(config), std::move(tracks), std::move(units),
                                             observer);
}

}  // namespace sonolab::ml
