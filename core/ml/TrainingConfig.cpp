#include "core/ml/TrainingConfig.h"
#include "core/ml/TrainingObserver.h"

#include "core/util/Error.h"

namespace sonolab::ml {

std::string_view toString(OptimizerKind k) {
    switch (k) {
        case OptimizerKind::Sgd: return "sgd";
        case OptimizerKind::Adam: return "adam";
        case OptimizerKind::Nadam: return "nadam";
    }
    return "adam";
}

std::string_view toString(ScheduleKind k) {
    switch (k) {
        case ScheduleKind::Constant: return "constant";
        case ScheduleKind::Step: return "step";
        case ScheduleKind::Cosine: return "cosine";
        case ScheduleKind::Plateau: return "plateau";
    }
    return "constant";
}

std::string_view toString(DeviceKind k) {
    switch (k) {
        case DeviceKind::Auto: return "auto";
        case DeviceKind::Cpu: return "cpu";
        case DeviceKind::Cuda: return "cuda";
    }
    return "auto";
}

std::string_view toString(TrainingState s) {
    switch (s) {
        case TrainingState::Idle: return "idle";
        case TrainingState::Preparing: return "preparing";
        case TrainingState::Running: return "running";
        case TrainingState::Paused: return "paused";
        case TrainingState::Finished: return "finished";
        case TrainingState::Stopped: return "stopped";
        case TrainingState::Failed: return "failed";
    }
    return "idle";
}

OptimizerKind parseOptimizer(std::string_view t) {
    if (t == "sgd") return OptimizerKind::Sgd;
    if (t == "adam") return OptimizerKind::Adam;
    if (t == "nadam") return OptimizerKind::Nadam;
    throw Error("optimizer '" + std::string(t) + "'", "expected sgd, adam or nadam");
}

ScheduleKind parseSchedule(std::string_view t) {
    if (t == "constant" || t == "none") return ScheduleKind::Constant;
    if (t == "step") return ScheduleKind::Step;
    if (t == "cosine") return ScheduleKind::Cosine;
    if (t == "plateau") return ScheduleKind::Plateau;
    throw Error("schedule '" + std::string(t) + "'", "expected constant, step, cosine or plateau");
}

DeviceKind parseDevice(std::string_view t) {
    if (t == "auto") return DeviceKind::Auto;
    if (t == "cpu") return DeviceKind::Cpu;
    if (t == "cuda" || t == "gpu") return DeviceKind::Cuda;
    throw Error("device '" + std::string(t) + "'", "expected auto, cpu or cuda");
}

std::string_view toString(MemoryLayout k) {
    switch (k) {
        case MemoryLayout::Auto: return "auto";
        case MemoryLayout::Contiguous: return "contiguous";
        case MemoryLayout::ChannelsLast: return "channels-last";
    }
    return "?";
}

MemoryLayout parseLayout(std::string_view t) {
    if (t == "auto") return MemoryLayout::Auto;
    if (t == "contiguous") return MemoryLayout::Contiguous;
    if (t == "channels-last" || t == "channels_last") return MemoryLayout::ChannelsLast;
    throw Error("memory layout '" + std::string(t) + "'", "expected auto, contiguous or channels-last");
}

}  // namespace sonolab::ml
