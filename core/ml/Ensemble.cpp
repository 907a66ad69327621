#include "core/ml/Ensemble.h"

#include "core/util/Error.h"

namespace sonolab::ml {

Ensemble Ensemble::load(const std::vector<std::filesystem::path>& runDirs) {
    if (runDirs.empty()) throw Error("ensemble", "no run folder given");
    Ensemble e;
    for (const auto& dir : runDirs) {
        e.members_.push_back(Predictor::load(dir));
        const SavedModelInfo& first = e.members_.front().info();
        const SavedModelInfo& info = e.members_.back().info();
        if (info.task.toString() != first.task.toString())
            throw fileError(dir, "predicts " + info.task.toString() + ", the first run " + first.task.toString());
        if (info.input != first.input || info.featureSpec != first.featureSpec)
            throw fileError(dir, "takes other features (" + info.featureSpec + ") than the first run (" +
                                     first.featureSpec + ")");
    }
    return e;
}

const SavedModelInfo& Ensemble::info() const { return members_.front().info(); }

TrackPrediction Ensemble::predict(const FeatureMatrix& features, std::size_t hopFrames, WindowAggregation how) const {
    TrackPrediction sum = members_.front().predict(features, hopFrames, how);
    for (std::size_t m = 1; m < members_.size(); ++m) {
        const TrackPrediction p = members_[m].predict(features, hopFrames, how);
        for (std::size_t k = 0; k < sum.probabilities.size(); ++k) sum.probabilities[k] += p.probabilities[k];
        for (std::size_t w = 0; w < sum.windows.size(); ++w)
            for (std::size_t k = 0; k < sum.windows[w].size(); ++k) sum.windows[w][k] += p.windows[w][k];
    }
    const float n = float(members_.size());
    for (float& v : sum.probabilities) v /= n;
    for (auto& w : sum.windows)
        for (float& v : w) v /= n;
    return sum;
}

}  // namespace sonolab::ml
