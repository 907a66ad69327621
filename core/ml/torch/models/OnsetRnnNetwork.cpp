#include "core/ml/torch/models/OnsetRnnNetwork.h"

#include "core/util/Error.h"

#include <cmath>
#include <string>
#include <vector>

namespace sonolab::ml {

namespace {

// h_t = tanh(a_t + W h_{t-1}), h_{-1} = 0, for input projections a [time, batch, units] of one direction.
// libtorch's CPU RNN records about ten autograd nodes per time step, and for 25 units that bookkeeping, not the
// arithmetic, is what an epoch costs. Here the whole recurrence and its backward pass (BPTT) are plain loops:
// one autograd node per layer and direction. Padded steps past a sequence's end are computed and later masked;
// they never feed a real step because padding only follows real frames.
class TanhRecurrence : public torch::autograd::Function<TanhRecurrence> {
public:
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& input, const torch::Tensor& weight) {
        const auto a = input.contiguous();
        const auto w = weight.contiguous();
        const std::int64_t T = a.size(0), B = a.size(1), H = a.size(2);
        auto h = torch::empty_like(a);
        const float* ap = a.data_ptr<float>();
        const float* wp = w.data_ptr<float>();
        float* hp = h.data_ptr<float>();
        for (std::int64_t t = 0; t < T; ++t) {
            for (std::int64_t b = 0; b < B; ++b) {
                const float* in = ap + (t * B + b) * H;
                float* out = hp + (t * B + b) * H;
                const float* prev = t > 0 ? hp + ((t - 1) * B + b) * H : nullptr;
                for (std::int64_t i = 0; i < H; ++i) {
                    float z = in[i];
                    if (prev) {
                        const float* row = wp + i * H;
                        for (std::int64_t j = 0; j < H; ++j) z += row[j] * prev[j];
                    }
                    out[i] = std::tanh(z);
                }
            }
        }
        ctx->save_for_backward({h, w});
        return h;
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                   torch::autograd::variable_list grads) {
        const auto saved = ctx->get_saved_variables();
        const auto& h = saved[0];
        const auto& w = saved[1];
        const auto g = grads[0].contiguous();
        const std::int64_t T = h.size(0), B = h.size(1), H = h.size(2);
        auto gradInput = torch::empty_like(h);
        auto gradWeight = torch::zeros_like(w);
        const float* hp = h.data_ptr<float>();
        const float* wp = w.data_ptr<float>();
        const float* gp = g.data_ptr<float>();
        float* dap = gradInput.data_ptr<float>();
        float* dwp = gradWeight.data_ptr<float>();
        std::vector<float> carry(std::size_t(B * H), 0.0f);  // dL/dh_t arriving from step t + 1
        for (std::int64_t t = T - 1; t >= 0; --t) {
            for (std::int64_t b = 0; b < B; ++b) {
                const std::int64_t at = (t * B + b) * H;
                float* c = carry.data() + b * H;
                float* dz = dap + at;
                for (std::int64_t i = 0; i < H; ++i) {
                    const float y = hp[at + i];
                    dz[i] = (gp[at + i] + c[i]) * (1.0f - y * y);
                }
                std::fill(c, c + H, 0.0f);
                if (t == 0) continue;
                const float* prev = hp + ((t - 1) * B + b) * H;
                for (std::int64_t i = 0; i < H; ++i) {
                    const float d = dz[i];
                    if (d == 0.0f) continue;
                    const float* row = wp + i * H;
                    float* drow = dwp + i * H;
                    for (std::int64_t j = 0; j < H; ++j) {
                        c[j] += d * row[j];
                        drow[j] += d * prev[j];
                    }
                }
            }
        }
        return {gradInput, gradWeight};
    }
};

// Index that reverses each sequence within its own length (padding stays at the end); it is its own inverse.
torch::Tensor reversalIndex(const torch::Tensor& lengths, std::int64_t maxLength, std::int64_t units) {
    const auto B = lengths.size(0);
    auto index = torch::empty({maxLength, B}, torch::kInt64);
    auto* ip = index.data_ptr<std::int64_t>();
    const auto lp = lengths.contiguous();
    const auto* len = lp.data_ptr<std::int64_t>();
    for (std::int64_t t = 0; t < maxLength; ++t)
        for (std::int64_t b = 0; b < B; ++b) ip[t * B + b] = t < len[b] ? len[b] - 1 - t : t;
    return index.unsqueeze(-1).expand({maxLength, B, units});
}

}  // namespace

OnsetRnnNetworkImpl::OnsetRnnNetworkImpl(const OnsetRnnConfig& c) : cell_(c.cell), fused_(c.fusedRecurrence) {
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

torch::Tensor OnsetRnnNetworkImpl::fusedTanhForward(const torch::Tensor& x, const torch::Tensor& lengths) {
    const auto maxLength = x.size(0), units = rnn_->options.hidden_size();
    const auto params = rnn_->named_parameters();
    const bool padded = x.size(1) > 1 && lengths.min().item<std::int64_t>() < maxLength;
    const torch::Tensor reverse = padded ? reversalIndex(lengths, maxLength, units) : torch::Tensor();
    torch::Tensor layerInput = x;
    for (std::int64_t layer = 0; layer < rnn_->options.num_layers(); ++layer) {
        std::vector<torch::Tensor> directions;
        for (const std::string suffix : {"", "_reverse"}) {
            const std::string l = "_l" + std::to_string(layer) + suffix;
            auto a = torch::nn::functional::linear(layerInput, params["weight_ih" + l], params["bias_ih" + l] + params["bias_hh" + l]);
            const bool backwards = !suffix.empty();
            if (backwards) a = padded ? a.gather(0, reverse) : a.flip(0);
            auto h = TanhRecurrence::apply(a, params["weight_hh" + l]);
            if (backwards) h = padded ? h.gather(0, reverse) : h.flip(0);
            directions.push_back(h);
        }
        layerInput = torch::cat(directions, -1);
    }
    return layerInput;
}

torch::Tensor OnsetRnnNetworkImpl::forward(const torch::Tensor& x, const torch::Tensor& lengths) {
    const auto maxLength = x.size(0);
    torch::Tensor hidden;
    if (rnn_ && fused_ && x.scalar_type() == torch::kFloat32 && x.device().is_cpu()) {
        hidden = fusedTanhForward(x, lengths);
    } else if (x.size(1) == 1) {
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

void TorchOnsetRnn::syncStandardization() {
    if (mean.empty()) {
        meanTensor = torch::Tensor();
        scaleTensor = torch::Tensor();
        return;
    }
    meanTensor = torch::from_blob(mean.data(), {std::int64_t(mean.size())}, torch::kFloat32).clone();
    scaleTensor = torch::from_blob(scale.data(), {std::int64_t(scale.size())}, torch::kFloat32).clone();
}

torch::Tensor TorchOnsetRnn::standardize(torch::Tensor x) const {
    if (!meanTensor.defined()) return x;
    return (x - meanTensor.to(x.device())) * scaleTensor.to(x.device());
}

}  // namespace sonolab::ml
