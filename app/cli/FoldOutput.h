#pragma once
// What the commands that cross-validate (`evaluate --folds`, `evaluate-similarity --folds`) print alike: one line per
// fold member and per epoch on stderr (folds take minutes), and a metric's spread over the folds as JSON.
#include "core/pipeline/FoldEvaluation.h"
#include "core/pipeline/MetricsJson.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>
#include <string>

namespace sonolab::cli {

struct FoldProgress : pipeline::FoldObserver {
    bool quiet = false;
    void onMember(int fold, int folds, int member, int members, bool reused) override {
        if (!quiet)
            std::fprintf(stderr, "fold %d/%d, member %d/%d: %s\n", fold + 1, folds, member + 1, members,
                         reused ? "trained before, reused" : "training");
    }
    void onEpoch(const ml::EpochReport& r) override {
        if (quiet) return;
        std::fprintf(stderr, "  epoch %d/%d  train loss %.4f%s\n", r.epoch + 1, r.epochs, r.trainLoss,
                     r.validationLoss ? ("  validation loss " + std::to_string(*r.validationLoss).substr(0, 6)).c_str() : "");
    }
};

// {"metric": {"mean", "std", "min", "max"}, ...}; undefined values as null.
inline nlohmann::json spreadsToJson(const std::map<std::string, pipeline::Spread>& summary) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, s] : summary)
        out[key] = {{"mean", pipeline::finite(s.mean)}, {"std", pipeline::finite(s.std)},
                    {"min", pipeline::finite(s.min)}, {"max", pipeline::finite(s.max)}};
    return out;
}

}  // namespace sonolab::cli
