// The siamese architectures: one shared embedding branch applied to both items of a pair (see core/ml/Siamese.h).
#include "core/ml/Siamese.h"

#include "core/ml/torch/models/Architectures.h"
#include "core/util/Error.h"

namespace sonolab::ml::models {
namespace {

// Shared by both siamese networks: pair stacking, distance output, and which half embed() looks at.
class SiameseBase : public Network {
public:
    SiameseBase(const ModelSpec& spec, InputShape input) {
        const std::string mode = spec.text("input", "pair");
        if (mode != "pair" && mode != "item")
            throw Error("model '" + spec.toString() + "'", "input must be pair or item");
        pairs_ = mode == "pair";
        if (pairs_ && input.bands % 2 != 0)
            throw Error("model '" + spec.toString() + "'",
                        "pair input stacks two items, so its bands must be even (got " + std::to_string(input.bands) + ")");
        item_ = pairs_ ? InputShape{input.bands / 2, input.frames} : input;
    }

    // x: [batch, 1, H, W] (an item) or [batch, 1, 2H, W] (a pair: the top item is embedded).
    torch::Tensor embed(torch::Tensor x) override {
        if (x.size(2) == 2 * std::int64_t(item_.bands)) x = x.narrow(2, 0, std::int64_t(item_.bands));
        return embedItem(x);
    }
    torch::Tensor forward(torch::Tensor x) override {
        if (!pairs_) return embedItem(x);
        const auto h = std::int64_t(item_.bands);
        auto a = embedItem(x.narrow(2, 0, h));
        auto b = embedItem(x.narrow(2, h, h));
        // The epsilon keeps the gradient of sqrt finite for identical pairs (the tutorial's epsilon clamp).
        return torch::sqrt(torch::clamp_min((a - b).pow(2).sum(1, true), 1e-7));
    }

protected:
    virtual torch::Tensor embedItem(torch::Tensor x) = 0;
    InputShape item_;
    bool pairs_ = true;
};

class SiameseCnn : public SiameseBase {
public:
    SiameseCnn(const ModelSpec& spec, InputShape input) : SiameseBase(spec, input) {
        checkParams(spec, {"input", "noise", "embedding", "filters"});
        requireInput(spec, item_, 20, 20);
        noise_ = spec.number("noise", 0.2);
        const auto filters = std::int64_t(spec.number("filters", 16));
        const auto embedding = std::int64_t(spec.number("embedding", 256));
        inputBn_ = register_module("input_bn", torch::nn::BatchNorm2d(1));
        convA_ = register_module("conv_a", torch::nn::Conv2d(torch::nn::Conv2dOptions(1, filters, {21, 11}).padding({10, 5})));
        poolA_ = register_module("pool_a", torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions({20, 4})));
        bnA_ = register_module("bn_a", torch::nn::BatchNorm2d(filters));
        convB_ = register_module("conv_b", torch::nn::Conv2d(torch::nn::Conv2dOptions(1, filters, {11, 21}).padding({5, 10})));
        poolB_ = register_module("pool_b", torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions({4, 20})));
        bnB_ = register_module("bn_b", torch::nn::BatchNorm2d(filters));
        const auto flat = flattenedSize(*this, [this](torch::Tensor x) { return branches(x); }, item_);
        dense_ = register_module("dense", torch::nn::Linear(flat, embedding));
    }

protected:
    torch::Tensor branches(torch::Tensor x) {
        if (is_training() && noise_ > 0) x = x + torch::randn_like(x) * noise_;
        x = inputBn_(x);
        auto a = bnA_(poolA_(torch::relu(convA_(x)))).flatten(1);
        auto b = bnB_(poolB_(torch::relu(convB_(x)))).flatten(1);
        return torch::cat({a, b}, 1);
    }
    // Unit-length embeddings: distances stay within [0, 2], where a margin of 1 means something.
    torch::Tensor embedItem(torch::Tensor x) override {
        return torch::nn::functional::normalize(torch::elu(dense_(branches(x))),
                                                torch::nn::functional::NormalizeFuncOptions().dim(1).eps(1e-8));
    }

private:
    double noise_ = 0.2;
    torch::nn::BatchNorm2d inputBn_{nullptr}, bnA_{nullptr}, bnB_{nullptr};
    torch::nn::Conv2d convA_{nullptr}, convB_{nullptr};
    torch::nn::MaxPool2d poolA_{nullptr}, poolB_{nullptr};
    torch::nn::Linear dense_{nullptr};
};

class SiameseDense : public SiameseBase {
public:
    SiameseDense(const ModelSpec& spec, InputShape input) : SiameseBase(spec, input) {
        checkParams(spec, {"input", "hidden", "layers", "embedding"});
        const auto hidden = std::int64_t(spec.number("hidden", 100));
        const int layers = int(spec.number("layers", 2));
        if (layers < 1) throw Error("model '" + spec.toString() + "'", "layers must be at least 1");
        auto in = std::int64_t(item_.size());
        for (int i = 0; i < layers; ++i) {
            const auto width = i + 1 == layers ? std::int64_t(spec.number("embedding", double(hidden))) : hidden;
            layers_.push_back(register_module("dense" + std::to_string(i + 1), torch::nn::Linear(in, width)));
            in = width;
        }
    }

protected:
    torch::Tensor embedItem(torch::Tensor x) override {
        x = x.flatten(1);
        for (auto& layer : layers_) x = torch::selu(layer(x));
        return x;
    }

private:
    std::vector<torch::nn::Linear> layers_;
};

}  // namespace

void addSiameseArchitectures(ModelFactory& factory) {
    addArchitecture(factory, "siamese_cnn",
                    [](const ModelSpec& s, InputShape in, std::size_t) {
                        return std::make_shared<SiameseCnn>(s, in);
                    });
    addArchitecture(factory, "siamese_dense",
                    [](const ModelSpec& s, InputShape in, std::size_t) {
                        return std::make_shared<SiameseDense>(s, in);
                    });
}

}  // namespace sonolab::ml::models
