// Won et al. 2020 ("Evaluation of CNN-based automatic music tagging models"), ShortChunkCNN_Res: batch-normalised
// input, 7 residual blocks of 3x3 convolutions with stride 2 (channels c, c, 2c, 2c, 2c, 2c, 4c), max over what is
// left of time (and frequency), then dense -> BN -> relu -> dropout .5 -> output. Designed for 128 mels x ~3.7 s.
#include "core/ml/torch/models/Architectures.h"

namespace sonolab::ml::models {
namespace {

class ResidualBlock : public torch::nn::Module {
public:
    ResidualBlock(std::int64_t in, std::int64_t out, std::int64_t stride) {
        using torch::nn::Conv2dOptions;
        conv1_ = register_module("conv1", torch::nn::Conv2d(Conv2dOptions(in, out, 3).stride(stride).padding(1)));
        bn1_ = register_module("bn1", torch::nn::BatchNorm2d(out));
        conv2_ = register_module("conv2", torch::nn::Conv2d(Conv2dOptions(out, out, 3).padding(1)));
        bn2_ = register_module("bn2", torch::nn::BatchNorm2d(out));
        if (stride != 1 || in != out) {
            conv3_ = register_module("conv3", torch::nn::Conv2d(Conv2dOptions(in, out, 3).stride(stride).padding(1)));
            bn3_ = register_module("bn3", torch::nn::BatchNorm2d(out));
        }
    }
    torch::Tensor forward(const torch::Tensor& x) {
        auto y = bn2_(conv2_(torch::relu(bn1_(conv1_(x)))));
        auto shortcut = conv3_ ? bn3_(conv3_(x)) : x;
        return torch::relu(y + shortcut);
    }

private:
    torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr}, conv3_{nullptr};
    torch::nn::BatchNorm2d bn1_{nullptr}, bn2_{nullptr}, bn3_{nullptr};
};

class ShortChunkResNet : public Network {
public:
    ShortChunkResNet(const ModelSpec& spec, InputShape input, std::size_t outputs) {
        checkParams(spec, {"channels", "dropout"});
        requireInput(spec, input, 2, 2);
        const auto c = std::int64_t(spec.number("channels", 128));
        inputBn_ = register_module("input_bn", torch::nn::BatchNorm2d(1));
        const std::int64_t widths[8] = {1, c, c, 2 * c, 2 * c, 2 * c, 2 * c, 4 * c};
        for (int i = 0; i < 7; ++i)
            blocks_.push_back(register_module("layer" + std::to_string(i + 1),
                                              std::make_shared<ResidualBlock>(widths[i], widths[i + 1], 2)));
        dense1_ = register_module("dense1", torch::nn::Linear(4 * c, 4 * c));
        bn_ = register_module("bn", torch::nn::BatchNorm1d(4 * c));
        dropout_ = register_module("dropout", torch::nn::Dropout(spec.number("dropout", 0.5)));
        out_ = register_module("out", torch::nn::Linear(4 * c, std::int64_t(outputs)));
    }

    torch::Tensor embed(torch::Tensor x) override {
        x = inputBn_(x);
        for (auto& block : blocks_) x = block->forward(x);
        // 128 mels end at height 1 after seven halvings; other heights are max-pooled like the remaining time.
        x = std::get<0>(x.flatten(2).max(2));
        return torch::relu(bn_(dense1_(x)));
    }
    torch::Tensor forward(torch::Tensor x) override { return out_(dropout_(embed(x))); }

private:
    torch::nn::BatchNorm2d inputBn_{nullptr};
    std::vector<std::shared_ptr<ResidualBlock>> blocks_;
    torch::nn::Linear dense1_{nullptr}, out_{nullptr};
    torch::nn::BatchNorm1d bn_{nullptr};
    torch::nn::Dropout dropout_{nullptr};
};

}  // namespace

void addShortChunkResNet(ModelFactory& factory) {
    addClassifier<ShortChunkResNet>(factory, "short_chunk_resnet");
}

}  // namespace sonolab::ml::models
