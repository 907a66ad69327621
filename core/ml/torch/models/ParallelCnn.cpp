// The tutorial's parallel CNN: a time-oriented branch (16 filters 10x2, pool (1,2)) beside a frequency-oriented one
// (25 filters 2x10, pool (2,1)), concatenated (53,069 values on 40x80) -> dense256 relu -> output.
#include "core/ml/torch/models/Architectures.h"

namespace sonolab::ml::models {
namespace {

class ParallelCnn : public Network {
public:
    ParallelCnn(const ModelSpec& spec, InputShape input, std::size_t outputs) {
        checkParams(spec, {"hidden", "dropout"});
        requireInput(spec, input, 11, 11);
        a_ = register_module("branch_a", torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 16, {10, 2})));
        b_ = register_module("branch_b", torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 25, {2, 10})));
        dropout_ = register_module("dropout", torch::nn::Dropout(spec.number("dropout", 0.0)));
        const auto flat = flattenedSize(*this, [this](torch::Tensor x) { return features(x); }, input);
        hidden_ = register_module("hidden", torch::nn::Linear(flat, std::int64_t(spec.number("hidden", 256))));
        out_ = register_module("out", torch::nn::Linear(hidden_->options.out_features(), std::int64_t(outputs)));
    }

    torch::Tensor features(torch::Tensor x) {
        auto a = torch::max_pool2d(torch::relu(a_(x)), {1, 2}).flatten(1);
        auto b = torch::max_pool2d(torch::relu(b_(x)), {2, 1}).flatten(1);
        return torch::cat({a, b}, 1);
    }
    torch::Tensor embed(torch::Tensor x) override { return torch::relu(hidden_(dropout_(features(x)))); }
    torch::Tensor forward(torch::Tensor x) override { return out_(embed(x)); }

private:
    torch::nn::Conv2d a_{nullptr}, b_{nullptr};
    torch::nn::Dropout dropout_{nullptr};
    torch::nn::Linear hidden_{nullptr}, out_{nullptr};
};

}  // namespace

void addParallelCnn(ModelFactory& factory) {
    addClassifier<ParallelCnn>(factory, "parallel_cnn");
}

}  // namespace sonolab::ml::models
