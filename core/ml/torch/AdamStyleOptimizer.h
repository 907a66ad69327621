#pragma once
// Internal (torch): what the Adam-style optimizers (FusedAdam, Nadam) share: their options (torch.optim names), the
// first and second moment estimates kept per parameter, the step count, and the step/save/load frame around each
// one's update rule. State is saved and loaded by parameter order so checkpoints resume exactly.
#include <torch/torch.h>

#include <string>
#include <vector>

namespace sonolab::ml {

struct AdamStyleOptions : public torch::optim::OptimizerCloneableOptions<AdamStyleOptions> {
    explicit AdamStyleOptions(double lr = 1e-3) : lr_(lr) {}
    TORCH_ARG(double, lr);
    TORCH_ARG(double, beta1) = 0.9;
    TORCH_ARG(double, beta2) = 0.999;
    TORCH_ARG(double, eps) = 1e-8;
    TORCH_ARG(double, weight_decay) = 0.0;     // L2 added to the gradient, as torch.optim.Adam and NAdam
    TORCH_ARG(double, momentum_decay) = 4e-3;  // Nadam only (torch.optim.NAdam's momentum_decay)
    double get_lr() const override { return lr(); }
    void set_lr(const double v) override { lr(v); }
};

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

class AdamStyleOptimizer : public torch::optim::Optimizer {
public:
    // Evaluates the closure (if any), counts the step, makes sure the moments exist, then update().
    torch::Tensor step(LossClosure closure = nullptr) final;
    // Writes KEY_step, KEY_count and the moments (the keys checkpoints of earlier versions hold), then saveMore().
    void save(torch::serialize::OutputArchive& archive) const final;
    void load(torch::serialize::InputArchive& archive) final;

protected:
    // `key`: "adam" or "nadam"; `momentFormat`: the memory format new moments take.
    AdamStyleOptimizer(std::vector<torch::Tensor> params, AdamStyleOptions options, std::string key,
                       torch::MemoryFormat momentFormat);
    const AdamStyleOptions& options() const;
    // One update of every parameter with a gradient; stepCount() already counts this step.
    virtual void update(std::vector<torch::Tensor>& params, const AdamStyleOptions& o) = 0;
    virtual void saveMore(torch::serialize::OutputArchive&) const {}
    virtual void loadMore(torch::serialize::InputArchive&) {}

    std::int64_t stepCount() const { return step_; }
    MomentEstimates& moments() { return moments_; }

private:
    std::string key_;
    torch::MemoryFormat momentFormat_;
    MomentEstimates moments_;
    std::int64_t step_ = 0;
};

}  // namespace sonolab::ml
