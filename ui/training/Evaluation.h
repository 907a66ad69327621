#pragma once
// What the evaluation view shows: every evaluated clip with its network probabilities and targets, and the
// read-outs derived from them (confusion cells with their clips, ROC and precision-recall curves).
// Metrics proper (P/R/F1, AUCs) come from core/ml/Metrics.h; these helpers only group and sweep for display.
#include "core/util/TaskSpec.h"

#include <QList>
#include <QPointF>
#include <QString>
#include <QStringList>

#include <cstddef>
#include <vector>

namespace sonolab::ui {

struct EvaluatedClip {
    QString id;      // track or clip id, as the data set names it
    QString title;   // what the list shows
    QString path;    // audio file to play (may be empty for generated data)
    std::vector<float> probabilities;  // per output, after sigmoid/softmax
    std::vector<float> target;         // per output: 0/1, one-hot for single-label tasks
};

struct Evaluation {
    TaskKind kind = TaskKind::Binary;
    QStringList labels;  // output names (binary: the one positive label)
    std::vector<EvaluatedClip> clips;
    float threshold = 0.5f;  // decision threshold of sigmoid outputs
    QString split;           // "test", "validation"
    QString heading;         // what the clips are, for the summary line; empty: "<split> split"
    bool empty() const { return clips.empty(); }
};

// One confusion matrix: over the classes of a single-label task, or [not label, label] for one output of a binary
// or multi-label task. cellOfClip[i] = (predicted, true) of clip i, as QPoint(x = predicted, y = true).
struct ConfusionSlice {
    QStringList labels;
    std::vector<std::vector<std::size_t>> counts;  // [true][predicted]
    std::vector<QPoint> cellOfClip;
    std::vector<int> clipsIn(int trueClass, int predictedClass) const;
};

ConfusionSlice confusionSlice(const Evaluation& evaluation, int output = 0);

// Curves of one output's scores against its 0/1 truth, one point per distinct score (ties grouped), starting at
// (0,0) for ROC (x = false-positive rate, y = true-positive rate) and giving (recall, precision) for PR.
QList<QPointF> rocCurve(const Evaluation& evaluation, int output);
QList<QPointF> precisionRecallCurve(const Evaluation& evaluation, int output);

}  // namespace sonolab::ui
