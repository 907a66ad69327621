#include "core/pipeline/ModelFeatures.h"

#include "core/features/FeatureCache.h"
#include "core/features/RowSummary.h"
#include "core/util/Error.h"
#include "core/util/Progress.h"

#include <cmath>
#include <set>

namespace sonolab::pipeline {

namespace {
constexpr const char* kSummaryPrefix = "summary:";
}

std::string ModelFeatures::specString() const {
    const std::string canonical = extraction::specFor(options).canonical();
    return summary ? kSummaryPrefix + canonical : canonical;
}

int ModelFeatures::decodeRate() const { return extraction::decodeRateFor(extraction::specFor(options)); }

ml::FeatureMatrix ModelFeatures::inputFromSamples(std::span<const float> mono) const {
    return features::modelInput(extraction::computeFeature(extraction::specFor(options), mono), summary);
}

ModelFeatures ModelFeatures::fromSpecString(const std::string& text, std::size_t windowFrames) {
    ModelFeatures f;
    std::string canonical = text;
    if (canonical.rfind(kSummaryPrefix, 0) == 0) {
        f.summary = true;
        canonical = canonical.substr(std::string(kSummaryPrefix).size());
    }
    const features::FeatureSpec spec = features::FeatureSpec::parse(canonical);
    f.options.kind = spec.kind;
    f.options.sampleRate = int(spec.number("sr", f.options.sampleRate));
    f.options.nFft = int(spec.number("n_fft", f.options.nFft));
    f.options.hop = int(spec.number("hop", f.options.hop));
    f.options.nMels = int(spec.number("n_mels", f.options.nMels));
    f.options.nMfcc = int(spec.number("n_mfcc", f.options.nMfcc));
    f.options.fmin = float(spec.number("fmin", f.options.fmin));
    f.options.fmax = float(spec.number("fmax", f.options.fmax));
    f.options.htk = spec.text("htk", "false") == "true";
    f.options.slaneyNorm = spec.text("norm", "slaney") == "slaney";
    // The canonical text must round-trip: if our reading lost a parameter, refuse rather than compute other numbers.
    if (extraction::specFor(f.options).canonical() != canonical)
        throw Error("feature spec '" + text + "'",
                    "cannot be reproduced from its parameters (computed: " + extraction::specFor(f.options).canonical() +
                        ")");
    f.windowFrames = f.summary ? 0 : windowFrames;
    return f;
}

ModelFeatures defaultModelFeatures(const std::string& architecture) {
    ModelFeatures f;
    f.options.kind = "logmel";
    f.options.sampleRate = 22050;
    if (architecture == "tutorial_cnn" || architecture == "mirex2015" || architecture == "parallel_cnn") {
        f.options.nFft = 512;
        f.options.hop = 256;
        f.options.nMels = 40;
        f.options.fmax = 8000;
        f.windowFrames = 80;
    } else if (architecture == "short_chunk_resnet") {
        f.options.nFft = 1024;
        f.options.hop = 512;
        f.options.nMels = 128;
        f.windowFrames = 160;
    } else if (architecture == "dense") {
        f.options.kind = "mfcc";
        f.options.nFft = 1024;
        f.options.hop = 512;
        f.options.nMels = 40;
        f.options.nMfcc = 20;
        f.summary = true;
        f.windowFrames = 0;
    } else {  // compact_cnn and architectures added by others: the compact CNN's input
        f.options.nFft = 2048;
        f.options.hop = 1024;
        f.options.nMels = 80;
        f.windowFrames = 80;
    }
    return f;
}

ml::FeatureMatrix featuresForFile(const extraction::Extractor& extractor, const ModelFeatures& features,
                                  const std::filesystem::path& file) {
    return features::modelInput(extractor.extract(file), features.summary);
}

LoadedExamples loadExampleFeatures(const std::vector<library::TrainingExample>& examples, const ModelFeatures& mf,
                                   const std::filesystem::path& cacheDir, int threads, const Progress* progress) {
    extraction::Extractor extractor(features::FeatureCache(cacheDir), extraction::specFor(mf.options));
    std::vector<extraction::ExtractionItem> items;
    items.reserve(examples.size());
    for (const auto& e : examples) items.push_back({e.path, e.contentHash});
    const auto report = extractor.run(items, {.threads = threads}, progress);
    if (report.cancelled) throw Cancelled{};
    std::set<std::string> failed;
    LoadedExamples out;
    for (const auto& f : report.failures) {
        failed.insert(f.file.string());
        out.failures.push_back(f.file.string() + ": " + f.error);
    }
    for (std::size_t i = 0; i < examples.size(); ++i) {
        if (failed.count(examples[i].path)) continue;
        try {
            out.inputs.push_back(features::modelInput(extractor.extract(items[i]), mf.summary));
            out.examples.push_back(examples[i]);
        } catch (const std::exception& err) {
            out.failures.push_back(examples[i].path + ": " + err.what());
        }
    }
    return out;
}

std::filesystem::path defaultFeatureCacheFor(const std::filesystem::path& libraryFile) {
    return features::defaultCacheFor(libraryFile);
}

}  // namespace sonolab::pipeline
