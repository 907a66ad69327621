#pragma once
// What a model predicts, and so which tracks a library can train it on: one binary label, exactly one of several
// classes, or any subset of several tags. The one task grammar of Sonolab, read by the library (which tracks and
// label vectors), the trainer (which head) and saved models. It lives in the base library, not in core/ml, because
// the library may link only the base library (core/CMakeLists.txt: no libtorch outside sonolab_ml).
//
// The task decides the head: sigmoid + binary cross-entropy for Binary and MultiLabel, softmax + cross-entropy for
// SingleLabel. Targets are always vectors of outputs() floats: {0|1} for Binary, one-hot for SingleLabel, {0,1}^n
// for MultiLabel (soft values in [0,1] are allowed for the sigmoid tasks).
//
// Grammar:  KIND:LABEL[,LABEL...][@LABELSET]
//   binary:speech            one output; 1 when the track carries "speech", 0 for every other annotated track of the
//                            label set(s) that know the class "speech"
//   single:a,b,c             one-hot over a,b,c (also "single-label:" / "single_label:"); at least two classes
//   multi:t1,t2,...          multi-hot over t1.. (also "multi-label:" / "multi_label:")
//   any of them + "@set"     (e.g. "single:rock,jazz@mtat") restricts the library lookup to one label set
// Spaces around names are ignored; an empty or repeated name is refused.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sonolab {

enum class TaskKind { Binary, SingleLabel, MultiLabel };

struct TaskSpec {
    TaskKind kind = TaskKind::Binary;
    std::vector<std::string> labels;
    std::string labelSet;  // after '@': the one label set to read; empty = every label set that has any of them

    // Throws sonolab::Error("task 'TEXT'", why) on a missing ':', an unknown kind, an empty or repeated label,
    // an empty label set after '@', "binary" with more than one label or "single" with fewer than two.
    static TaskSpec parse(std::string_view text);
    // The canonical text: parse(toString()) == *this.
    std::string toString() const;
    // The same task without its label set: what a trained model predicts, whichever set its data came from.
    TaskSpec withoutLabelSet() const;

    // Width of the network's output layer: 1 for Binary, labels.size() otherwise.
    std::size_t outputs() const { return kind == TaskKind::Binary ? 1 : labels.size(); }
    // Names of the outputs (for Binary, the single label).
    const std::vector<std::string>& outputNames() const { return labels; }
    bool usesSoftmax() const { return kind == TaskKind::SingleLabel; }

    bool operator==(const TaskSpec&) const = default;
};

std::string_view toString(TaskKind kind);

}  // namespace sonolab
