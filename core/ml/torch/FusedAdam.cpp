#include "core/ml/torch/FusedAdam.h"

#include <ATen/Parallel.h>

#include <cmath>

namespace sonolab::ml {
namespace {

struct AdamStep {
    float beta1, beta2, eps, weightDecay, stepSize, inverseBiasCorrection2Sqrt;
};

// One pass: read grad, m, v, p; write m, v, p. Plain loops over restrict pointers, which the compiler vectorises.
template <bool Decay>
void updateRange(const AdamStep& s, float* __restrict p, const float* __restrict g, float* __restrict m,
                 float* __restrict v, std::int64_t begin, std::int64_t end) {
    const float beta1 = s.beta1, beta2 = s.beta2, oneMinusBeta1 = 1.0f - s.beta1, oneMinusBeta2 = 1.0f - s.beta2;
    const float stepSize = s.stepSize, scale = s.inverseBiasCorrection2Sqrt, eps = s.eps, decay = s.weightDecay;
    for (std::int64_t i = begin; i < end; ++i) {
        const float grad = Decay ? g[i] + decay * p[i] : g[i];
        const float mi = beta1 * m[i] + oneMinusBeta1 * grad;
        const float vi = beta2 * v[i] + oneMinusBeta2 * grad * grad;
        m[i] = mi;
        v[i] = vi;
        p[i] -= stepSize * mi / (std::sqrt(vi) * scale + eps);
    }
}

bool fusable(const torch::Tensor& p, const torch::Tensor& g, const torch::Tensor& m, const torch::Tensor& v) {
    for (const auto* t : {&p, &g, &m, &v})
        if (!t->device().is_cpu() || t->scalar_type() != torch::kFloat32 || !t->is_contiguous()) return false;
    return true;
}

}  // namespace

FusedAdam::FusedAdam(std::vector<torch::Tensor> params, AdamStyleOptions options)
    : AdamStyleOptimizer(std::move(params), options, "adam", torch::MemoryFormat::Contiguous) {}

void FusedAdam::update(std::vector<torch::Tensor>& params, const AdamStyleOptions& o) {
    const double biasCorrection1 = 1.0 - std::pow(o.beta1(), double(stepCount()));
    const double biasCorrection2 = 1.0 - std::pow(o.beta2(), double(stepCount()));
    const AdamStep s{float(o.beta1()), float(o.beta2()), float(o.eps()), float(o.weight_decay()),
                     float(o.lr() / biasCorrection1), float(1.0 / std::sqrt(biasCorrection2))};
    for (std::size_t i = 0; i < params.size(); ++i) {
        auto& p = params[i];
        if (!p.grad().defined()) continue;
        const auto grad = p.grad();
        auto& m = moments().first[i];
        auto& v = moments().second[i];
        if (fusable(p, grad, m, v)) {
            float* pp = p.data_ptr<float>();
            const float* gp = grad.data_ptr<float>();
            float* mp = m.data_ptr<float>();
            float* vp = v.data_ptr<float>();
            at::parallel_for(0, p.numel(), 1 << 15, [&](std::int64_t b, std::int64_t e) {
                if (s.weightDecay != 0.0f) updateRange<true>(s, pp, gp, mp, vp, b, e);
                else updateRange<false>(s, pp, gp, mp, vp, b, e);
            });
            continue;
        }
        auto g = o.weight_decay() != 0 ? grad.add(p, o.weight_decay()) : grad;
        m.mul_(o.beta1()).add_(g, 1.0 - o.beta1());
        v.mul_(o.beta2()).addcmul_(g, g, 1.0 - o.beta2());
        const auto denom = (v.sqrt() / std::sqrt(biasCorrection2)).add_(o.eps());
        p.addcdiv_(m, denom, -o.lr() / biasCorrection1);
    }
}

void FusedAdam::loadMore(torch::serialize::InputArchive&) {
    // Checkpoints keep their tensors' layout; the fused loop needs dense ones.
    for (auto* estimates : {&moments().first, &moments().second})
        for (auto& t : *estimates) t = t.contiguous();
}

}  // namespace sonolab::ml
