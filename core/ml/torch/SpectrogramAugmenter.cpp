#include "core/ml/torch/SpectrogramAugmenter.h"

#include "core/util/Error.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>

namespace sonolab::ml {
namespace {

// Mean and 1/std broadcastable over [N, 1, bands, frames]; undefined when the values are not standardised.
std::pair<torch::Tensor, torch::Tensor> standardizationTensors(const Standardization& s, std::int64_t bands,
                                                               std::int64_t frames, const torch::Device& device) {
    if (s.empty()) return {};
    auto mean = torch::tensor(s.mean), scale = torch::tensor(s.scale);
    switch (s.mode) {
        case StandardizationMode::Global: break;
        case StandardizationMode::PerBand:
            mean = mean.view({1, 1, bands, 1});
            scale = scale.view({1, 1, bands, 1});
            break;
        case StandardizationMode::PerElement:
            if (std::int64_t(s.mean.size()) != bands * frames)
                throw Error("augmentation", "per-element standardisation was fitted on another crop length");
            mean = mean.view({1, 1, bands, frames});
            scale = scale.view({1, 1, bands, frames});
            break;
        case StandardizationMode::None: return {};
    }
    return {mean.to(device), scale.to(device)};
}

// Masks of up to `width` cells along the last axis of a [N, length] grid: true where masked.
torch::Tensor spans(std::int64_t n, int count, int width, std::int64_t length, at::Generator& gen) {
    width = int(std::min<std::int64_t>(width, length));
    auto w = torch::floor(torch::rand({n, count, 1}, gen) * (width + 1));
    auto start = torch::floor(torch::rand({n, count, 1}, gen) * (double(length) - w + 1));
    auto t = torch::arange(length, torch::kFloat32).view({1, 1, length});
    return ((t >= start) & (t < start + w)).any(1);  // [n, length]
}

}  // namespace

torch::Tensor augmentSpectrograms(const torch::Tensor& x, const SpectrogramAugmentation& a, const Standardization& s,
                                  std::uint64_t seed) {
    if (!a.any() || x.size(0) == 0) return x;
    if (x.dim() != 4) throw Error("augmentation", "expects a [batch, 1, bands, frames] tensor");
    torch::NoGradGuard noGrad;
    at::Generator gen = at::detail::createCPUGenerator(seed);
    const std::int64_t n = x.size(0), bands = x.size(2), frames = x.size(3);
    const auto device = x.device();
    auto uniform = [&](at::IntArrayRef shape, double lo, double hi) {
        return (torch::rand(shape, gen) * (hi - lo) + lo).to(device);
    };
    const auto [mean, scale] = standardizationTensors(s, bands, frames, device);
    torch::Tensor db = mean.defined() ? x / scale + mean : x.clone();

    if (a.mixProbability > 0 && n > 1) {
        // Sum of powers: 10 log10(10^(a/10) + 10^((b + level)/10)), in natural-log units for logaddexp.
        const double k = std::log(10.0) / 10.0;
        auto level = uniform({n, 1, 1, 1}, a.mixMinDb, a.mixMaxDb);
        auto on = uniform({n, 1, 1, 1}, 0, 1) < a.mixProbability;
        auto mixed = torch::logaddexp(db * k, (db.roll(1, 0) + level) * k) / k;
        db = torch::where(on, mixed, db);
    }
    if ((a.stretch > 0 || a.shiftFrames > 0) && frames > 1) {
        // One bilinear resampling along time: output frame x reads x * rate + shift (around the centre, edges repeated).
        auto rate = a.stretch > 0 ? uniform({n, 1, 1}, 1.0 - a.stretch, 1.0 + a.stretch) : torch::ones({n, 1, 1}).to(device);
        auto shift = a.shiftFrames > 0 ? torch::floor(uniform({n, 1, 1}, -a.shiftFrames, a.shiftFrames + 1.0))
                                       : torch::zeros({n, 1, 1}).to(device);
        auto xs = torch::linspace(-1, 1, frames).to(device).view({1, 1, frames});
        auto ys = torch::linspace(-1, 1, bands).to(device).view({1, bands, 1});
        auto gx = (xs * rate + shift * (2.0 / double(frames - 1))).expand({n, bands, frames});
        auto gy = ys.expand({n, bands, frames});
        db = torch::grid_sampler(db, torch::stack({gx, gy}, -1), /*bilinear*/ 0, /*border*/ 1, /*align_corners*/ true);
    }
    if (a.gainDb > 0) db = db + uniform({n, 1, 1, 1}, -a.gainDb, a.gainDb);

    torch::Tensor out = mean.defined() ? (db - mean) * scale : db;
    if (a.timeMasks > 0)
        out = out.masked_fill(spans(n, a.timeMasks, a.timeMaskFrames, frames, gen).to(device).view({n, 1, 1, frames}), 0.0);
    if (a.frequencyMasks > 0)
        out = out.masked_fill(spans(n, a.frequencyMasks, a.frequencyMaskBands, bands, gen).to(device).view({n, 1, bands, 1}),
                              0.0);
    return out;
}

}  // namespace sonolab::ml
