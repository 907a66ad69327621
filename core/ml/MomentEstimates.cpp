#include "core/ml/MomentEstimates.h"

namespace sonolab::ml {

void MomentEstimates::ensure(const std::vector<torch::Tensor>& params, torch::MemoryFormat format) {
    if (first.size() == params.size()) return;
    first.clear();
    second.clear();
    for (const auto& p : params) {
        first.push_back(torch::zeros_like(p, format));
        second.push_back(torch::zeros_like(p, format));
    }
}

void MomentEstimates::save(torch::serialize::OutputArchive& archive, const std::string& countKey) const {
    archive.write(countKey, torch::tensor(std::int64_t(first.size())));
    for (std::size_t i = 0; i < first.size(); ++i) {
        archive.write("exp_avg_" + std::to_string(i), first[i], /*is_buffer=*/true);
        archive.write("exp_avg_sq_" + std::to_string(i), second[i], /*is_buffer=*/true);
    }
}

void MomentEstimates::load(torch::serialize::InputArchive& archive, const std::string& countKey) {
    const auto n = std::size_t(readScalar(archive, countKey).item<std::int64_t>());
    first.assign(n, {});
    second.assign(n, {});
    for (std::size_t i = 0; i < n; ++i) {
        archive.read("exp_avg_" + std::to_string(i), first[i], /*is_buffer=*/true);
        archive.read("exp_avg_sq_" + std::to_string(i), second[i], /*is_buffer=*/true);
    }
}

torch::Tensor readScalar(torch::serialize::InputArchive& archive, const std::string& key) {
    torch::Tensor t;
    archive.read(key, t);
    return t;
}

}  // namespace sonolab::ml
