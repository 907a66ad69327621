// `sonolab-cli predict --run RUN FILE... [--json]`: class or tag probabilities for whole audio files (mean over
// sliding windows) and, with --json --windows, the per-window predictions over time.
#include "Commands.h"

#include "core/ml/Predictor.h"
#include "core/pipeline/LibraryTraining.h"
#include "core/util/Error.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>

namespace sonolab::cli {
namespace {

struct PredictOptions {
    std::string run, cache;
    std::vector<std::string> files;
    bool json = false, windows = false;
    std::size_t hop = 0;
};

void runPredict(const PredictOptions& o) {
    const auto predictor = ml::Predictor::load(o.run);
    const auto& info = predictor.info();
    const auto& labels = info.task.labels;
    nlohmann::json out = nlohmann::json::array();
    int failures = 0;
    // Seconds per frame, when the feature spec says (hop / sr); 0 when unknown.
    double frameSeconds = 0;
    {
        const auto f = pipeline::ModelFeatures::fromSpecString(info.featureSpec, info.input.frames);
        if (!f.summary) frameSeconds = double(f.options.hop) / double(f.options.sampleRate);
    }
    for (const auto& file : o.files) {
        ml::TrackPrediction p;
        try {
            p = predictor.predict(pipeline::inputForFile(predictor, file, o.cache), o.hop);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "sonolab-cli: %s\n", e.what());
            ++failures;
            continue;
        }
        if (o.json) {
            nlohmann::json probs = nlohmann::json::object();
            for (std::size_t k = 0; k < labels.size() && k < p.probabilities.size(); ++k) probs[labels[k]] = p.probabilities[k];
            nlohmann::json j = {{"file", file}, {"probabilities", probs}, {"windows", p.windows.size()}};
            if (info.task.usesSoftmax()) j["predicted"] = labels[std::size_t(p.best())];
            else {
                nlohmann::json on = nlohmann::json::array();
                for (std::size_t k = 0; k < labels.size(); ++k)
                    if (p.probabilities[k] >= 0.5f) on.push_back(labels[k]);
                j["predicted"] = on;
            }
            if (o.windows) {
                nlohmann::json w = nlohmann::json::array();
                for (std::size_t k = 0; k < p.windows.size(); ++k)
                    w.push_back({{"start_frame", p.windowStartFrames[k]},
                                 {"start_seconds", double(p.windowStartFrames[k]) * frameSeconds},
                                 {"probabilities", p.windows[k]}});
                j["over_time"] = w;
            }
            out.push_back(j);
            continue;
        }
        std::printf("%s\n", file.c_str());
        for (std::size_t k = 0; k < labels.size() && k < p.probabilities.size(); ++k)
            std::printf("  %-20s %.3f%s\n", labels[k].c_str(), p.probabilities[k],
                        info.task.usesSoftmax() && int(k) == p.best() ? "  <" : "");
    }
    if (o.json) std::printf("%s\n", out.dump(2).c_str());
    if (failures) throw CommandFailed{3};
}

}  // namespace

void addPredictCommand(CLI::App& app) {
    auto o = std::make_shared<PredictOptions>();
    auto* cmd = app.add_subcommand("predict", "Predict classes or tags of audio files with a trained run");
    cmd->add_option("--run", o->run, "Run folder (from `train`)")->required()->check(CLI::ExistingDirectory);
    cmd->add_option("files", o->files, "Audio files")->required();
    cmd->add_option("--cache", o->cache, "Feature cache folder to read/fill (default: compute without caching)");
    cmd->add_option("--hop", o->hop, "Hop between windows in frames (default: half a window)");
    cmd->add_flag("--json", o->json, "JSON output");
    cmd->add_flag("--windows", o->windows, "With --json: the per-window predictions over time");
    cmd->footer("Exit status: 0 all predicted, 3 some files could not be read.");
    cmd->callback([o] { runPredict(*o); });
}

}  // namespace sonolab::cli
