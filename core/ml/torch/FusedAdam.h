#pragma once
// Internal (torch): Adam (Kingma & Ba, as torch.optim.Adam without amsgrad) updating each float32 CPU parameter in
// one pass over memory. libtorch's Adam makes five to six passes and allocates a temporary the size of the parameter
// every step; for models whose weights are mostly one large dense layer (parallel_cnn: 13.6M parameters) that costs
// as much as the forward and backward passes together. Other tensors (CUDA, non-contiguous) take the same
// arithmetic through tensor operations.
#include "core/ml/torch/AdamStyleOptimizer.h"

namespace sonolab::ml {

class FusedAdam : public AdamStyleOptimizer {
public:
    FusedAdam(std::vector<torch::Tensor> params, AdamStyleOptions options);

private:
    void update(std::vector<torch::Tensor>& params, const AdamStyleOptions& o) override;
    void loadMore(torch::serialize::InputArchive& archive) override;
};

}  // namespace sonolab::ml
