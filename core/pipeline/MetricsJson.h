#pragma once
// The one writer of metrics as JSON (sonolab-cli train/evaluate, the library's runs table from the CLI, pipeline
// jobs and the dashboard) and of reports as text. JSON has no NaN: a metric that is undefined (e.g. ROC AUC of a
// class without positives) is written as null, so "undefined" and "not computed" (no key) stay distinct. Readers
// treat null and a missing key alike (rows written before this writer existed simply lack the key).
// Header-only so the training-only CLI (no sonolab_pipeline library) shares it.
#include "core/ml/Metrics.h"
#include "core/ml/TrainingObserver.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace sonolab::pipeline {

// A number, or null when it is NaN or infinite.
inline nlohmann::json finite(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

inline nlohmann::json metricsToJson(const std::map<std::string, double>& m) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [k, v] : m) j[k] = finite(v);
    return j;
}

// The compact text stored in the runs table (library::RunRecord::metricsJson).
inline std::string metricsJsonText(const std::map<std::string, double>& m) { return metricsToJson(m).dump(); }

inline nlohmann::json historyToJson(const std::vector<ml::EpochReport>& history) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& r : history)
        a.push_back({{"epoch", r.epoch + 1},
                     {"train_loss", finite(r.trainLoss)},
                     {"validation_loss", r.validationLoss ? finite(*r.validationLoss) : nlohmann::json(nullptr)},
                     {"learning_rate", r.learningRate},
                     {"seconds", r.seconds},
                     {"metrics", metricsToJson(r.metrics)}});
    return a;
}

inline nlohmann::json reportToJson(const ml::ClassificationReport& r) {
    nlohmann::json j = metricsToJson(r.asMap());
    j["examples"] = r.examples;
    nlohmann::json classes = nlohmann::json::array();
    for (const auto& c : r.perClass)
        classes.push_back({{"label", c.label}, {"precision", finite(c.precision)}, {"recall", finite(c.recall)},
                           {"f1", finite(c.f1)}, {"support", c.support}, {"roc_auc", finite(c.rocAuc)},
                           {"pr_auc", finite(c.prAuc)}});
    j["per_class"] = classes;
    if (!r.confusion.empty()) j["confusion"] = r.confusion;
    return j;
}

inline void printReport(const ml::ClassificationReport& r, const std::string& part) {
    std::printf("%s: %zu examples", part.c_str(), r.examples);
    for (const auto& [k, v] : r.asMap()) std::printf("  %s %.4f", k.c_str(), v);
    std::printf("\n");
    std::printf("  %-20s %9s %9s %9s %8s\n", "class", "precision", "recall", "f1", "support");
    for (const auto& c : r.perClass)
        std::printf("  %-20s %9.3f %9.3f %9.3f %8zu\n", c.label.c_str(), c.precision, c.recall, c.f1, c.support);
    if (!r.confusion.empty()) {
        std::printf("  confusion (rows: truth, columns: predicted)\n");
        for (const auto& row : r.confusion) {
            std::printf("   ");
            for (auto v : row) std::printf(" %6zu", v);
            std::printf("\n");
        }
    }
}

}  // namespace sonolab::pipeline
