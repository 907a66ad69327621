#include "core/ml/WindowAggregation.h"

#include "core/util/Error.h"

#include <algorithm>
#include <limits>
#include <string>

namespace sonolab::ml {

std::string_view toString(WindowAggregation how) {
    switch (how) {
        case WindowAggregation::Mean: return "mean";
        case WindowAggregation::Max: return "max";
        case WindowAggregation::Vote: return "vote";
        case WindowAggregation::Centre: return "none";
    }
    return "mean";
}

WindowAggregation parseWindowAggregation(std::string_view text) {
    if (text == "mean") return WindowAggregation::Mean;
    if (text == "max") return WindowAggregation::Max;
    if (text == "vote") return WindowAggregation::Vote;
    if (text == "none" || text == "centre" || text == "center") return WindowAggregation::Centre;
    throw Error("aggregate '" + std::string(text) + "'", "expected mean, max, vote or none");
}

std::vector<float> aggregateWindows(const std::vector<std::vector<float>>& windows, WindowAggregation how,
                                    bool exclusive) {
    if (windows.empty()) throw Error("aggregate windows", "the clip has no window");
    const std::size_t width = windows.front().size();
    for (const auto& w : windows)
        if (w.size() != width) throw Error("aggregate windows", "windows differ in width");
    if (how == WindowAggregation::Centre) return windows[windows.size() / 2];
    // Sums in double: a 10-minute track has hundreds of windows.
    std::vector<double> acc(width, how == WindowAggregation::Max ? -std::numeric_limits<double>::infinity() : 0.0);
    for (const auto& w : windows) {
        switch (how) {
            case WindowAggregation::Mean:
                for (std::size_t k = 0; k < width; ++k) acc[k] += w[k];
                break;
            case WindowAggregation::Max:
                for (std::size_t k = 0; k < width; ++k) acc[k] = std::max(acc[k], double(w[k]));
                break;
            case WindowAggregation::Vote:
                if (exclusive) {
                    if (width) acc[std::size_t(std::max_element(w.begin(), w.end()) - w.begin())] += 1.0;
                } else {
                    for (std::size_t k = 0; k < width; ++k) acc[k] += w[k] >= 0.5f ? 1.0 : 0.0;
                }
                break;
            case WindowAggregation::Centre: break;
        }
    }
    std::vector<float> out(width);
    const double n = how == WindowAggregation::Max ? 1.0 : double(windows.size());
    for (std::size_t k = 0; k < width; ++k) out[k] = float(acc[k] / n);
    return out;
}

}  // namespace sonolab::ml
