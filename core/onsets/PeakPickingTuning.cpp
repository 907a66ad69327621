#include "core/onsets/PeakPickingTuning.h"

#include "core/util/Error.h"

namespace sonolab::onsets {
namespace {

void check(const std::vector<std::vector<float>>& activations, const std::vector<std::vector<double>>& annotations,
           const PeakTuningGrid& grid) {
    if (activations.size() != annotations.size())
        throw Error("peak picking tuning", "needs one annotation list per activation");
    if (grid.thresholds.empty() || grid.smooths.empty()) throw Error("peak picking tuning", "the grid is empty");
}

double summedF(const std::vector<std::vector<float>>& activations, const std::vector<std::vector<double>>& annotations,
               const OnsetPeakPickingParams& params, const OnsetEvaluationParams& evaluation) {
    OnsetCounts sum;
    for (std::size_t i = 0; i < activations.size(); ++i)
        sum += evaluateOnsets(pickOnsets(activations[i], params), annotations[i], evaluation);
    return sum.fmeasure();
}

}  // namespace

TunedPeakPicking tunePeakPicking(const std::vector<std::vector<float>>& activations,
                                 const std::vector<std::vector<double>>& annotations,
                                 const OnsetPeakPickingParams& base, const OnsetEvaluationParams& evaluation,
                                 const PeakTuningGrid& grid) {
    check(activations, annotations, grid);
    TunedPeakPicking best{base, -1.0};
    for (double smooth : grid.smooths)
        for (float threshold : grid.thresholds) {
            OnsetPeakPickingParams p = base;
            p.threshold = threshold;
            p.smooth = smooth;
            const double f = summedF(activations, annotations, p, evaluation);
            if (f > best.fmeasure) best = {p, f};
        }
    return best;
}

double bestThresholdFmeasure(const std::vector<std::vector<float>>& activations,
                             const std::vector<std::vector<double>>& annotations,
                             const OnsetPeakPickingParams& base, const OnsetEvaluationParams& evaluation,
                             const PeakTuningGrid& grid) {
    PeakTuningGrid thresholdsOnly = grid;
    thresholdsOnly.smooths = {base.smooth};
    return tunePeakPicking(activations, annotations, base, evaluation, thresholdsOnly).fmeasure;
}

}  // namespace sonolab::onsets
