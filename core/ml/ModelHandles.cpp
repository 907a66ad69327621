// The handles' side of the model runtime (ModelRuntime.h): Trainer, Predictor, OnsetRnnModel and the functions that
// run a network keep their plain C++ API here and forward to the module, loading it on first use.
#include "core/ml/ModelRuntime.h"

#include "core/features/Patches.h"

#include <algorithm>
#include <cmath>

namespace sonolab::ml {

// --- Trainer.h

Trainer::Trainer(ModelSpec model, TrainingConfig config, Dataset& train, Dataset* validation,
                 TrainingObserver* observer, const LossRegistry* losses)
    : backend_(modelRuntime().makeTrainer(std::move(model), std::move(config), train, validation, observer, losses)) {}
Trainer::~Trainer() = default;
bool Trainer::hasCheckpoint(const std::filesystem::path& runDir) {
    return std::filesystem::is_regular_file(runDir / kCheckpointFile);
}
void Trainer::resumeFrom(const std::filesystem::path& runDir) { backend_->resumeFrom(runDir); }
TrainingResult Trainer::run() { return backend_->run(); }
void Trainer::requestStop() { backend_->requestStop(); }
void Trainer::pause() { backend_->pause(); }
void Trainer::resume() { backend_->resume(); }
bool Trainer::paused() const { return backend_->paused(); }
std::string Trainer::deviceDescription() const { return backend_->deviceDescription(); }
std::vector<float> Trainer::flatParameters() const { return backend_->flatParameters(); }
std::size_t Trainer::parameterCount() const { return backend_->parameterCount(); }
MemoryLayout Trainer::memoryLayout() const { return backend_->memoryLayout(); }

// --- Predictor.h

int TrackPrediction::best() const {
    if (probabilities.empty()) return -1;
    return int(std::max_element(probabilities.begin(), probabilities.end()) - probabilities.begin());
}

Predictor::Predictor(std::unique_ptr<PredictorBackend> backend) : backend_(std::move(backend)) {}
Predictor::~Predictor() = default;
Predictor::Predictor(Predictor&&) noexcept = default;
Predictor& Predictor::operator=(Predictor&&) noexcept = default;
Predictor Predictor::load(const std::filesystem::path& runDir) {
    // A folder that is no run is refused without loading libtorch.
    if (!isRunFolder(runDir)) throw fileError(runDir, "is not a trained run (no model.txt and model.pt)");
    return Predictor(modelRuntime().loadPredictor(runDir));
}
const SavedModelInfo& Predictor::info() const { return backend_->info(); }
TrackPrediction Predictor::predict(const FeatureMatrix& features, std::size_t hopFrames, WindowAggregation how) const {
    // The centre crop is one window of the model's width: predicted alone, as validation during training sees it.
    const std::size_t width = info().input.frames;
    TrackPrediction r = how == WindowAggregation::Centre && features.frames() > width
                            ? backend_->predictWindows(features::centreWindow(features, width), hopFrames)
                            : backend_->predictWindows(features, hopFrames);
    r.probabilities = aggregateWindows(r.windows, how, info().task.usesSoftmax());
    return r;
}
std::vector<std::vector<float>> Predictor::predictMany(const std::vector<const FeatureMatrix*>& examples,
                                                       bool wholeTracks) const {
    std::vector<std::vector<float>> out;
    out.reserve(examples.size());
    for (const FeatureMatrix* m : examples) {
        if (!m) throw Error("predict", "null example");
        out.push_back(predict(*m, 0, wholeTracks ? WindowAggregation::Mean : WindowAggregation::Centre).probabilities);
    }
    return out;
}
std::vector<float> Predictor::embed(const FeatureMatrix& features, std::size_t hopFrames, WindowAggregation how) const {
    if (how == WindowAggregation::Vote) throw Error("embed", "vote aggregates class probabilities, not embeddings");
    const std::size_t width = info().input.frames;
    const auto windows = how == WindowAggregation::Centre && features.frames() > width
                             ? backend_->embedWindows(features::centreWindow(features, width), hopFrames)
                             : backend_->embedWindows(features, hopFrames);
    return aggregateWindows(windows, how, false);
}
std::size_t Predictor::embeddingSize() const { return backend_->embeddingSize(); }

// --- OnsetRnnModel.h, OnsetSequenceTrainer.h

std::vector<float> quantizeOnsets(const std::vector<double>& onsets, double fps, std::size_t frames) {
    std::vector<float> targets(frames, 0.0f);
    for (double t : onsets) {
        const double f = std::nearbyint(t * fps);
        if (f >= 0 && f < double(frames)) targets[std::size_t(f)] = 1.0f;
    }
    return targets;
}

OnsetRnnModel::OnsetRnnModel(OnsetRnnConfig config, std::uint64_t seed)
    : backend_(modelRuntime().makeOnsetRnn(std::move(config), seed)) {}
OnsetRnnModel::OnsetRnnModel(std::unique_ptr<OnsetRnnBackend> backend) : backend_(std::move(backend)) {}
OnsetRnnModel::~OnsetRnnModel() = default;
OnsetRnnModel::OnsetRnnModel(OnsetRnnModel&&) noexcept = default;
OnsetRnnModel& OnsetRnnModel::operator=(OnsetRnnModel&&) noexcept = default;
OnsetRnnModel OnsetRnnModel::load(const std::filesystem::path& fileOrRunDir) {
    if (!std::filesystem::exists(fileOrRunDir)) throw fileError(fileOrRunDir, "no such onset model file");
    return OnsetRnnModel(modelRuntime().loadOnsetRnn(fileOrRunDir));
}
const OnsetRnnConfig& OnsetRnnModel::config() const { return backend_->config(); }
std::size_t OnsetRnnModel::parameterCount() const { return backend_->parameterCount(); }
std::vector<float> OnsetRnnModel::flatParameters() const { return backend_->flatParameters(); }
void OnsetRnnModel::setStandardization(std::vector<float> mean, std::vector<float> scale) {
    backend_->setStandardization(std::move(mean), std::move(scale));
}
void OnsetRnnModel::fitStandardization(const std::vector<OnsetSequence>& sequences) {
    backend_->fitStandardization(sequences);
}
const std::vector<float>& OnsetRnnModel::standardizationMean() const { return backend_->standardizationMean(); }
const std::vector<float>& OnsetRnnModel::standardizationScale() const { return backend_->standardizationScale(); }
std::vector<float> OnsetRnnModel::predict(const float* features, std::size_t frames, std::size_t dims) const {
    return backend_->predict(features, frames, dims);
}
void OnsetRnnModel::save(const std::filesystem::path& file) const { backend_->save(file); }

OnsetTrainingResult trainOnsetRnn(OnsetRnnModel& model, const std::vector<OnsetSequence>& train,
                                  const std::vector<OnsetSequence>& validation, const OnsetTrainingConfig& config,
                                  TrainingObserver* observer, const Progress* progress) {
    return modelRuntime().trainOnsetRnn(model, train, validation, config, observer, progress);
}

double onsetLoss(const OnsetRnnModel& model, const std::vector<OnsetSequence>& sequences) {
    return modelRuntime().onsetLoss(model, sequences);
}

// --- Siamese.h

std::shared_ptr<const LossRegistry> siameseLosses(SiameseLossParams params) {
    return modelRuntime().siameseLosses(params);
}
double contrastiveLossValue(const std::vector<float>& distances, const std::vector<float>& targets, double margin) {
    return modelRuntime().contrastiveLossValue(distances, targets, margin);
}
double tripletLossValue(const std::vector<float>& embeddings, std::size_t dim, const std::vector<int>& classes,
                        double margin) {
    return modelRuntime().tripletLossValue(embeddings, dim, classes, margin);
}

// --- ContrastivePretraining.h

Pretrainer::Pretrainer(ModelSpec model, PretrainingConfig config, PretrainingTracks tracks, TrainingObserver* observer) {
    if (config.training.schedule == ScheduleKind::Plateau)
        throw Error("pretraining", "the plateau schedule lowers the rate when the validation loss stalls, and "
                                   "pretraining has no validation set; use constant, step or cosine");
    auto units = pairingUnits(tracks.features.size(), tracks.groups, config.pairBy);
    config.training.epochs = resolvedEpochs(config, units.size());
    backend_ = modelRuntime().makePretrainer(std::move(model), std::move(config), std::move(tracks.features),
                                             std::move(units), observer);
}
Pretrainer::~Pretrainer() = default;
void Pretrainer::resumeFrom(const std::filesystem::path& runDir) { backend_->resumeFrom(runDir); }
TrainingResult Pretrainer::run() { return backend_->run(); }
void Pretrainer::requestStop() { backend_->requestStop(); }
void Pretrainer::pause() { backend_->pause(); }
void Pretrainer::resume() { backend_->resume(); }

double ntXentLossValue(const std::vector<float>& a, const std::vector<float>& b, std::size_t dim, double temperature) {
    return modelRuntime().ntXentLossValue(a, b, dim, temperature);
}
bool isPretrainedRun(const std::filesystem::path& runDir) {
    if (!isRunFolder(runDir)) return false;
    return readSavedModelInfo(runDir).extra.count("pretrained") > 0;
}
void requireClassifierRun(const std::filesystem::path& runDir) {
    if (isPretrainedRun(runDir))
        throw fileError(runDir, "was made by `pretrain` and is an encoder without a classifier head, so train a "
                                "classifier from it first with `sonolab-cli train ... --init " + runDir.string() + "`");
    if (isRunFolder(runDir) && readSavedModelInfo(runDir).extra.count("siamese_loss"))
        throw fileError(runDir, "was made by `train-siamese` and is a similarity space (--space run:" +
                                    runDir.string() + "), not a classifier");
}
std::vector<float> encoderStateOf(const std::filesystem::path& runDir) {
    if (!isRunFolder(runDir)) throw fileError(runDir, "is not a trained run (no model.txt and model.pt)");
    return modelRuntime().encoderStateOf(runDir);
}

}  // namespace sonolab::ml
