#include "core/annotations/PredictionSegments.h"

#include "core/util/Error.h"

#include <algorithm>

namespace sonolab::annotations {

namespace {

// A binary task's one sigmoid output p as two classes, LABEL (p) and "not LABEL" (1 - p).
WindowScores withComplement(const WindowScores& binary) {
    WindowScores two = binary;
    two.labels.push_back("not " + binary.labels[0]);
    for (auto& p : two.probabilities)
        if (p.size() == 1) p.push_back(1.0f - p[0]);
    return two;
}

}  // namespace

Annotation topLabelSegments(const WindowScores& input, double endSeconds) {
    if (input.labels.size() == 1) return topLabelSegments(withComplement(input), endSeconds);
    const WindowScores& scores = input;
    const std::size_t n = scores.startSeconds.size();
    if (scores.probabilities.size() != n) throw Error("predictions", "window starts and probabilities disagree");
    Annotation out{.kind = Kind::Tag, .events = {}};
    if (n == 0) return out;
    double end = scores.startSeconds.back() + scores.windowSeconds;
    if (endSeconds > 0) end = std::min(end, endSeconds);
    auto centre = [&](std::size_t w) { return scores.startSeconds[w] + scores.windowSeconds / 2; };
    auto top = [&](std::size_t w) {
        const auto& p = scores.probabilities[w];
        if (p.size() != scores.labels.size()) throw Error("predictions", "a window has the wrong number of classes");
        return std::size_t(std::max_element(p.begin(), p.end()) - p.begin());
    };
    std::size_t first = 0;  // first window of the current run of one top class
    double segmentStart = 0, sum = 0;
    for (std::size_t w = 0; w < n; ++w) {
        const std::size_t cls = top(w);
        sum += scores.probabilities[w][cls];
        const bool last = w + 1 == n;
        if (!last && top(w + 1) == cls) continue;
        const double segmentEnd = last ? end : std::min(end, (centre(w) + centre(w + 1)) / 2);
        if (segmentEnd > segmentStart)
            out.events.push_back({.time = segmentStart,
                                  .duration = segmentEnd - segmentStart,
                                  .label = scores.labels[cls],
                                  .value = sum / double(w - first + 1)});
        segmentStart = segmentEnd;
        first = w + 1;
        sum = 0;
    }
    return out;
}

}  // namespace sonolab::annotations
