#pragma once
// Internal (torch): Adam with Nesterov momentum, as torch.optim.NAdam (Dozat 2016, with momentum decay 0.004);
// libtorch 1.13 has no C++ NAdam.
#include "core/ml/torch/AdamStyleOptimizer.h"

namespace sonolab::ml {

class Nadam : public AdamStyleOptimizer {
public:
    Nadam(std::vector<torch::Tensor> params, AdamStyleOptions options);

private:
    void update(std::vector<torch::Tensor>& params, const AdamStyleOptions& o) override;
    void saveMore(torch::serialize::OutputArchive& archive) const override;
    void loadMore(torch::serialize::InputArchive& archive) override;

    double muProduct_ = 1.0;
};

}  // namespace sonolab::ml
