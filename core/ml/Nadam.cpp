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
    if (expAvg_.size() != params.size()) {
        expAvg_.clear();
        expAvgSq_.clear();
        for (const auto& p : params) {
            expAvg_.push_back(torch::zeros_like(p, torch::MemoryFormat::Preserve));
            expAvgSq_.push_back(torch::zeros_like(p, torch::MemoryFormat::Preserve));
        }
    }
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
        expAvg_[i].mul_(o.beta1()).add_(grad, 1.0 - o.beta1());
        expAvgSq_[i].mul_(o.beta2()).addcmul_(grad, grad, 1.0 - o.beta2());
        auto denom = (expAvgSq_[i] / biasCorrection2).sqrt_().add_(o.eps());
        p.addcdiv_(grad, denom, -o.lr() * (1.0 - mu) / (1.0 - muProduct_));
        p.addcdiv_(expAvg_[i], denom, -o.lr() * muNext / (1.0 - muProductNext));
    }
    return loss;
}

void Nadam::save(torch::serialize::OutputArchive& archive) const {
    archive.write("nadam_step", torch::tensor(step_));
    archive.write("nadam_mu_product", torch::tensor(muProduct_, torch::kFloat64));
    archive.write("nadam_count", torch::tensor(std::int64_t(expAvg_.size())));
    for (std::size_t i = 0; i < expAvg_.size(); ++i) {
        archive.write("exp_avg_" + std::to_string(i), expAvg_[i], /*is_buffer=*/true);
        archive.write("exp_avg_sq_" + std::to_string(i), expAvgSq_[i], /*is_buffer=*/true);
    }
}

void Nadam::load(torch::serialize::InputArchive& archive) {
    // A fresh tensor per read: reading into a defined tensor would reuse it (set_) and keep its dtype.
    auto scalar = [&](const char* key) {
        torch::Tensor t;
        archive.read(key, t);
        return t;
    };
    step_ = scalar("nadam_step").item<std::int64_t>();
    muProduct_ = scalar("nadam_mu_product").item<double>();
    const auto n = std::size_t(scalar("nadam_count").item<std::int64_t>());
    expAvg_.assign(n, {});
    expAvgSq_.assign(n, {});
    for (std::size_t i = 0; i < n; ++i) {
        archive.read("exp_avg_" + std::to_string(i), expAvg_[i], /*is_buffer=*/true);
        archive.read("exp_avg_sq_" + std::to_string(i), expAvgSq_[i], /*is_buffer=*/true);
    }
}

}  // namespace sonolab::ml
