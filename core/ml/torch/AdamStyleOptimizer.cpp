#include "core/ml/torch/AdamStyleOptimizer.h"

namespace sonolab::ml {

void MomentEstimates::ensure(const std::vector<torch::Tensor>& params, torch::MemoryFormat format) {
    if (first.size() == params.size()) return;
    first.clear();
    second.clear();
    for (const auto& p : params) {
        first.push_back(torch::zeros_like(p, format));
        second.push_back(torch::zeros_like(p, format));
    }
}

void MomentEstimates::save(torch::serialize::OutputArchive& archive, const std::string& countKey) const {
    archive.write(countKey, torch::tensor(std::int64_t(first.size())));
    for (std::size_t i = 0; i < first.size(); ++i) {
        archive.write("exp_avg_" + std::to_string(i), first[i], /*is_buffer=*/true);
        archive.write("exp_avg_sq_" + std::to_string(i), second[i], /*is_buffer=*/true);
    }
}

void MomentEstimates::load(torch::serialize::InputArchive& archive, const std::string& countKey) {
    const auto n = std::size_t(readScalar(archive, countKey).item<std::int64_t>());
    first.assign(n, {});
    second.assign(n, {});
    for (std::size_t i = 0; i < n; ++i) {
        archive.read("exp_avg_" + std::to_string(i), first[i], /*is_buffer=*/true);
        archive.read("exp_avg_sq_" + std::to_string(i), second[i], /*is_buffer=*/true);
    }
}

torch::Tensor readScalar(torch::serialize::InputArchive& archive, const std::string& key) {
    torch::Tensor t;
    archive.read(key, t);
    return t;
}

}  // namespace sonolab::ml

namespace sonolab::ml {

AdamStyleOptimizer::AdamStyleOptimizer(std::vector<torch::Tensor> params, AdamStyleOptions options, std::string key,
                                       torch::MemoryFormat momentFormat)
    : torch::optim::Optimizer({torch::optim::OptimizerParamGroup(std::move(params))},
                              std::make_unique<AdamStyleOptions>(options)),
      key_(std::move(key)), momentFormat_(momentFormat) {}

const AdamStyleOptions& AdamStyleOptimizer::options() const {
    return static_cast<const AdamStyleOptions&>(param_groups().front().options());
}

torch::Tensor AdamStyleOptimizer::step(LossClosure closure) {
    torch::NoGradGuard noGrad;
    torch::Tensor loss;
    if (closure) {
        torch::AutoGradMode enable(true);
        loss = closure();
    }
    auto& params = param_groups().front().params();
    moments_.ensure(params, momentFormat_);
    ++step_;
    update(params, options());
    return loss;
}

void AdamStyleOptimizer::save(torch::serialize::OutputArchive& archive) const {
    archive.write(key_ + "_step", torch::tensor(step_));
    moments_.save(archive, key_ + "_count");
    saveMore(archive);
}

void AdamStyleOptimizer::load(torch::serialize::InputArchive& archive) {
    step_ = readScalar(archive, key_ + "_step").item<std::int64_t>();
    moments_.load(archive, key_ + "_count");
    loadMore(archive);
}

}  // namespace sonolab::ml
