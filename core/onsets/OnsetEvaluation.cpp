#include "core/onsets/OnsetEvaluation.h"

#include "core/onsets/OnsetPeakPicking.h"
#include "core/util/Error.h"

#include <algorithm>
#include <cmath>

namespace sonolab::onsets {

double OnsetCounts::precision() const {
    const std::size_t retrieved = truePositives + falsePositives;
    return retrieved == 0 ? 1.0 : double(truePositives) / double(retrieved);
}

double OnsetCounts::recall() const {
    const std::size_t relevant = truePositives + falseNegatives;
    return relevant == 0 ? 1.0 : double(truePositives) / double(relevant);
}

double OnsetCounts::fmeasure() const {
    const double p = precision(), r = recall();
    return (p * r == 0.0) ? 0.0 : 2.0 * p * r / (p + r);
}

OnsetCounts& OnsetCounts::operator+=(const OnsetCounts& o) {
    truePositives += o.truePositives;
    falsePositives += o.falsePositives;
    falseNegatives += o.falseNegatives;
    errors.insert(errors.end(), o.errors.begin(), o.errors.end());
    falsePositiveTimes.insert(falsePositiveTimes.end(), o.falsePositiveTimes.begin(), o.falsePositiveTimes.end());
    falseNegativeTimes.insert(falseNegativeTimes.end(), o.falseNegativeTimes.begin(), o.falseNegativeTimes.end());
    return *this;
}

double OnsetCounts::firstMistake() const {
    double first = -1;
    for (const auto* times : {&falsePositiveTimes, &falseNegativeTimes})
        for (double t : *times)
            if (first < 0 || t < first) first = t;
    return first;
}

OnsetCounts evaluateOnsets(std::vector<double> detections, std::vector<double> annotations,
                           const OnsetEvaluationParams& params) {
    if (params.window <= 0) throw Error("onset evaluation", "the window must be > 0 seconds");
    for (double& d : detections) d += params.delay;
    std::sort(detections.begin(), detections.end());
    std::sort(annotations.begin(), annotations.end());
    if (params.combine > 0) {
        detections = combineEvents(std::move(detections), params.combine, CombineMode::Mean);
        annotations = combineEvents(std::move(annotations), params.combine, CombineMode::Mean);
    }
    // Times read from text files and frame indices / fps carry rounding noise: an error of exactly `window` counts.
    const double window = params.window + 1e-9;
    OnsetCounts c;
    std::size_t di = 0, ai = 0;
    while (di < detections.size() && ai < annotations.size()) {
        const double d = detections[di], a = annotations[ai];
        if (std::abs(d - a) <= window) {
            ++c.truePositives;
            c.errors.push_back(d - a);
            ++di;
            ++ai;
        } else if (d < a) {
            ++c.falsePositives;
            c.falsePositiveTimes.push_back(d);
            ++di;
        } else {
            ++c.falseNegatives;
            c.falseNegativeTimes.push_back(a);
            ++ai;
        }
    }
    c.falsePositives += detections.size() - di;
    c.falseNegatives += annotations.size() - ai;
    c.falsePositiveTimes.insert(c.falsePositiveTimes.end(), detections.begin() + std::ptrdiff_t(di), detections.end());
    c.falseNegativeTimes.insert(c.falseNegativeTimes.end(), annotations.begin() + std::ptrdiff_t(ai), annotations.end());
    return c;
}

OnsetScoreSummary summarize(std::span<const FileScore> files) {
    OnsetScoreSummary s;
    s.files = files.size();
    for (const auto& f : files) {
        s.sum += f.counts;
        s.meanPrecision += f.counts.precision();
        s.meanRecall += f.counts.recall();
        s.meanFmeasure += f.counts.fmeasure();
    }
    if (!files.empty()) {
        s.meanPrecision /= double(files.size());
        s.meanRecall /= double(files.size());
        s.meanFmeasure /= double(files.size());
    }
    return s;
}

}  // namespace sonolab::onsets
