#pragma once
// Internal (torch): Adam with Nesterov momentum, as torch.optim.NAdam (Dozat 2016, with momentum decay 0.004);
// libtorch 1.13 has no C++ NAdam. Its state is saved/loaded by parameter order so checkpoints resume exactly.
#include "core/ml/MomentEstimates.h"

#include <torch/torch.h>

namespace sonolab::ml {

struct NadamOptions : public torch::optim::OptimizerCloneableOptions<NadamOptions> {
    explicit NadamOptions(double lr = 2e-3) : lr_(lr) {}
    TORCH_ARG(double, lr);
    TORCH_ARG(double, beta1) = 0.9;
    TORCH_ARG(double, beta2) = 0.999;
    TORCH_ARG(double, eps) = 1e-8;
    TORCH_ARG(double, weight_decay) = 0.0;
    TORCH_ARG(double, momentum_decay) = 4e-3;
    double get_lr() const override { return lr(); }
    void set_lr(const double v) override { lr(v); }
};

class Nadam : public torch::optim::Optimizer {
public:
    Nadam(std::vector<torch::Tensor> params, NadamOptions options);
    torch::Tensor step(LossClosure closure = nullptr) override;
    void save(torch::serialize::OutputArchive& archive) const override;
    void load(torch::serialize::InputArchive& archive) override;

private:
    MomentEstimates moments_;
    std::int64_t step_ = 0;
    double muProduct_ = 1.0;
};

}  // namespace sonolab::ml
