#pragma once
// Internal (torch) half of OnsetRnnModel: the bidirectional recurrent stack and its per-frame output layer.
// Include only from core/ml .cpp files.
#include "core/ml/OnsetRnnModel.h"

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

struct OnsetRnnModel::Impl {
    OnsetRnnConfig config;
    mutable OnsetRnnNetwork network{nullptr};  // const predictions still switch it to eval mode
    std::vector<float> mean;   // empty = no standardisation
    std::vector<float> scale;
    torch::Tensor meanTensor, scaleTensor;  // [dims], kept in sync with mean/scale

    void syncStandardization();
    // [time, batch, dims] standardised copy of raw features.
    torch::Tensor standardize(torch::Tensor x) const;
};

}  // namespace sonolab::ml
