#pragma once
// The model runtime's half of OnsetRnnModel: the bidirectional recurrent stack, its per-frame output layer and the
// backend the handle forwards to. Include only from core/ml/torch .cpp files.
#include "core/ml/ModelRuntime.h"

#include <torch/torch.h>

namespace sonolab::ml {

class OnsetRnnNetworkImpl : public torch::nn::Module {
public:
    explicit OnsetRnnNetworkImpl(const OnsetRnnConfig& config);
    // x: [time, batch, dims] (already standardised), lengths: int64 [batch] on the CPU. Returns logits [time, batch];
    // positions past a sequence's length are 0 and must be masked by the caller.
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& lengths);

private:
    // The tanh RNN through TanhRecurrence (same weights and results as rnn_->forward, far fewer autograd nodes).
    torch::Tensor fusedTanhForward(const torch::Tensor& x, const torch::Tensor& lengths);

    std::string cell_;
    bool fused_ = true;
    torch::nn::RNN rnn_{nullptr};
    torch::nn::LSTM lstm_{nullptr};
    torch::nn::GRU gru_{nullptr};
    torch::nn::Linear out_{nullptr};
};
TORCH_MODULE(OnsetRnnNetwork);

class TorchOnsetRnn final : public OnsetRnnBackend {
public:
    TorchOnsetRnn(OnsetRnnConfig c, std::uint64_t seed);

    OnsetRnnConfig config_;
    mutable OnsetRnnNetwork network{nullptr};  // const predictions still switch it to eval mode
    std::vector<float> mean;   // empty = no standardisation
    std::vector<float> scale;
    torch::Tensor meanTensor, scaleTensor;  // [dims], kept in sync with mean/scale

    void syncStandardization();
    // [time, batch, dims] standardised copy of raw features.
    torch::Tensor standardize(torch::Tensor x) const;

    const OnsetRnnConfig& config() const override { return config_; }
    std::size_t parameterCount() const override;
    std::vector<float> flatParameters() const override;
    void setStandardization(std::vector<float> m, std::vector<float> s) override;
    void fitStandardization(const std::vector<OnsetSequence>& sequences) override;
    const std::vector<float>& standardizationMean() const override { return mean; }
    const std::vector<float>& standardizationScale() const override { return scale; }
    std::vector<float> predict(const float* features, std::size_t frames, std::size_t dims) const override;
    void save(const std::filesystem::path& file) const override;
};

// The runtime's object behind a handle (every OnsetRnnModel's backend is one).
inline TorchOnsetRnn& torchOnsetRnn(OnsetRnnModel& model) { return dynamic_cast<TorchOnsetRnn&>(model.backend()); }
inline const TorchOnsetRnn& torchOnsetRnn(const OnsetRnnModel& model) {
    return dynamic_cast<const TorchOnsetRnn&>(model.backend());
}

}  // namespace sonolab::ml
