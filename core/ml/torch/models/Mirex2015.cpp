// The tutorial's "MIREX 2015" CNN: conv15 12x8 sigmoid -> max-pool (2,1) -> dense200 sigmoid -> dropout .5 -> output.
#include "core/ml/torch/models/Architectures.h"

namespace sonolab::ml::models {
namespace {

class Mirex2015 : public Network {
public:
    Mirex2015(const ModelSpec& spec, InputShape input, std::size_t outputs) {
        checkParams(spec, {"filters", "hidden", "dropout"});
        requireInput(spec, input, 13, 8);
        const auto filters = std::int64_t(spec.number("filters", 15));
        conv_ = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(1, filters, {12, 8})));
        const auto flat = flattenedSize(*this, [this](torch::Tensor x) { return features(x); }, input);
        hidden_ = register_module("hidden", torch::nn::Linear(flat, std::int64_t(spec.number("hidden", 200))));
        dropout_ = register_module("dropout", torch::nn::Dropout(spec.number("dropout", 0.5)));
        out_ = register_module("out", torch::nn::Linear(hidden_->options.out_features(), std::int64_t(outputs)));
    }

    torch::Tensor features(torch::Tensor x) {
        return torch::max_pool2d(torch::sigmoid(conv_(x)), {2, 1}).flatten(1);
    }
    torch::Tensor embed(torch::Tensor x) override { return torch::sigmoid(hidden_(features(x))); }
    torch::Tensor forward(torch::Tensor x) override { return out_(dropout_(embed(x))); }

private:
    torch::nn::Conv2d conv_{nullptr};
    torch::nn::Linear hidden_{nullptr}, out_{nullptr};
    torch::nn::Dropout dropout_{nullptr};
};

}  // namespace

void addMirex2015(ModelFactory& factory) {
    addClassifier<Mirex2015>(factory, "mirex2015");
}

}  // namespace sonolab::ml::models
