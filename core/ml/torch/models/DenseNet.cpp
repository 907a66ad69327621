// A multi-layer perceptron on feature vectors (MFCC statistics, RP/SSD) or on a flattened spectrogram (ML 1b).
#include "core/ml/torch/models/Architectures.h"

#include "core/util/Error.h"

namespace sonolab::ml::models {
namespace {

class DenseNet : public Network {
public:
    DenseNet(const ModelSpec& spec, InputShape input, std::size_t outputs) {
        checkParams(spec, {"hidden", "layers", "dropout", "activation"});
        const auto hidden = std::int64_t(spec.number("hidden", 256));
        const int layers = int(spec.number("layers", 2));
        activation_ = spec.text("activation", "relu");
        if (activation_ != "relu" && activation_ != "sigmoid" && activation_ != "selu" && activation_ != "elu")
            throw Error("model '" + spec.toString() + "'", "activation must be relu, sigmoid, selu or elu");
        if (layers < 1) throw Error("model '" + spec.toString() + "'", "layers must be at least 1");
        auto in = std::int64_t(input.size());
        for (int i = 0; i < layers; ++i) {
            layers_.push_back(register_module("dense" + std::to_string(i + 1), torch::nn::Linear(in, hidden)));
            in = hidden;
        }
        dropout_ = register_module("dropout", torch::nn::Dropout(spec.number("dropout", 0.1)));
        out_ = register_module("out", torch::nn::Linear(hidden, std::int64_t(outputs)));
    }

    torch::Tensor activate(const torch::Tensor& x) const {
        if (activation_ == "sigmoid") return torch::sigmoid(x);
        if (activation_ == "selu") return torch::selu(x);
        if (activation_ == "elu") return torch::elu(x);
        return torch::relu(x);
    }
    torch::Tensor embed(torch::Tensor x) override {
        x = x.flatten(1);
        for (std::size_t i = 0; i < layers_.size(); ++i) {
            x = activate(layers_[i](x));
            if (i + 1 < layers_.size()) x = dropout_(x);
        }
        return x;
    }
    torch::Tensor forward(torch::Tensor x) override { return out_(dropout_(embed(x))); }

private:
    std::string activation_;
    std::vector<torch::nn::Linear> layers_;
    torch::nn::Dropout dropout_{nullptr};
    torch::nn::Linear out_{nullptr};
};

}  // namespace

void addDense(ModelFactory& factory) {
    addClassifier<DenseNet>(factory, "dense");
}

}  // namespace sonolab::ml::models
