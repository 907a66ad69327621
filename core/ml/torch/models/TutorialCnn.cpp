// The ML Prague tutorial's music/speech CNN (notebook 2): conv32 3x3 -> pool 2 -> dropout .25 -> conv32 3x3 ->
// pool 2 -> dense256 sigmoid -> output. 1.19 M parameters on its 40x80 log-mel input.
#include "core/ml/torch/models/Architectures.h"

namespace sonolab::ml::models {
namespace {

class TutorialCnn : public Network {
public:
    TutorialCnn(const ModelSpec& spec, InputShape input, std::size_t outputs) {
        checkParams(spec, {"filters", "hidden", "dropout"});
        requireInput(spec, input, 10, 10);
        const auto filters = std::int64_t(spec.number("filters", 32));
        conv1_ = register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(1, filters, 3)));
        conv2_ = register_module("conv2", torch::nn::Conv2d(torch::nn::Conv2dOptions(filters, filters, 3)));
        dropout_ = register_module("dropout", torch::nn::Dropout(spec.number("dropout", 0.25)));
        const auto flat = flattenedSize(*this, [this](torch::Tensor x) { return features(x); }, input);
        hidden_ = register_module("hidden", torch::nn::Linear(flat, std::int64_t(spec.number("hidden", 256))));
        out_ = register_module("out", torch::nn::Linear(hidden_->options.out_features(), std::int64_t(outputs)));
    }

    torch::Tensor features(torch::Tensor x) {
        x = torch::max_pool2d(torch::relu(conv1_(x)), 2);
        x = dropout_(x);
        x = torch::max_pool2d(torch::relu(conv2_(x)), 2);
        return x.flatten(1);
    }
    torch::Tensor embed(torch::Tensor x) override { return torch::sigmoid(hidden_(features(x))); }
    torch::Tensor forward(torch::Tensor x) override { return out_(embed(x)); }

private:
    torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr};
    torch::nn::Dropout dropout_{nullptr};
    torch::nn::Linear hidden_{nullptr}, out_{nullptr};
};

}  // namespace

void addTutorialCnn(ModelFactory& factory) {
    addClassifier<TutorialCnn>(factory, "tutorial_cnn");
}

}  // namespace sonolab::ml::models
