#pragma once
// What a model predicts: one binary label, exactly one of several classes, or any subset of several tags.
// The task decides the head: sigmoid + binary cross-entropy for Binary and MultiLabel, softmax + cross-entropy for
// SingleLabel. Targets are always vectors of outputs() floats: {0|1} for Binary, one-hot for SingleLabel, {0,1}^n
// for MultiLabel (soft values in [0,1] are allowed for the sigmoid tasks).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sonolab::ml {

enum class TaskKind { Binary, SingleLabel, MultiLabel };

struct TaskSpec {
    TaskKind kind = TaskKind::Binary;
    std::vector<std::string> labels;

    // "binary:speech", "single:orchestral,electronic,rock_metal", "multi:guitar,piano,vocal".
    // Throws sonolab::Error on an unknown kind, an empty or duplicated label, or "binary" with more than one label.
    static TaskSpec parse(std::string_view text);
    std::string toString() const;

    // Width of the network's output layer: 1 for Binary, labels.size() otherwise.
    std::size_t outputs() const { return kind == TaskKind::Binary ? 1 : labels.size(); }
    // Names of the outputs (for Binary, the single label).
    const std::vector<std::string>& outputNames() const { return labels; }
    bool usesSoftmax() const { return kind == TaskKind::SingleLabel; }
};

std::string_view toString(TaskKind kind);

}  // namespace sonolab::ml
