// Keunwoo Choi's compact CNN as the tutorials use it: batch-normalised input (per frequency band), N x [3x3 'same'
// conv -> BN -> ELU -> max-pool], flatten -> dropout -> dense128 relu -> output. Pool sizes follow the number of
// mel bands as in the tutorial and shrink when the input is smaller, so any input of at least 8x8 works.
#include "core/ml/torch/models/Architectures.h"

#include "core/util/Error.h"

namespace sonolab::ml::models {
namespace {

std::vector<std::int64_t> parseFilters(const ModelSpec& spec, int layers) {
    std::vector<std::int64_t> filters;
    const std::string text = spec.text("filters", "");
    if (text.empty()) {
        if (layers <= 3) filters = {32, 64, 64};
        else filters = {64, 64, 64, 128};
        while (int(filters.size()) < layers) filters.push_back(128);
        filters.resize(std::size_t(layers));
        return filters;
    }
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('/', start);
        const std::string item = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
        try {
            filters.push_back(std::stoll(item));
        } catch (const std::exception&) {
            throw Error("model '" + spec.toString() + "'", "filters must look like 32/64/64 (one count per layer)");
        }
        if (end == std::string::npos) break;
        start = end + 1;
    }
    if (filters.size() == 1) filters.resize(std::size_t(layers), filters[0]);
    if (int(filters.size()) != layers)
        throw Error("model '" + spec.toString() + "'", "filters names " + std::to_string(filters.size()) +
                                                           " layers, layers=" + std::to_string(layers));
    return filters;
}

class CompactCnn : public Network {
public:
    CompactCnn(const ModelSpec& spec, InputShape input, std::size_t outputs) {
        checkParams(spec, {"layers", "filters", "dropout", "hidden"});
        requireInput(spec, input, 4, 4);
        const int layers = int(spec.number("layers", input.bands >= 96 ? 4 : 3));
        if (layers < 1 || layers > 5) throw Error("model '" + spec.toString() + "'", "layers must be 1..5");
        const auto filters = parseFilters(spec, layers);

        std::vector<std::pair<std::int64_t, std::int64_t>> pools;
        if (input.bands >= 96) pools = {{2, 4}, {3, 4}, {2, 5}, {2, 4}, {4, 4}};
        else if (input.bands >= 72) pools = {{2, 4}, {3, 4}, {2, 5}, {2, 4}, {3, 4}};
        else pools = {{2, 4}, {2, 4}, {2, 2}, {2, 2}, {2, 2}};
        auto h = std::int64_t(input.bands), w = std::int64_t(input.frames);

        inputBn_ = register_module("input_bn", torch::nn::BatchNorm1d(std::int64_t(input.bands)));
        std::int64_t channels = 1;
        for (int i = 0; i < layers; ++i) {
            auto [ph, pw] = pools[std::size_t(i)];
            ph = std::max<std::int64_t>(1, std::min(ph, h));
            pw = std::max<std::int64_t>(1, std::min(pw, w));
            h /= ph;
            w /= pw;
            pools_.push_back({ph, pw});
            const auto n = std::to_string(i + 1);
            convs_.push_back(register_module(
                "conv" + n, torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, filters[std::size_t(i)], 3).padding(1))));
            bns_.push_back(register_module("bn" + n, torch::nn::BatchNorm2d(filters[std::size_t(i)])));
            channels = filters[std::size_t(i)];
        }
        dropout_ = register_module("dropout", torch::nn::Dropout(spec.number("dropout", 0.2)));
        const auto flat = flattenedSize(*this, [this](torch::Tensor x) { return features(x); }, input);
        hidden_ = register_module("hidden", torch::nn::Linear(flat, std::int64_t(spec.number("hidden", 128))));
        out_ = register_module("out", torch::nn::Linear(hidden_->options.out_features(), std::int64_t(outputs)));
    }

    torch::Tensor features(torch::Tensor x) {
        const auto sizes = x.sizes();
        // Batch norm per frequency band: the bands are the channels of a [batch, bands, frames] view.
        x = inputBn_(x.view({sizes[0], sizes[2], sizes[3]})).view(sizes);
        for (std::size_t i = 0; i < convs_.size(); ++i) {
            x = torch::elu(bns_[i](convs_[i](x)));
            x = torch::max_pool2d(x, {pools_[i].first, pools_[i].second});
        }
        return x.flatten(1);
    }
    torch::Tensor embed(torch::Tensor x) override { return torch::relu(hidden_(dropout_(features(x)))); }
    torch::Tensor forward(torch::Tensor x) override { return out_(embed(x)); }

private:
    torch::nn::BatchNorm1d inputBn_{nullptr};
    std::vector<torch::nn::Conv2d> convs_;
    std::vector<torch::nn::BatchNorm2d> bns_;
    std::vector<std::pair<std::int64_t, std::int64_t>> pools_;
    torch::nn::Dropout dropout_{nullptr};
    torch::nn::Linear hidden_{nullptr}, out_{nullptr};
};

}  // namespace

void addCompactCnn(ModelFactory& factory) {
    addClassifier<CompactCnn>(factory, "compact_cnn");
}

}  // namespace sonolab::ml::models
