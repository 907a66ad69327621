#include "core/ml/torch/models/Architectures.h"

#include "core/util/Error.h"

namespace sonolab::ml::models {

std::int64_t flattenedSize(torch::nn::Module& body, const std::function<torch::Tensor(torch::Tensor)>& forward,
                           InputShape input) {
    torch::NoGradGuard noGrad;
    const bool wasTraining = body.is_training();
    body.eval();
    auto x = torch::zeros({1, 1, std::int64_t(input.bands), std::int64_t(input.frames)});
    const auto n = forward(x).numel();
    body.train(wasTraining);
    return n;
}

void checkParams(const ModelSpec& spec, std::initializer_list<const char*> known) {
    for (const auto& [key, value] : spec.params) {
        bool ok = false;
        for (const char* k : known) ok = ok || key == k;
        if (!ok) {
            std::string list;
            for (const char* k : known) list += std::string(list.empty() ? "" : ", ") + k;
            throw Error("model '" + spec.toString() + "'",
                        "unknown parameter '" + key + "'" + (list.empty() ? "" : " (known: " + list + ")"));
        }
    }
}

void requireInput(const ModelSpec& spec, InputShape input, std::size_t minBands, std::size_t minFrames) {
    if (input.bands < minBands || input.frames < minFrames)
        throw Error("model '" + spec.toString() + "'",
                    "input " + std::to_string(input.bands) + "x" + std::to_string(input.frames) +
                        " is too small: it needs at least " + std::to_string(minBands) + " bands x " +
                        std::to_string(minFrames) + " frames");
}

}  // namespace sonolab::ml::models
