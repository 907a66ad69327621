#include "core/ml/LearningRateSchedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace sonolab::ml {

bool encoderFrozenAt(const TrainingConfig& config, int epoch) {
    if (config.initRun.empty()) return false;
    return config.freezeEncoder || epoch < config.probeEpochs;
}

double baseLearningRate(const TrainingConfig& config, int epoch) {
    const bool fineTuning = config.probeEpochs > 0 && epoch >= config.probeEpochs;
    return fineTuning && config.fineTuneLearningRate > 0 ? config.fineTuneLearningRate : config.learningRate;
}

double scheduledLearningRate(const TrainingConfig& config, int epoch) {
    const double lr0 = baseLearningRate(config, epoch);
    switch (config.schedule) {
        case ScheduleKind::Constant:
        case ScheduleKind::Plateau: return lr0;
        case ScheduleKind::Step: return lr0 * std::pow(config.gamma, double(epoch / std::max(1, config.stepEpochs)));
        case ScheduleKind::Cosine: {
            const int warm = std::max(0, config.warmupEpochs);
            const double t = double(std::max(0, epoch - warm)) / double(std::max(1, config.epochs - warm));
            const double lo = std::min(config.minLearningRate, lr0);
            return lo + (lr0 - lo) * 0.5 * (1.0 + std::cos(std::numbers::pi * t));
        }
    }
    return lr0;
}

double warmupFactor(const TrainingConfig& config, int epoch, int batch, int batches) {
    if (config.warmupEpochs <= 0 || batches <= 0) return 1.0;
    const double done = double(epoch) * double(batches) + double(batch) + 1.0;
    return std::min(1.0, done / (double(config.warmupEpochs) * double(batches)));
}

}  // namespace sonolab::ml
