#include "core/onsets/rnn/OnsetExperiments.h"

#include "core/onsets/OnsetFeatureCache.h"
#include "core/onsets/rnn/TunedPeakPickingFile.h"
#include "core/util/Error.h"

#include <algorithm>
#include <memory>

namespace fs = std::filesystem;

namespace sonolab::onsets {
namespace {

ml::OnsetSequence sequenceOf(const OnsetItem& item, Matrix features, double fps) {
    ml::OnsetSequence s;
    s.name = item.name;
    s.frames = features.frames();
    s.dims = features.bins();
    s.targets = ml::quantizeOnsets(item.onsets, fps, features.frames());
    s.features = std::move(features).takeValues();
    return s;
}

struct LoadedSet {
    std::vector<ml::OnsetSequence> sequences;
    std::vector<std::size_t> items;  // dataset index of each sequence
};

// Features of the given items, through the cache.
LoadedSet load(const OnsetDataset& data, const std::vector<std::size_t>& items, const OnsetFeatureCache& cache,
               const Progress* progress, double& done, double total) {
    LoadedSet set;
    for (std::size_t i : items) {
        if (progress) {
            progress->throwIfCancelled();
            (*progress)(done, total, "features of " + data.items[i].name);
        }
        set.sequences.push_back(sequenceOf(data.items[i], cache.features(data.items[i].audio), cache.params().spectrogram.fps));
        set.items.push_back(i);
        done += 1;
    }
    return set;
}

std::vector<FileScore> scoreSet(const OnsetDataset& data, const LoadedSet& set, const OnsetDetector& detector,
                                const OnsetEvaluationParams& evaluation) {
    std::vector<FileScore> scores;
    for (std::size_t k = 0; k < set.sequences.size(); ++k) {
        const auto& s = set.sequences[k];
        const auto d = detector.detectFromFeatures(Matrix(s.features, s.frames, s.dims, Layout::FramesByBins));
        const auto& item = data.items[set.items[k]];
        scores.push_back({item.name, evaluateOnsets(d.times, item.onsets, evaluation), d.times});
    }
    return scores;
}

struct ValidationActivations {
    std::vector<std::vector<float>> activations;
    std::vector<std::vector<double>> annotations;
};

ValidationActivations activationsOf(const OnsetDataset& data, const LoadedSet& set, const ml::OnsetRnnModel& model) {
    ValidationActivations v;
    for (std::size_t k = 0; k < set.sequences.size(); ++k) {
        v.activations.push_back(model.predict(set.sequences[k]));
        v.annotations.push_back(data.items[set.items[k]].onsets);
    }
    return v;
}

OnsetPeakPickingParams peaksAt(const RnnExperimentConfig& config) {
    auto p = config.detector.rnnPeaks;
    p.fps = config.detector.rnnFeatures.spectrogram.fps;
    return p;
}

std::vector<std::size_t> concatFolds(const OnsetDataset& data, const std::vector<std::size_t>& folds) {
    std::vector<std::size_t> items;
    for (std::size_t f : folds) items.insert(items.end(), data.folds[f].begin(), data.folds[f].end());
    return items;
}

void finishSummary(OnsetExperimentResult& r, std::size_t folds) {
    r.summary = summarize(r.files);
    r.folds.assign(folds, {});
    for (std::size_t f = 0; f < folds; ++f) {
        std::vector<FileScore> part;
        for (std::size_t i = 0; i < r.files.size(); ++i)
            if (r.fileFold[i] == f) part.push_back(r.files[i]);
        r.folds[f] = summarize(part);
    }
}

}  // namespace

OnsetExperimentResult evaluateMethod(const OnsetDataset& data, const OnsetMethod& method,
                                     const OnsetDetectorParams& detectorParams, const OnsetEvaluationParams& evaluation,
                                     const fs::path& featureCache, const Progress* progress,
                                     const std::vector<std::size_t>& onlyFolds) {
    OnsetDetector detector(method, detectorParams);
    OnsetFeatureCache cache(featureCache, detectorParams.rnnFeatures);
    OnsetExperimentResult r;
    r.method = method.toString();
    auto wanted = [&](std::size_t f) {
        return onlyFolds.empty() || std::find(onlyFolds.begin(), onlyFolds.end(), f) != onlyFolds.end();
    };
    double total = 0;
    for (std::size_t f = 0; f < data.folds.size(); ++f)
        if (wanted(f)) total += double(data.folds[f].size());
    double done = 0;
    for (std::size_t f = 0; f < data.folds.size(); ++f) {
        if (!wanted(f)) continue;
        for (std::size_t i : data.folds[f]) {
            const auto& item = data.items[i];
            if (progress) {
                progress->throwIfCancelled();
                (*progress)(done, total, item.name);
            }
            const OnsetDetection d = method.kind == OnsetMethod::Kind::Flux
                                         ? detector.detect(item.audio)
                                         : detector.detectFromFeatures(cache.features(item.audio));
            r.files.push_back({item.name, evaluateOnsets(d.times, item.onsets, evaluation), d.times});
            r.fileFold.push_back(f);
            r.fileItem.push_back(i);
            done += 1;
        }
    }
    finishSummary(r, data.folds.size());
    return r;
}

OnsetExperimentResult evaluateDetections(const OnsetDataset& data, const fs::path& dir,
                                         const OnsetEvaluationParams& evaluation,
                                         const std::vector<std::size_t>& onlyFolds) {
    if (!fs::is_directory(dir)) throw fileError(dir, "is not a folder of detections (NAME.onsets per file)");
    OnsetExperimentResult r;
    r.method = "detections in " + dir.string();
    for (std::size_t f = 0; f < data.folds.size(); ++f) {
        if (!onlyFolds.empty() && std::find(onlyFolds.begin(), onlyFolds.end(), f) == onlyFolds.end()) continue;
        for (std::size_t i : data.folds[f]) {
            const auto& item = data.items[i];
            const fs::path file = dir / (item.name + ".onsets");
            auto times = fs::exists(file) ? readOnsetsFile(file) : std::vector<double>{};
            r.files.push_back({item.name, evaluateOnsets(times, item.onsets, evaluation), std::move(times)});
            r.fileFold.push_back(f);
            r.fileItem.push_back(i);
        }
    }
    finishSummary(r, data.folds.size());
    return r;
}

ml::OnsetTrainingResult trainRnnOnDataset(const OnsetDataset& data, std::size_t validationFold,
                                          const RnnExperimentConfig& config, ml::OnsetRnnModel& model,
                                          const fs::path& runDir, ml::TrainingObserver* observer,
                                          const Progress* progress, TunedPeakPicking* tuned) {
    const std::size_t k = data.folds.size();
    std::vector<std::size_t> trainFolds, valFolds;
    for (std::size_t f = 0; f < k; ++f) (f == validationFold && k > 1 ? valFolds : trainFolds).push_back(f);
    OnsetFeatureCache cache(config.featureCache, config.detector.rnnFeatures);
    double done = 0;
    const double total = double(data.items.size());
    const LoadedSet train = load(data, concatFolds(data, trainFolds), cache, progress, done, total);
    const LoadedSet validation = load(data, concatFolds(data, valFolds), cache, progress, done, total);
    if (train.sequences.empty()) throw Error(data.root.string(), "no training files");

    ml::OnsetTrainingConfig tc = config.training;
    tc.runDir = runDir;
    if (config.validationFmeasure && !validation.sequences.empty()) {
        tc.selectMetric = "onset_f";
        tc.validationMetrics = [&](const ml::OnsetRnnModel& m) -> std::map<std::string, double> {
            if (config.tunePeakPicking) {
                const auto v = activationsOf(data, validation, m);
                return {{"onset_f", bestThresholdFmeasure(v.activations, v.annotations, peaksAt(config),
                                                          config.evaluation, config.peakGrid)}};
            }
            // A non-owning view of the model being trained.
            OnsetDetector detector(std::shared_ptr<const ml::OnsetRnnModel>(&m, [](const ml::OnsetRnnModel*) {}),
                                   config.detector);
            const auto s = summarize(scoreSet(data, validation, detector, config.evaluation));
            return std::map<std::string, double>{{"onset_f", s.sum.fmeasure()},
                                                 {"onset_precision", s.sum.precision()},
                                                 {"onset_recall", s.sum.recall()}};
        };
    }
    auto result = ml::trainOnsetRnn(model, train.sequences, validation.sequences, tc, observer, progress);
    if (config.tunePeakPicking && !validation.sequences.empty() && result.epochsCompleted > 0) {
        const auto v = activationsOf(data, validation, model);
        const auto best = tunePeakPicking(v.activations, v.annotations, peaksAt(config), config.evaluation, config.peakGrid);
        if (!runDir.empty()) writeTunedPeaks(runDir, {best.params.threshold, best.params.smooth, best.fmeasure});
        if (tuned) *tuned = best;
    }
    return result;
}

OnsetExperimentResult crossValidateRnn(const OnsetDataset& data, const RnnExperimentConfig& config,
                                       ml::TrainingObserver* observer, const Progress* progress) {
    const std::size_t k = data.folds.size();
    if (k < 3) throw Error(data.root.string(), "cross-validation needs at least 3 folds (test, validation, training)");
    std::vector<std::size_t> testFolds = config.testFolds;
    if (testFolds.empty())
        for (std::size_t f = 0; f < (config.maxFolds > 0 ? std::min(config.maxFolds, k) : k); ++f) testFolds.push_back(f);
    for (std::size_t f : testFolds)
        if (f >= k) throw Error(data.root.string(), "there is no fold " + std::to_string(f) + " (" + std::to_string(k) + " folds)");
    OnsetExperimentResult r;
    r.method = "rnn (" + std::to_string(k) + "-fold cross-validation)";
    OnsetFeatureCache cache(config.featureCache, config.detector.rnnFeatures);
    for (std::size_t test : testFolds) {
        if (config.onFold) config.onFold(test, k);
        const std::size_t validationFold = (test + 1) % k;
        // Training sees every fold but the test fold: hide it by training on a copy without it.
        OnsetDataset without = data;
        without.folds.erase(without.folds.begin() + std::ptrdiff_t(test));
        const std::size_t valIndex = validationFold > test ? validationFold - 1 : validationFold;
        ml::OnsetRnnModel model(config.model, config.training.seed + test);
        const fs::path runDir = config.runsDir.empty() ? fs::path{} : config.runsDir / ("fold-" + std::to_string(test));
        TunedPeakPicking tuned{peaksAt(config), 0.0};
        auto training = trainRnnOnDataset(without, valIndex, config, model, runDir, observer, progress, &tuned);
        const bool stopped = training.state == ml::TrainingState::Stopped;
        // Stopped before any epoch: nothing to score. After one: score this fold's kept weights, then stop.
        if (stopped && training.epochsCompleted == 0) throw Cancelled{};
        r.training.push_back(std::move(training));

        double done = 0;
        const LoadedSet testSet = load(data, data.folds[test], cache, nullptr, done, 0);
        OnsetDetectorParams detectorParams = config.detector;
        detectorParams.rnnPeaks.threshold = tuned.params.threshold;
        detectorParams.rnnPeaks.smooth = tuned.params.smooth;
        OnsetDetector detector(std::shared_ptr<const ml::OnsetRnnModel>(&model, [](const ml::OnsetRnnModel*) {}),
                               detectorParams);
        auto scores = scoreSet(data, testSet, detector, config.evaluation);
        for (std::size_t j = 0; j < scores.size(); ++j) {
            r.files.push_back(std::move(scores[j]));
            r.fileFold.push_back(test);
            r.fileItem.push_back(testSet.items[j]);
        }
        if (config.onFoldDone) config.onFoldDone(test, runDir);
        if (stopped) {
            r.stopped = true;
            break;
        }
    }
    finishSummary(r, k);
    return r;
}

}  // namespace sonolab::onsets
