// `sonolab-cli predict --run RUN FILE... [--json]`: class or tag probabilities for whole audio files (mean over
// sliding windows) and, with --json --windows, the per-window predictions over time; with
// --format audacity|sv-csv|jams [--out DIR], the top label over time as segments valued with its probability.
#include "Commands.h"

#include "AnnotationOutput.h"
#include "core/annotations/PredictionSegments.h"
#include "core/audio/AudioDecoder.h"
#include "core/ml/ContrastivePretraining.h"
#include "core/ml/Predictor.h"
#include "core/pipeline/LibraryTraining.h"
#include "core/util/Error.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <memory>

namespace sonolab::cli {
namespace {

struct PredictOptions {
    std::string run, cache, format, out, aggregate = "mean";
    std::vector<std::string> files;
    bool json = false, windows = false;
    std::size_t hop = 0;
};

// The top label over time (as the Training tab's timeline shows it) in o.format, printed or written to
// o.out/STEM.EXT.
void writePredictionAnnotations(const PredictOptions& o, const std::vector<std::string>& labels,
                                const ml::TrackPrediction& p, double frameSeconds, const std::filesystem::path& file) {
    annotations::WindowScores scores{.labels = labels,
                                     .startSeconds = {},
                                     .windowSeconds = double(p.windowFrames) * frameSeconds,
                                     .probabilities = p.windows};
    for (std::size_t start : p.windowStartFrames) scores.startSeconds.push_back(double(start) * frameSeconds);
    // The audio's own length ends the last segment (windows may run past it); a failed probe leaves the windows'.
    double duration = 0;
    try {
        duration = audio::probe(file).durationSeconds;
    } catch (const Error&) {
    }
    const annotations::WriteOptions w{.duration = duration,
                                      .title = file.filename().string(),
                                      .tools = "sonolab-cli predict --run " + o.run};
    std::filesystem::path out;
    if (!o.out.empty()) {
        std::filesystem::create_directories(o.out);
        const auto format = chosenFormat(o.format, {});
        out = std::filesystem::path(o.out) / (file.stem().string() + std::string(annotations::fileExtension(format)));
    }
    emitAnnotations({annotations::topLabelSegments(scores, duration)}, o.format, out, w);
}

void runPredict(const PredictOptions& o) {
    const auto aggregation = ml::parseWindowAggregation(o.aggregate);
    ml::requireClassifierRun(o.run);
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
    const bool annotate = !o.format.empty();
    if (annotate && frameSeconds <= 0)
        throw Error(o.run, "its features summarise whole tracks: there are no predictions over time to write");
    if (annotate && o.out.empty() && o.files.size() > 1)
        throw Error("--format", "with several files, name a folder with --out for one annotation file per track");
    for (const auto& file : o.files) {
        ml::TrackPrediction p;
        try {
            p = predictor.predict(pipeline::inputForFile(predictor, file, o.cache), o.hop, aggregation);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "sonolab-cli: %s\n", e.what());
            ++failures;
            continue;
        }
        if (annotate) {
            writePredictionAnnotations(o, labels, p, frameSeconds, file);
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
    cmd->add_option("--aggregate", o->aggregate,
                    "How the windows become the track's probabilities: mean | max | vote | none (one centre crop)")
        ->capture_default_str();
    cmd->add_flag("--json", o->json, "JSON output");
    cmd->add_flag("--windows", o->windows, "With --json: the per-window predictions over time");
    auto* format = addAnnotationFormatOption(
        cmd, o->format, "The top label over time as segments, valued with its probability (SV value, JAMS confidence)");
    format->excludes(cmd->get_option("--json"));
    cmd->add_option("--out", o->out, "With --format: folder to write one annotation file per track (STEM.EXT) into")
        ->needs(format);
    cmd->footer("Exit status: 0 all predicted, 3 some files could not be read.");
    cmd->callback([o] { runPredict(*o); });
}

}  // namespace sonolab::cli
