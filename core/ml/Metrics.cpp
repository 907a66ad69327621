#include "core/ml/Metrics.h"

#include "core/util/Error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace sonolab::ml {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double safeDiv(double a, double b) { return b > 0 ? a / b : 0.0; }

struct Counts {
    double tp = 0, fp = 0, fn = 0, tn = 0;
    double precision() const { return safeDiv(tp, tp + fp); }
    double recall() const { return safeDiv(tp, tp + fn); }
    double f1() const { return safeDiv(2 * tp, 2 * tp + fp + fn); }
};

double meanOfDefined(const std::vector<double>& v) {
    double s = 0;
    std::size_t n = 0;
    for (double x : v)
        if (!std::isnan(x)) {
            s += x;
            ++n;
        }
    return n ? s / double(n) : kNaN;
}

int argmax(const std::vector<float>& v) {
    return v.empty() ? -1 : int(std::max_element(v.begin(), v.end()) - v.begin());
}

}  // namespace

std::vector<std::vector<std::size_t>> confusionMatrix(std::span<const int> truth, std::span<const int> predicted,
                                                       std::size_t classes) {
    if (truth.size() != predicted.size()) throw Error("metrics", "truth and predictions differ in length");
    std::vector<std::vector<std::size_t>> m(classes, std::vector<std::size_t>(classes, 0));
    for (std::size_t i = 0; i < truth.size(); ++i) {
        if (truth[i] < 0 || predicted[i] < 0 || std::size_t(truth[i]) >= classes || std::size_t(predicted[i]) >= classes)
            throw Error("metrics", "class index out of range at example " + std::to_string(i));
        ++m[truth[i]][predicted[i]];
    }
    return m;
}

double accuracy(std::span<const int> truth, std::span<const int> predicted) {
    if (truth.size() != predicted.size()) throw Error("metrics", "truth and predictions differ in length");
    if (truth.empty()) return kNaN;
    std::size_t ok = 0;
    for (std::size_t i = 0; i < truth.size(); ++i) ok += truth[i] == predicted[i];
    return double(ok) / double(truth.size());
}

double balancedAccuracy(std::span<const int> truth, std::span<const int> predicted, std::size_t classes) {
    auto m = confusionMatrix(truth, predicted, classes);
    std::vector<double> recalls;
    for (std::size_t c = 0; c < classes; ++c) {
        const double support = double(std::accumulate(m[c].begin(), m[c].end(), std::size_t{0}));
        if (support > 0) recalls.push_back(double(m[c][c]) / support);
    }
    return meanOfDefined(recalls);
}

double rocAuc(std::span<const float> scores, std::span<const int> truth) {
    if (scores.size() != truth.size()) throw Error("metrics", "scores and truth differ in length");
    const std::size_t n = scores.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
    // Tied scores share their average rank (Mann-Whitney U), so ties count one half.
    double positiveRankSum = 0;
    double positives = 0;
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i;
        while (j < n && scores[order[j]] == scores[order[i]]) ++j;
        const double averageRank = (double(i) + double(j - 1)) / 2.0 + 1.0;
        for (std::size_t k = i; k < j; ++k)
            if (truth[order[k]]) {
                positiveRankSum += averageRank;
                positives += 1;
            }
        i = j;
    }
    const double negatives = double(n) - positives;
    if (positives == 0 || negatives == 0) return kNaN;
    return (positiveRankSum - positives * (positives + 1) / 2.0) / (positives * negatives);
}

double averagePrecision(std::span<const float> scores, std::span<const int> truth) {
    if (scores.size() != truth.size()) throw Error("metrics", "scores and truth differ in length");
    const std::size_t n = scores.size();
    const double positives = double(std::count_if(truth.begin(), truth.end(), [](int t) { return t != 0; }));
    if (positives == 0 || positives == double(n)) return kNaN;
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
    // AP = sum over distinct thresholds of (R_k - R_{k-1}) * P_k; tied scores form one threshold.
    double tp = 0, fp = 0, previousRecall = 0, ap = 0;
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i;
        while (j < n && scores[order[j]] == scores[order[i]]) {
            (truth[order[j]] ? tp : fp) += 1;
            ++j;
        }
        const double recall = tp / positives;
        const double precision = tp / (tp + fp);
        ap += (recall - previousRecall) * precision;
        previousRecall = recall;
        i = j;
    }
    return ap;
}

double hammingLoss(std::span<const int> truth, std::span<const int> predicted) {
    if (truth.size() != predicted.size()) throw Error("metrics", "truth and predictions differ in length");
    if (truth.empty()) return kNaN;
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < truth.size(); ++i) wrong += (truth[i] != 0) != (predicted[i] != 0);
    return double(wrong) / double(truth.size());
}

std::map<std::string, double> ClassificationReport::asMap() const {
    std::map<std::string, double> m{{"accuracy", accuracy},       {"balanced_accuracy", balancedAccuracy},
                                    {"macro_f1", macroF1},        {"micro_f1", microF1},
                                    {"hamming_loss", hammingLoss}, {"roc_auc", rocAuc},
                                    {"pr_auc", prAuc}};
    std::erase_if(m, [](const auto& kv) { return std::isnan(kv.second); });
    return m;
}

ClassificationReport evaluate(const TaskSpec& task, const std::vector<std::vector<float>>& probabilities,
                              const std::vector<std::vector<float>>& targets, float threshold) {
    const std::size_t n = probabilities.size();
    const std::size_t outputs = task.outputs();
    if (targets.size() != n) throw Error("metrics", "predictions and targets differ in count");
    for (std::size_t i = 0; i < n; ++i)
        if (probabilities[i].size() != outputs || targets[i].size() != outputs)
            throw Error("metrics", "example " + std::to_string(i) + " does not have " + std::to_string(outputs) +
                                       " outputs");
    ClassificationReport r;
    r.kind = task.kind;
    r.examples = n;
    if (n == 0) {
        r.accuracy = r.balancedAccuracy = r.macroF1 = r.microF1 = r.hammingLoss = r.rocAuc = r.prAuc = kNaN;
        return r;
    }

    // Per-output scores and binary truths, shared by every task kind.
    std::vector<std::vector<float>> scores(outputs, std::vector<float>(n));
    std::vector<std::vector<int>> truths(outputs, std::vector<int>(n));
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t k = 0; k < outputs; ++k) {
            scores[k][i] = probabilities[i][k];
            truths[k][i] = targets[i][k] >= 0.5f;
        }
    std::vector<double> rocs(outputs), prs(outputs);
    for (std::size_t k = 0; k < outputs; ++k) {
        rocs[k] = ml::rocAuc(scores[k], truths[k]);
        prs[k] = averagePrecision(scores[k], truths[k]);
    }
    r.rocAuc = meanOfDefined(rocs);
    r.prAuc = meanOfDefined(prs);

    if (task.kind == TaskKind::SingleLabel) {
        std::vector<int> truth(n), predicted(n);
        for (std::size_t i = 0; i < n; ++i) {
            truth[i] = argmax(targets[i]);
            predicted[i] = argmax(probabilities[i]);
        }
        r.confusion = confusionMatrix(truth, predicted, outputs);
        r.accuracy = ml::accuracy(truth, predicted);
        r.microF1 = r.accuracy;
        r.balancedAccuracy = ml::balancedAccuracy(truth, predicted, outputs);
        std::vector<double> f1s;
        for (std::size_t c = 0; c < outputs; ++c) {
            Counts cnt;
            std::size_t predictedCount = 0;
            for (std::size_t t = 0; t < outputs; ++t) {
                if (t == c) cnt.tp = double(r.confusion[c][c]);
                else {
                    cnt.fn += double(r.confusion[c][t]);
                    cnt.fp += double(r.confusion[t][c]);
                }
                predictedCount += r.confusion[t][c];
            }
            ClassScores s{task.labels[c], cnt.precision(), cnt.recall(), cnt.f1(),
                          std::size_t(cnt.tp + cnt.fn), rocs[c], prs[c]};
            if (s.support > 0 || predictedCount > 0) f1s.push_back(s.f1);
            r.perClass.push_back(s);
        }
        r.macroF1 = meanOfDefined(f1s);
        // Each example makes one wrong decision per class it confuses: the predicted and the true one.
        r.hammingLoss = 2.0 * (1.0 - r.accuracy) / double(outputs);
        return r;
    }

    // Binary and multi-label: an independent decision per output.
    std::vector<int> truthFlat(n * outputs), predictedFlat(n * outputs);
    std::vector<Counts> counts(outputs);
    std::size_t exactRows = 0;
    for (std::size_t i = 0; i < n; ++i) {
        bool exact = true;
        for (std::size_t k = 0; k < outputs; ++k) {
            const int t = truths[k][i];
            const int p = scores[k][i] >= threshold;
            truthFlat[i * outputs + k] = t;
            predictedFlat[i * outputs + k] = p;
            Counts& c = counts[k];
            (t ? (p ? c.tp : c.fn) : (p ? c.fp : c.tn)) += 1;
            exact = exact && t == p;
        }
        exactRows += exact;
    }
    r.accuracy = double(exactRows) / double(n);
    r.hammingLoss = ml::hammingLoss(truthFlat, predictedFlat);
    Counts total;
    for (std::size_t k = 0; k < outputs; ++k) {
        const Counts& c = counts[k];
        total.tp += c.tp;
        total.fp += c.fp;
        total.fn += c.fn;
        r.perClass.push_back({task.labels[k], c.precision(), c.recall(), c.f1(), std::size_t(c.tp + c.fn), rocs[k],
                              prs[k]});
    }
    r.microF1 = total.f1();

    if (task.kind == TaskKind::Binary) {
        const Counts& c = counts[0];
        r.confusion = {{std::size_t(c.tn), std::size_t(c.fp)}, {std::size_t(c.fn), std::size_t(c.tp)}};
        std::vector<double> recalls;
        if (c.tp + c.fn > 0) recalls.push_back(c.recall());
        if (c.tn + c.fp > 0) recalls.push_back(c.tn / (c.tn + c.fp));
        r.balancedAccuracy = meanOfDefined(recalls);
        // Macro over both classes (negative and positive), as scikit-learn's f1_score(average="macro").
        const Counts negative{c.tn, c.fn, c.fp, c.tp};
        std::vector<double> f1s;
        if (c.tp + c.fn > 0 || c.tp + c.fp > 0) f1s.push_back(c.f1());
        if (c.tn + c.fp > 0 || c.tn + c.fn > 0) f1s.push_back(negative.f1());
        r.macroF1 = meanOfDefined(f1s);
        r.microF1 = r.accuracy;
        return r;
    }

    std::vector<double> f1s, balanced;
    for (const Counts& c : counts) {
        if (c.tp + c.fn > 0 || c.tp + c.fp > 0) f1s.push_back(c.f1());
        std::vector<double> recalls;
        if (c.tp + c.fn > 0) recalls.push_back(c.recall());
        if (c.tn + c.fp > 0) recalls.push_back(c.tn / (c.tn + c.fp));
        balanced.push_back(meanOfDefined(recalls));
    }
    r.macroF1 = meanOfDefined(f1s);
    r.balancedAccuracy = meanOfDefined(balanced);
    return r;
}

}  // namespace sonolab::ml
