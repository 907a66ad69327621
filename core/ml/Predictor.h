#pragma once
// Uses a saved run: predicts whole tracks by sliding windows (aggregated as WindowAggregation.h says, the mean of
// the window probabilities by default), keeps the per-window predictions for display over time, and embeds tracks
// in the penultimate layer's space.
// Thread-safety: one Predictor may be used from one thread at a time; load one per thread for parallel work.
#include "core/ml/FeatureMatrix.h"
#include "core/ml/SavedModel.h"
#include "core/ml/WindowAggregation.h"

#include <filesystem>
#include <memory>
#include <vector>

namespace sonolab::ml {

class PredictorBackend;

struct TrackPrediction {
    std::vector<float> probabilities;               // per output: the windows aggregated (the mean by default)
    std::vector<std::vector<float>> windows;        // [window][output]
    std::vector<std::size_t> windowStartFrames;     // first frame of each window
    std::size_t windowFrames = 0;
    std::size_t hopFrames = 0;
    int best() const;                               // arg-max of probabilities (-1 if empty)
};

class Predictor {
public:
    // Throws sonolab::Error naming the folder when it is not a complete run (ModelRuntimeUnavailable without
    // libtorch: see ModelRuntime.h).
    static Predictor load(const std::filesystem::path& runDir);
    ~Predictor();
    Predictor(Predictor&&) noexcept;
    Predictor& operator=(Predictor&&) noexcept;

    const SavedModelInfo& info() const;

    // Features of a whole track (the run's featureSpec, unstandardised: the predictor standardises).
    // hopFrames 0 = windowFrames / 2. A track shorter than one window is zero-padded to it. With
    // WindowAggregation::Centre only the centre crop is predicted (one window).
    TrackPrediction predict(const FeatureMatrix& features, std::size_t hopFrames = 0,
                            WindowAggregation how = WindowAggregation::Mean) const;
    // Many examples, one window each (centre crop) or sliding windows (mean) when `wholeTracks`: [example][output].
    std::vector<std::vector<float>> predictMany(const std::vector<const FeatureMatrix*>& examples,
                                                bool wholeTracks = true) const;
    // Penultimate-layer embedding of the track's windows, aggregated (mean or max; vote is for classes only).
    std::vector<float> embed(const FeatureMatrix& features, std::size_t hopFrames = 0,
                             WindowAggregation how = WindowAggregation::Mean) const;
    std::size_t embeddingSize() const;

private:
    explicit Predictor(std::unique_ptr<PredictorBackend> backend);
    std::unique_ptr<PredictorBackend> backend_;
};

}  // namespace sonolab::ml
