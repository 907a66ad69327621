#pragma once
// Internal (torch): Adam (Kingma & Ba, as torch.optim.Adam without amsgrad) updating each float32 CPU parameter in
// one pass over memory. libtorch's Adam makes five to six passes and allocates a temporary the size of the parameter
// every step; for models whose weights are mostly one large dense layer (parallel_cnn: 13.6M parameters) that costs
// as much as the forward and backward passes together. Other tensors (CUDA, non-contiguous) take the same
// arithmetic through tensor operations. State is saved/loaded by parameter order so checkpoints resume exactly.
#include "core/ml/MomentEstimates.h"

#include <torch/torch.h>

namespace sonolab::ml {

struct FusedAdamOptions : public torch::optim::OptimizerCloneableOptions<FusedAdamOptions> {
    explicit FusedAdamOptions(double lr = 1e-3) : lr_(lr) {}
    TORCH_ARG(double, lr);
    TORCH_ARG(double, beta1) = 0.9;
    TORCH_ARG(double, beta2) = 0.999;
    TORCH_ARG(double, eps) = 1e-8;
    TORCH_ARG(double, weight_decay) = 0.0;  // L2 added to the gradient, as torch.optim.Adam
    double get_lr() const override { return lr(); }
    void set_lr(const double v) override { lr(v); }
};

class FusedAdam : public torch::optim::Optimizer {
public:
    FusedAdam(std::vector<torch::Tensor> params, FusedAdamOptions options);
    torch::Tensor step(LossClosure closure = nullptr) override;
    void save(torch::serialize::OutputArchive& archive) const override;
    void load(torch::serialize::InputArchive& archive) override;

private:
    MomentEstimates moments_;
    std::int64_t step_ = 0;
};

}  // namespace sonolab::ml
