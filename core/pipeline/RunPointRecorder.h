#pragma once
// The observer both library trainers (classifier and siamese) put between the trainer and the caller's observer: it
// forwards every report and keeps the curves as points for the library's runs table.
#include "core/library/LibraryTypes.h"
#include "core/ml/TrainingObserver.h"

#include <string>
#include <vector>

namespace sonolab::pipeline {

class RunPointRecorder : public ml::TrainingObserver {
public:
    explicit RunPointRecorder(ml::TrainingObserver* next) : next_(next) {}

    const std::vector<library::RunPoint>& points() const { return points_; }

    void onBatch(const ml::BatchReport& r) override {
        points_.push_back({"train/batch_loss", r.step, r.loss});
        if (next_) next_->onBatch(r);
    }
    // Steps of the epoch curves count epochs from 1, as the dashboard's axes do.
    void onEpoch(const ml::EpochReport& r) override {
        const std::int64_t step = r.epoch + 1;
        points_.push_back({"train/loss", step, r.trainLoss});
        points_.push_back({"learning_rate", step, r.learningRate});
        if (r.validationLoss) points_.push_back({"validation/loss", step, *r.validationLoss});
        for (const auto& [key, v] : r.metrics) points_.push_back({"validation/" + key, step, v});
        if (next_) next_->onEpoch(r);
    }
    void onStateChanged(ml::TrainingState s, const std::string& m) override {
        if (next_) next_->onStateChanged(s, m);
    }

private:
    ml::TrainingObserver* next_;
    std::vector<library::RunPoint> points_;
};

}  // namespace sonolab::pipeline
