#include "core/ml/torch/Nadam.h"

#include <cmath>

namespace sonolab::ml {

Nadam::Nadam(std::vector<torch::Tensor> params, AdamStyleOptions options)
    : AdamStyleOptimizer(std::move(params), options, "nadam", torch::MemoryFormat::Preserve) {}

void Nadam::update(std::vector<torch::Tensor>& params, const AdamStyleOptions& o) {
    const double t = double(stepCount());
    const double mu = o.beta1() * (1.0 - 0.5 * std::pow(0.96, t * o.momentum_decay()));
    const double muNext = o.beta1() * (1.0 - 0.5 * std::pow(0.96, (t + 1.0) * o.momentum_decay()));
    muProduct_ *= mu;
    const double muProductNext = muProduct_ * muNext;
    const double biasCorrection2 = 1.0 - std::pow(o.beta2(), t);
    auto& [first, second] = moments();
    for (std::size_t i = 0; i < params.size(); ++i) {
        auto& p = params[i];
        if (!p.grad().defined()) continue;
        auto grad = p.grad();
        if (o.weight_decay() != 0) grad = grad.add(p, o.weight_decay());
        first[i].mul_(o.beta1()).add_(grad, 1.0 - o.beta1());
        second[i].mul_(o.beta2()).addcmul_(grad, grad, 1.0 - o.beta2());
        auto denom = (second[i] / biasCorrection2).sqrt_().add_(o.eps());
        p.addcdiv_(grad, denom, -o.lr() * (1.0 - mu) / (1.0 - muProduct_));
        p.addcdiv_(first[i], denom, -o.lr() * muNext / (1.0 - muProductNext));
    }
}

void Nadam::saveMore(torch::serialize::OutputArchive& archive) const {
    archive.write("nadam_mu_product", torch::tensor(muProduct_, torch::kFloat64));
}

void Nadam::loadMore(torch::serialize::InputArchive& archive) {
    muProduct_ = readScalar(archive, "nadam_mu_product").item<double>();
}

}  // namespace sonolab::ml
