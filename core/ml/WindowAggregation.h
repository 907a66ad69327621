#pragma once
// The one owner of "windows of a clip -> one output": evaluation, prediction and embeddings (a run as a similarity
// space) all aggregate a clip's sliding windows here, so the choice measured in scripts/bench-recipe.sh applies to
// all of them alike.
//
//   mean  the average of the windows' outputs (probabilities or embedding vectors): the default, measured best
//   max   the largest value of each output over the windows (a tag heard in one window only still counts)
//   vote  class probabilities only: the share of windows whose arg-max is each class (single-label), or whose
//         probability is at least 0.5 (binary and multi-label)
//   none  one centre window, as validation during training sees it (the old single-crop figure, to compare)
#include <string_view>
#include <vector>

namespace sonolab::ml {

enum class WindowAggregation { Mean, Max, Vote, Centre };

std::string_view toString(WindowAggregation how);             // mean | max | vote | none
WindowAggregation parseWindowAggregation(std::string_view text);  // throws sonolab::Error naming the choices

// [window][output] -> [output]. `exclusive`: the outputs are one softmax (single-label), which vote needs to know.
// Centre takes the middle window (callers that want the exact centre crop predict that one window only). Throws
// sonolab::Error when there is no window or the windows differ in width.
std::vector<float> aggregateWindows(const std::vector<std::vector<float>>& windows, WindowAggregation how,
                                    bool exclusive);

}  // namespace sonolab::ml
