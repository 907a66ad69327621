#pragma once
// Chooses the recurrent detector's peak picking (threshold and smoothing of OnsetPeakPicking) on validation data:
// every pair of a small grid is applied to the validation files' activations and scored against their annotations
// (counts summed over files); the best F-measure wins, ties going to the earlier pair of the grid. Run on a
// validation fold after training, never on the data a detector is evaluated on.
#include "core/onsets/OnsetEvaluation.h"
#include "core/onsets/OnsetPeakPicking.h"

#include <vector>

namespace sonolab::onsets {

struct PeakTuningGrid {
    std::vector<float> thresholds{0.2f, 0.25f, 0.3f, 0.35f, 0.4f, 0.45f, 0.5f, 0.55f, 0.6f};
    std::vector<double> smooths{0.0, 0.03, 0.05, 0.07};  // seconds
};

struct TunedPeakPicking {
    OnsetPeakPickingParams params;  // `base` with the chosen threshold and smoothing
    double fmeasure = 0;            // summed over the validation files
};

// activations[i] at base.fps belongs with annotations[i] (seconds). Throws sonolab::Error on mismatched sizes or an
// empty grid.
TunedPeakPicking tunePeakPicking(const std::vector<std::vector<float>>& activations,
                                 const std::vector<std::vector<double>>& annotations,
                                 const OnsetPeakPickingParams& base = {}, const OnsetEvaluationParams& evaluation = {},
                                 const PeakTuningGrid& grid = {});

// The best summed F-measure over grid.thresholds at base's smoothing (cheap enough to report after every epoch).
double bestThresholdFmeasure(const std::vector<std::vector<float>>& activations,
                             const std::vector<std::vector<double>>& annotations,
                             const OnsetPeakPickingParams& base = {}, const OnsetEvaluationParams& evaluation = {},
                             const PeakTuningGrid& grid = {});

}  // namespace sonolab::onsets
