#pragma once
// Internal (torch): the first and second moment estimates Adam-style optimizers (FusedAdam, Nadam) keep per
// parameter, created on the first step and saved/loaded by parameter order so checkpoints resume exactly.
#include <torch/torch.h>

#include <string>
#include <vector>

namespace sonolab::ml {

struct MomentEstimates {
    std::vector<torch::Tensor> first, second;  // exp_avg, exp_avg_sq

    // Zeros shaped like each parameter, unless already there (first step or after load()).
    void ensure(const std::vector<torch::Tensor>& params, torch::MemoryFormat format);
    // `countKey` names the entry that holds how many there are (kept per optimizer for existing checkpoints).
    void save(torch::serialize::OutputArchive& archive, const std::string& countKey) const;
    void load(torch::serialize::InputArchive& archive, const std::string& countKey);
};

// Reads a scalar tensor into a fresh tensor (reading into a defined one would reuse it and keep its dtype).
torch::Tensor readScalar(torch::serialize::InputArchive& archive, const std::string& key);

}  // namespace sonolab::ml
