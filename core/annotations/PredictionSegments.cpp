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

// Where window w's time begins and ends: halfway to its neighbours' centres, from 0 to the last window's end (or
// endSeconds when earlier).
struct WindowSpans {
    const WindowScores& scores;
    double end = 0;
    WindowSpans(const WindowScores& s, double endSeconds) : scores(s) {
        if (s.probabilities.size() != s.startSeconds.size())
            throw Error("predictions", "window starts and probabilities disagree");
        end = s.startSeconds.empty() ? 0 : s.startSeconds.back() + s.windowSeconds;
        if (endSeconds > 0) end = std::min(end, endSeconds);
    }
    double centre(std::size_t w) const { return scores.startSeconds[w] + scores.windowSeconds / 2; }
    double begin(std::size_t w) const { return w == 0 ? 0 : std::min(end, (centre(w - 1) + centre(w)) / 2); }
    double finish(std::size_t w) const {
        return w + 1 == scores.startSeconds.size() ? end : std::min(end, (centre(w) + centre(w + 1)) / 2);
    }
};

}  // namespace

std::vector<Annotation> classValues(const WindowScores& scores, double endSeconds) {
    const WindowSpans spans(scores, endSeconds);
    std::vector<Annotation> out(scores.labels.size(), Annotation{.kind = Kind::Tag, .events = {}});
    for (std::size_t w = 0; w < scores.startSeconds.size(); ++w) {
        const auto& p = scores.probabilities[w];
        if (p.size() != scores.labels.size()) throw Error("predictions", "a window has the wrong number of classes");
        const double begin = spans.begin(w), finish = spans.finish(w);
        if (finish <= begin) continue;
        for (std::size_t k = 0; k < p.size(); ++k)
            out[k].events.push_back({.time = begin, .duration = finish - begin, .label = scores.labels[k], .value = p[k]});
    }
    return out;
}

Annotation topLabelSegments(const WindowScores& input, double endSeconds) {
    if (input.labels.size() == 1) return topLabelSegments(withComplement(input), endSeconds);
    const WindowScores& scores = input;
    const WindowSpans spans(scores, endSeconds);
    const std::size_t n = scores.startSeconds.size();
    Annotation out{.kind = Kind::Tag, .events = {}};
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
        const double segmentEnd = spans.finish(w);
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
