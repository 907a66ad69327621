#pragma once
// Classification metrics in plain C++ (no torch), checked against hand-computed values in tests/ml.
// Conventions (as scikit-learn): a class with no true and no predicted examples has precision/recall/F1 0 and is
// still averaged in macro means unless it has no support at all (then it is left out of macro averages);
// ROC-AUC handles ties by average ranks (Mann-Whitney U); PR-AUC is average precision with tied scores grouped;
// an output whose truth is all one class has no ROC/PR-AUC and is left out of the averages (NaN per tag).
#include "core/util/TaskSpec.h"

#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace sonolab::ml {

struct ClassScores {
    std::string label;
    double precision = 0, recall = 0, f1 = 0;
    std::size_t support = 0;  // true examples of the class
    double rocAuc = 0, prAuc = 0;  // NaN when undefined
};

struct ClassificationReport {
    TaskKind kind = TaskKind::Binary;
    std::size_t examples = 0;
    double accuracy = 0;          // single/binary: fraction correct; multi-label: subset accuracy
    double balancedAccuracy = 0;  // mean recall over classes (binary: over {negative, positive})
    double macroF1 = 0;
    double microF1 = 0;
    double hammingLoss = 0;       // fraction of wrong label decisions
    double rocAuc = 0;            // macro over outputs with both classes present (NaN if none)
    double prAuc = 0;
    std::vector<ClassScores> perClass;  // per label (binary: one entry for the positive label)
    // Single-label: [truth][predicted] over labels. Binary: 2x2 [negative, positive]. Multi-label: empty.
    std::vector<std::vector<std::size_t>> confusion;

    // Flat name -> value for observers and JSON: accuracy, balanced_accuracy, macro_f1, micro_f1, hamming_loss,
    // roc_auc, pr_auc (NaN values are left out).
    std::map<std::string, double> asMap() const;
};

// Building blocks.
std::vector<std::vector<std::size_t>> confusionMatrix(std::span<const int> truth, std::span<const int> predicted,
                                                       std::size_t classes);
double accuracy(std::span<const int> truth, std::span<const int> predicted);
double balancedAccuracy(std::span<const int> truth, std::span<const int> predicted, std::size_t classes);
// scores: higher = more positive. truth: 0/1. NaN when only one class is present.
double rocAuc(std::span<const float> scores, std::span<const int> truth);
double averagePrecision(std::span<const float> scores, std::span<const int> truth);
// Both row-major [examples x labels] of 0/1.
double hammingLoss(std::span<const int> truth, std::span<const int> predicted);

// The full report from network probabilities (after sigmoid/softmax) and target vectors, each [examples][outputs].
// Binary and multi-label decide at `threshold`; single-label takes the arg-max. Target rows of single-label tasks
// are one-hot (arg-max is used); sigmoid targets >= 0.5 count as positive.
ClassificationReport evaluate(const TaskSpec& task, const std::vector<std::vector<float>>& probabilities,
                              const std::vector<std::vector<float>>& targets, float threshold = 0.5f);

}  // namespace sonolab::ml
