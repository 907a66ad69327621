#pragma once
// Uses a saved run: predicts whole tracks by sliding windows (averaging the window probabilities), keeps the
// per-window predictions for display over time, and embeds tracks in the penultimate layer's space.
// Thread-safety: one Predictor may be used from one thread at a time; load one per thread for parallel work.
#include "core/ml/FeatureMatrix.h"
#include "core/ml/SavedModel.h"

#include <filesystem>
#include <memory>
#include <vector>

namespace sonolab::ml {

class PredictorBackend;

struct TrackPrediction {
    std::vector<float> probabilities;               // per output: mean over windows
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
    // hopFrames 0 = windowFrames / 2. A track shorter than one window is zero-padded to it.
    TrackPrediction predict(const FeatureMatrix& features, std::size_t hopFrames = 0) const;
    // Many examples, one window each (centre crop) or sliding windows when `wholeTracks`: [example][output].
    std::vector<std::vector<float>> predictMany(const std::vector<const FeatureMatrix*>& examples,
                                                bool wholeTracks = true) const;
    // Penultimate-layer embedding averaged over the track's windows.
    std::vector<float> embed(const FeatureMatrix& features, std::size_t hopFrames = 0) const;
    std::size_t embeddingSize() const;

private:
    explicit Predictor(std::unique_ptr<PredictorBackend> backend);
    std::unique_ptr<PredictorBackend> backend_;
};

}  // namespace sonolab::ml
