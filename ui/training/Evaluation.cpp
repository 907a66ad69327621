#include "ui/training/Evaluation.h"

#include <algorithm>
#include <numeric>

namespace sonolab::ui {

namespace {

int argMax(const std::vector<float>& v) {
    if (v.empty()) return -1;
    return int(std::max_element(v.begin(), v.end()) - v.begin());
}

struct Scored {
    float score;
    bool positive;
};

std::vector<Scored> scoresOf(const Evaluation& e, int output) {
    std::vector<Scored> out;
    for (const EvaluatedClip& c : e.clips) {
        if (output < 0 || std::size_t(output) >= c.probabilities.size() || std::size_t(output) >= c.target.size())
            continue;
        out.push_back({c.probabilities[std::size_t(output)], c.target[std::size_t(output)] >= 0.5f});
    }
    std::stable_sort(out.begin(), out.end(), [](const Scored& a, const Scored& b) { return a.score > b.score; });
    return out;
}

}  // namespace

std::vector<int> ConfusionSlice::clipsIn(int t, int p) const {
    std::vector<int> out;
    for (std::size_t i = 0; i < cellOfClip.size(); ++i)
        if (cellOfClip[i].y() == t && cellOfClip[i].x() == p) out.push_back(int(i));
    return out;
}

ConfusionSlice confusionSlice(const Evaluation& e, int output) {
    ConfusionSlice slice;
    const bool single = e.kind == TaskKind::SingleLabel;
    if (single) {
        slice.labels = e.labels;
    } else {
        const QString name = output >= 0 && output < e.labels.size() ? e.labels[output] : QString();
        slice.labels = {QStringLiteral("not ") + name, name};
    }
    const std::size_t n = std::size_t(slice.labels.size());
    slice.counts.assign(n, std::vector<std::size_t>(n, 0));
    for (const EvaluatedClip& c : e.clips) {
        int t = -1, p = -1;
        if (single) {
            t = argMax(c.target);
            p = argMax(c.probabilities);
        } else if (output >= 0 && std::size_t(output) < c.target.size() && std::size_t(output) < c.probabilities.size()) {
            t = c.target[std::size_t(output)] >= 0.5f ? 1 : 0;
            p = c.probabilities[std::size_t(output)] >= e.threshold ? 1 : 0;
        }
        if (t < 0 || p < 0 || std::size_t(t) >= n || std::size_t(p) >= n) {
            slice.cellOfClip.emplace_back(-1, -1);
            continue;
        }
        ++slice.counts[std::size_t(t)][std::size_t(p)];
        slice.cellOfClip.emplace_back(p, t);
    }
    return slice;
}

QList<QPointF> rocCurve(const Evaluation& e, int output) {
    const auto scored = scoresOf(e, output);
    const double positives = double(std::count_if(scored.begin(), scored.end(), [](auto& s) { return s.positive; }));
    const double negatives = double(scored.size()) - positives;
    QList<QPointF> curve{{0, 0}};
    if (positives == 0 || negatives == 0) return {};
    double tp = 0, fp = 0;
    for (std::size_t i = 0; i < scored.size(); ++i) {
        (scored[i].positive ? tp : fp) += 1;
        if (i + 1 < scored.size() && scored[i + 1].score == scored[i].score) continue;  // ties form one step
        curve.append(QPointF(fp / negatives, tp / positives));
    }
    return curve;
}

QList<QPointF> precisionRecallCurve(const Evaluation& e, int output) {
    const auto scored = scoresOf(e, output);
    const double positives = double(std::count_if(scored.begin(), scored.end(), [](auto& s) { return s.positive; }));
    QList<QPointF> curve;
    if (positives == 0) return curve;
    double tp = 0, seen = 0;
    for (std::size_t i = 0; i < scored.size(); ++i) {
        seen += 1;
        if (scored[i].positive) tp += 1;
        if (i + 1 < scored.size() && scored[i + 1].score == scored[i].score) continue;
        curve.append(QPointF(tp / positives, tp / seen));
    }
    return curve;
}

}  // namespace sonolab::ui
