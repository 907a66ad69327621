#pragma once
// A classifier's sliding-window predictions over a track as annotations: the Training tab's prediction timeline
// (ui/training/PredictionTimeline) written to a file, so Audacity, Sonic Visualiser or JAMS users see where the
// model hears what. Plain vectors in, so this stays free of core/ml.
#include "core/annotations/Annotation.h"

#include <string>
#include <vector>

namespace sonolab::annotations {

struct WindowScores {
    std::vector<std::string> labels;                // one per class / tag
    std::vector<double> startSeconds;               // per window, ascending
    double windowSeconds = 0;                       // every window's length
    std::vector<std::vector<float>> probabilities;  // [window][class]
};

// Tag segments of the top class. Each window speaks for the time nearer its centre than any other window's centre
// (what the timeline shows for a time); neighbouring windows with the same top class merge into one segment,
// labelled with the class, its value the class's mean probability over those windows. The first segment starts at
// 0, the last ends with the last window, or at `endSeconds` (the audio's duration) when that is given and earlier.
// A single output (a binary task's sigmoid) counts as two classes, LABEL (p) and "not LABEL" (1 - p). Throws Error
// when the windows and probabilities disagree.
Annotation topLabelSegments(const WindowScores& scores, double endSeconds = 0);

// Every class's probability over time, one tag annotation per class (labels order): each window's probability as a
// segment over the time that window speaks for (as above), labelled with the class, its value the probability. So
// the values tile the track without overlapping, as the timeline's heat strips show them. A binary task gives one.
std::vector<Annotation> classValues(const WindowScores& scores, double endSeconds = 0);

}  // namespace sonolab::annotations
