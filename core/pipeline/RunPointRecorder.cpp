#include "core/pipeline/RunPointRecorder.h"

namespace sonolab::pipeline {

void RunPointRecorder::onBatch(const ml::BatchReport& r) {
    points_.push_back({"train/batch_loss", r.step, r.loss});
    if (next_) next_->onBatch(r);
}

void RunPointRecorder::onEpoch(const ml::EpochReport& r) {
    const std::int64_t step = r.epoch + 1;
    points_.push_back({"train/loss", step, r.trainLoss});
    points_.push_back({"learning_rate", step, r.learningRate});
    if (r.validationLoss) points_.push_back({"validation/loss", step, *r.validationLoss});
    for (const auto& [key, v] : r.metrics) points_.push_back({"validation/" + key, step, v});
    completed_ = points_.size();
    if (next_) next_->onEpoch(r);
}

void RunPointRecorder::onStateChanged(ml::TrainingState s, const std::string& message) {
    if (next_) next_->onStateChanged(s, message);
}

}  // namespace sonolab::pipeline
