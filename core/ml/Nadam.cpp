#include "core/ml/Nadam.h"

#include <cmath>

namespace sonolab::ml {

Nadam::Nadam(std::vector<torch::Tensor> params, NadamOptions options)
    : torch::optim::Optimizer({torch::optim::OptimizerParamGroup(std::move(params))},
                              std::make_unique<NadamOptions>(options)) {}

torch::Tensor Nadam::step(LossClosure closure) {
    torch::NoGradGuard noGrad;
    torch::Tensor loss;
    if (closure) {
        torch::AutoGradMode enable(true);
        loss = closure();
    }
    auto& group = param_groups().front();
    const auto& o = static_cast<const NadamOptions&>(group.options());
    auto& params = group.params();
    moments_.ensure(params, torch::MemoryFormat::Preserve);
    ++step_;
    const double t = double(step_);
    const double mu = o.beta1() * (1.0 - 0.5 * std::pow(0.96, t * o.momentum_decay()));
    const double muNext = o.beta1() * (1.0 - 0.5 * std::pow(0.96, (t + 1.0) * o.momentum_decay()));
    muProduct_ *= mu;
    const double muProductNext = muProduct_ * muNext;
    const double biasCorrection2 = 1.0 - std::pow(o.beta2(), t);
    for (std::size_t i = 0; i < params.size(); ++i) {
        auto& p = params[i];
        if (!p.grad().defined()) continue;
        auto grad = p.grad();
        if (o.weight_decay() != 0) grad = grad.add(p, o.weight_decay());
        moments_.first[i].mul_(o.beta1()).add_(grad, 1.0 - o.beta1());
        moments_.second[i].mul_(o.beta2()).addcmul_(grad, grad, 1.0 - o.beta2());
        auto denom = (moments_.second[i] / biasCorrection2).sqrt_().add_(o.eps());
        p.addcdiv_(grad, denom, -o.lr() * (1.0 - mu) / (1.0 - muProduct_));
        p.addcdiv_(moments_.first[i], denom, -o.lr() * muNext / (1.0 - muProductNext));
    }
    return loss;
}

void Nadam::save(torch::serialize::OutputArchive& archive) const {
    archive.write("nadam_step", torch::tensor(step_));
    archive.write("nadam_mu_product", torch::tensor(muProduct_, torch::kFloat64));
    moments_.save(archive, "nadam_count");
}

void Nadam::load(torch::serialize::InputArchive& archive) {
    step_ = readScalar(archive, "nadam_step").item<std::int64_t>();
    muProduct_ = readScalar(archive, "nadam_mu_product").item<double>();
    moments_.load(archive, "nadam_count");
}

}  // namespace sonolab::ml
