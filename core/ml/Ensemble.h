#pragma once
// Prediction ensembling: several saved runs of one task (e.g. one recipe trained with several seeds) predict a clip
// together. Each member aggregates its windows as asked (WindowAggregation.h); the ensemble's probabilities, per
// window and per clip, are the mean over the members. One member is a plain Predictor.
#include "core/ml/Predictor.h"

#include <filesystem>
#include <vector>

namespace sonolab::ml {

class Ensemble {
public:
    // Throws sonolab::Error naming the run folder that is no run, or whose task, input or features differ from the
    // first member's.
    static Ensemble load(const std::vector<std::filesystem::path>& runDirs);

    const SavedModelInfo& info() const;  // the first member's
    std::size_t size() const { return members_.size(); }
    const Predictor& member(std::size_t i) const { return members_.at(i); }

    TrackPrediction predict(const FeatureMatrix& features, std::size_t hopFrames = 0,
                            WindowAggregation how = WindowAggregation::Mean) const;

private:
    std::vector<Predictor> members_;
};

}  // namespace sonolab::ml
