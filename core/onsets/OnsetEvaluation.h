#pragma once
// Onset evaluation as in the field (MIREX, madmom's OnsetEvaluation): annotations and detections are each combined
// within `combine` seconds (to their mean), then matched greedily in time order; a detection within +-window of an
// annotation is a true positive (each annotation and each detection matches at most once), the rest are false
// positives / false negatives. Files are summarised by summing the counts (Sum) and by averaging the per-file
// precision, recall and F-measure (Mean).
#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace sonolab::onsets {

struct OnsetEvaluationParams {
    double window = 0.025;   // seconds either side
    double combine = 0.03;   // seconds; 0 = no combining
    double delay = 0.0;      // added to every detection before matching
};

struct OnsetCounts {
    std::size_t truePositives = 0;
    std::size_t falsePositives = 0;
    std::size_t falseNegatives = 0;
    std::vector<double> errors;  // detection - annotation of each true positive, seconds
    // Where the mistakes are (after combining, delay applied), so a view can jump to them.
    std::vector<double> falsePositiveTimes;  // unmatched detections
    std::vector<double> falseNegativeTimes;  // unmatched annotations

    std::size_t annotations() const { return truePositives + falseNegatives; }
    std::size_t detections() const { return truePositives + falsePositives; }
    // 1 when there is nothing to retrieve / nothing retrieved, as madmom.
    double precision() const;
    double recall() const;
    double fmeasure() const;  // 0 when precision or recall is 0
    OnsetCounts& operator+=(const OnsetCounts& other);
    // The earliest false positive or false negative, seconds; -1 when there is none.
    double firstMistake() const;
};

OnsetCounts evaluateOnsets(std::vector<double> detections, std::vector<double> annotations,
                           const OnsetEvaluationParams& params = {});

struct FileScore {
    std::string name;
    OnsetCounts counts;
    std::vector<double> detections;  // the detector's onsets as scored (seconds), when the scorer keeps them
};

struct OnsetScoreSummary {
    std::size_t files = 0;
    OnsetCounts sum;            // summed counts; sum.precision() etc. are the "Sum" scores
    double meanPrecision = 0;   // averages of the per-file scores: the "Mean" scores
    double meanRecall = 0;
    double meanFmeasure = 0;
};

OnsetScoreSummary summarize(std::span<const FileScore> files);

}  // namespace sonolab::onsets
