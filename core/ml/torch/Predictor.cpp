#include "core/ml/torch/TorchBackends.h"

#include "core/features/Patches.h"
#include "core/ml/torch/TorchExtension.h"
#include "core/ml/torch/TorchSupport.h"
#include "core/util/Error.h"

#include <algorithm>

namespace sonolab::ml {

class TorchPredictor final : public PredictorBackend {
public:
    SavedModelInfo savedInfo;
    std::shared_ptr<Network> net;
    torch::Device device{torch::kCPU};
    std::size_t embeddingWidth = 0;

    // All windows of a track as one [windows, 1, bands, frames] batch, standardised as in training.
    torch::Tensor windows(const FeatureMatrix& m, std::size_t hop, std::vector<std::size_t>& starts) const {
        const InputShape in = savedInfo.input;
        m.requireLayout(Layout::BinsByFrames, "predict");
        if (m.bins() != in.bands)
            throw Error("predict", "features have " + std::to_string(m.bins()) + " bands, the model was trained on " +
                                       std::to_string(in.bands) + " (feature spec: " + savedInfo.featureSpec + ")");
        if (m.frames() == 0) throw Error("predict", "empty features");
        const std::size_t w = in.frames;
        starts = features::slidingStarts(m.frames(), w, hop ? hop : std::max<std::size_t>(1, w / 2));
        auto batch = torch::empty({std::int64_t(starts.size()), 1, std::int64_t(in.bands), std::int64_t(w)});
        float* out = batch.data_ptr<float>();
        for (std::size_t k = 0; k < starts.size(); ++k) {
            float* dst = out + k * in.size();
            const std::size_t valid = features::copyWindow(m.values(), in.bands, m.frames(), starts[k], w, {dst, in.size()});
            savedInfo.standardization.apply(dst, in);
            if (valid < w)
                for (std::size_t b = 0; b < in.bands; ++b) std::fill(dst + b * w + valid, dst + (b + 1) * w, 0.0f);
        }
        return batch;
    }

    torch::Tensor probabilities(const torch::Tensor& logits) const {
        return savedInfo.task.usesSoftmax() ? torch::softmax(logits, 1) : torch::sigmoid(logits);
    }

    const SavedModelInfo& info() const override { return savedInfo; }
    TrackPrediction predictWindows(const FeatureMatrix& features, std::size_t hopFrames) const override;
    std::vector<std::vector<float>> embedWindows(const FeatureMatrix& features, std::size_t hopFrames) const override;
    std::size_t embeddingSize() const override { return embeddingWidth; }
};

std::unique_ptr<PredictorBackend> loadTorchPredictor(const std::filesystem::path& runDir) {
    if (!isRunFolder(runDir)) throw fileError(runDir, "is not a trained run (no model.txt and model.pt)");
    auto p = std::make_unique<TorchPredictor>();
    TorchPredictor& s = *p;
    s.savedInfo = readSavedModelInfo(runDir);
    s.device = chooseDevice(DeviceKind::Auto);
    s.net = ModelFactory::all().build(s.savedInfo.model, s.savedInfo.input, s.savedInfo.task.outputs());
    torch::serialize::InputArchive archive;
    try {
        archive.load_from((runDir / "model.pt").string(), s.device);
    } catch (const c10::Error& e) {
        throw fileError(runDir / "model.pt", std::string("cannot load the weights: ") + e.what_without_backtrace());
    }
    loadModuleChecked(*s.net, archive, runDir / "model.pt");
    s.net->to(s.device);
    s.net->eval();
    s.embeddingWidth = s.savedInfo.embeddingSize;
    return p;
}

namespace {

// Rows of a [windows, width] tensor as vectors.
std::vector<std::vector<float>> rows(const torch::Tensor& t) {
    const auto m = t.to(torch::kCPU).contiguous();
    const auto width = m.size(1);
    const float* p = m.data_ptr<float>();
    std::vector<std::vector<float>> out;
    out.reserve(std::size_t(m.size(0)));
    for (std::int64_t k = 0; k < m.size(0); ++k) out.emplace_back(p + k * width, p + (k + 1) * width);
    return out;
}

}  // namespace

TrackPrediction TorchPredictor::predictWindows(const FeatureMatrix& features, std::size_t hopFrames) const {
    torch::NoGradGuard noGrad;
    TrackPrediction r;
    auto batch = windows(features, hopFrames, r.windowStartFrames);
    r.windowFrames = savedInfo.input.frames;
    r.hopFrames = hopFrames ? hopFrames : std::max<std::size_t>(1, r.windowFrames / 2);
    r.windows = rows(probabilities(net->forward(batch.to(device))));
    return r;
}

std::vector<std::vector<float>> TorchPredictor::embedWindows(const FeatureMatrix& features, std::size_t hopFrames) const {
    torch::NoGradGuard noGrad;
    std::vector<std::size_t> starts;
    auto batch = windows(features, hopFrames, starts);
    return rows(net->embed(batch.to(device)).flatten(1));
}

}  // namespace sonolab::ml
