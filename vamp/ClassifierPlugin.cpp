#include "ClassifierPlugin.h"

#include "core/annotations/PredictionSegments.h"
#include "core/ml/Predictor.h"
#include "core/ml/SavedModel.h"
#include "core/pipeline/ModelFeatures.h"

#include <cctype>
#include <cstdio>

namespace sonolab::vamp {

namespace {

RunSearch classifierRuns() {
    return {.isRun = [](const std::filesystem::path& dir) { return ml::isRunFolder(dir); }, .appFolders = {"runs"}};
}

// Vamp identifiers are [A-Za-z0-9_-]: other characters of a label become '_'.
std::string identifierFor(const std::string& label) {
    std::string id = "p-";
    for (char c : label) id += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
    return id;
}

pipeline::ModelFeatures featuresOf(const ml::SavedModelInfo& info) {
    return pipeline::ModelFeatures::fromSpecString(info.featureSpec, info.input.frames);
}

::Vamp::Plugin::Feature at(double seconds) {
    ::Vamp::Plugin::Feature f;
    f.hasTimestamp = true;
    f.timestamp = ::Vamp::RealTime::fromSeconds(seconds);
    return f;
}

}  // namespace

ClassifierPlugin::ClassifierPlugin(float inputSampleRate) : RunProgramPlugin(inputSampleRate, classifierRuns()) {
    readInfo();
}

ClassifierPlugin::~ClassifierPlugin() = default;

std::string ClassifierPlugin::getDescription() const {
    return "Class or tag probabilities over time and the top label as segments, from a trained Sonolab run "
           "(sonolab-cli predict). Programs: the runs in $SONOLAB_VAMP_RUNS and in the app's runs folder "
           "($XDG_DATA_HOME or ~/.local/share, then Sonolab/Sonolab/runs)";
}

void ClassifierPlugin::readInfo() {
    info_.reset();
    frameSeconds_ = 0;
    if (runs().currentFolder().empty()) return;
    // Listing plugins must never fail: a broken run shows no class outputs and refuses initialise() with the reason.
    try {
        auto info = std::make_shared<ml::SavedModelInfo>(ml::readSavedModelInfo(runs().currentFolder()));
        const auto features = featuresOf(*info);
        if (features.summary) return;  // one vector per track: nothing over time
        frameSeconds_ = double(features.options.hop) / double(features.options.sampleRate);
        info_ = std::move(info);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sonolab-classifier: %s\n", e.what());
    }
}

void ClassifierPlugin::programChanged() {
    predictor_.reset();
    readInfo();
}

bool ClassifierPlugin::initialise(size_t channels, size_t stepSize, size_t blockSize) {
    if (!RunProgramPlugin::initialise(channels, stepSize, blockSize)) return false;
    if (!info_) {
        std::fprintf(stderr, "sonolab-classifier: no run with predictions over time (set SONOLAB_VAMP_RUNS)\n");
        return false;
    }
    if (predictor_) return true;
    try {
        predictor_ = std::make_unique<ml::Predictor>(ml::Predictor::load(runs().currentFolder()));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sonolab-classifier: %s\n", e.what());
        return false;
    }
    return true;
}

::Vamp::Plugin::OutputList ClassifierPlugin::getOutputDescriptors() const {
    OutputDescriptor top;
    top.identifier = "top";
    top.name = "Top label";
    top.description = "The most probable class over time as labelled segments, valued with its mean probability";
    top.hasFixedBinCount = true;
    top.binCount = 1;
    top.hasKnownExtents = true;
    top.minValue = 0;
    top.maxValue = 1;
    top.sampleType = OutputDescriptor::VariableSampleRate;
    top.sampleRate = 0;
    top.hasDuration = true;
    OutputList outputs{top};
    if (!info_) return outputs;
    const auto& labels = info_->task.labels;
    const double hopSeconds = double(info_->input.frames / 2) * frameSeconds_;  // Predictor's default hop
    for (std::size_t k = 0; k < info_->task.outputs() && k < labels.size(); ++k) {
        OutputDescriptor d;
        d.identifier = identifierFor(labels[k]);
        d.name = labels[k];
        d.description = "Probability of " + labels[k] + " per window";
        d.hasFixedBinCount = true;
        d.binCount = 1;
        d.hasKnownExtents = true;
        d.minValue = 0;
        d.maxValue = 1;
        d.sampleType = OutputDescriptor::FixedSampleRate;
        d.sampleRate = hopSeconds > 0 ? float(1.0 / hopSeconds) : 1.0f;
        outputs.push_back(d);
    }
    return outputs;
}

::Vamp::Plugin::FeatureSet ClassifierPlugin::getRemainingFeatures() {
    if (!predictor_ || !info_) return {};
    try {
        return predictOverTime();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sonolab-classifier: %s\n", e.what());
        return {};
    }
}

::Vamp::Plugin::FeatureSet ClassifierPlugin::predictOverTime() {
    const auto features = featuresOf(*info_);
    const auto mono = signalAt(features.decodeRate());
    const auto p = predictor_->predict(features.inputFromSamples(mono));
    annotations::WindowScores scores{.labels = info_->task.labels,
                                     .startSeconds = {},
                                     .windowSeconds = double(p.windowFrames) * frameSeconds_,
                                     .probabilities = p.windows};
    FeatureSet out;
    for (std::size_t w = 0; w < p.windows.size(); ++w) {
        const double start = double(p.windowStartFrames[w]) * frameSeconds_;
        scores.startSeconds.push_back(start);
        for (std::size_t k = 0; k < p.windows[w].size(); ++k) {
            auto f = at(start);
            f.values.push_back(p.windows[w][k]);
            out[int(k) + 1].push_back(std::move(f));
        }
    }
    const double duration = double(mono.size()) / double(features.decodeRate());
    for (const auto& e : annotations::topLabelSegments(scores, duration).events) {
        auto f = at(e.time);
        f.hasDuration = true;
        f.duration = ::Vamp::RealTime::fromSeconds(e.duration);
        f.label = e.label;
        if (e.value) f.values.push_back(float(*e.value));
        out[0].push_back(std::move(f));
    }
    return out;
}

}  // namespace sonolab::vamp
