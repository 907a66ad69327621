#pragma once
// Keeps every curve point of a training run for the library's runs table (run_points) while forwarding each report
// to the caller's observer. The series names are the ones the dashboard writes and reads (ui/training/RunRecorder.h).
#include "core/library/LibraryTypes.h"
#include "core/ml/TrainingObserver.h"

#include <vector>

namespace sonolab::pipeline {

class RunPointRecorder : public ml::TrainingObserver {
public:
    explicit RunPointRecorder(ml::TrainingObserver* next) : next_(next) {}

    void onBatch(const ml::BatchReport& r) override;
    // Records the epoch's losses, learning rate and validation metrics (a subclass may add metrics first).
    void onEpoch(const ml::EpochReport& r) override;
    void onStateChanged(ml::TrainingState s, const std::string& message) override;

    const std::vector<library::RunPoint>& points() const { return points_; }
    // The points up to the end of the last completed epoch (what a checkpoint holds).
    std::vector<library::RunPoint> checkpointedPoints() const {
        return {points_.begin(), points_.begin() + std::ptrdiff_t(completed_)};
    }

private:
    ml::TrainingObserver* next_;
    std::vector<library::RunPoint> points_;
    std::size_t completed_ = 0;  // points_ up to the last epoch report
};

}  // namespace sonolab::pipeline
