#include "core/ml/models/OnsetRnnNetwork.h"

#include "core/util/Error.h"

namespace sonolab::ml {

OnsetRnnNetworkImpl::OnsetRnnNetworkImpl(const OnsetRnnConfig& c) : cell_(c.cell) {
    if (c.hidden <= 0 || c.layers <= 0 || c.inputDims == 0)
        throw Error("onset rnn", "hidden units, layers and input dims must be > 0");
    const auto in = std::int64_t(c.inputDims);
    if (cell_ == "rnn") {
        rnn_ = register_module("rnn", torch::nn::RNN(torch::nn::RNNOptions(in, c.hidden)
                                                           .num_layers(c.layers)
                                                           .nonlinearity(torch::kTanh)
                                                           .bidirectional(true)));
    } else if (cell_ == "lstm") {
        lstm_ = register_module(
            "rnn", torch::nn::LSTM(torch::nn::LSTMOptions(in, c.hidden).num_layers(c.layers).bidirectional(true)));
    } else if (cell_ == "gru") {
        gru_ = register_module(
            "rnn", torch::nn::GRU(torch::nn::GRUOptions(in, c.hidden).num_layers(c.layers).bidirectional(true)));
    } else {
        throw Error("onset rnn", "unknown recurrent cell '" + cell_ + "' (rnn, lstm or gru)");
    }
    out_ = register_module("out", torch::nn::Linear(2 * c.hidden, 1));
}

torch::Tensor OnsetRnnNetworkImpl::forward(const torch::Tensor& x, const torch::Tensor& lengths) {
    const auto maxLength = x.size(0);
    torch::Tensor hidden;
    if (x.size(1) == 1) {
        // One sequence: nothing to mask, no packing needed.
        if (rnn_) hidden = std::get<0>(rnn_->forward(x));
        else if (lstm_) hidden = std::get<0>(lstm_->forward(x));
        else hidden = std::get<0>(gru_->forward(x));
    } else {
        auto packed = torch::nn::utils::rnn::pack_padded_sequence(x, lengths, /*batch_first=*/false,
                                                                  /*enforce_sorted=*/false);
        auto run = [&]() -> torch::nn::utils::rnn::PackedSequence {
            if (rnn_) return std::get<0>(rnn_->forward_with_packed_input(packed));
            if (lstm_) return std::get<0>(lstm_->forward_with_packed_input(packed));
            return std::get<0>(gru_->forward_with_packed_input(packed));
        };
        auto result = run();
        hidden = std::get<0>(torch::nn::utils::rnn::pad_packed_sequence(result, /*batch_first=*/false, 0.0,
                                                                         maxLength));
    }
    return out_->forward(hidden).squeeze(-1);
}

void OnsetRnnModel::Impl::syncStandardization() {
    if (mean.empty()) {
        meanTensor = torch::Tensor();
        scaleTensor = torch::Tensor();
        return;
    }
    meanTensor = torch::from_blob(mean.data(), {std::int64_t(mean.size())}, torch::kFloat32).clone();
    scaleTensor = torch::from_blob(scale.data(), {std::int64_t(scale.size())}, torch::kFloat32).clone();
}

torch::Tensor OnsetRnnModel::Impl::standardize(torch::Tensor x) const {
    if (!meanTensor.defined()) return x;
    return (x - meanTensor.to(x.device())) * scaleTensor.to(x.device());
}

}  // namespace sonolab::ml
