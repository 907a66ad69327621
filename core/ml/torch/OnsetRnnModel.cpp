#include "core/ml/torch/models/OnsetRnnNetwork.h"
#include "core/ml/torch/TorchSupport.h"
#include "core/util/AtomicFile.h"
#include "core/util/Error.h"

#include <algorithm>
#include <cmath>

namespace sonolab::ml {

TorchOnsetRnn::TorchOnsetRnn(OnsetRnnConfig c, std::uint64_t seed) : config_(std::move(c)) {
    torch::manual_seed(seed);
    network = OnsetRnnNetwork(config_);
}

std::size_t TorchOnsetRnn::parameterCount() const {
    std::size_t n = 0;
    for (const auto& p : network->parameters()) n += std::size_t(p.numel());
    return n;
}

std::vector<float> TorchOnsetRnn::flatParameters() const {
    std::vector<float> out;
    for (const auto& p : network->parameters()) {
        auto c = p.detach().to(torch::kCPU).contiguous().view(-1);
        out.insert(out.end(), c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
    }
    return out;
}

void TorchOnsetRnn::setStandardization(std::vector<float> m, std::vector<float> sc) {
    if (m.size() != sc.size() || (!m.empty() && m.size() != config_.inputDims))
        throw Error("onset rnn", "standardisation needs one mean and one scale per input dim");
    mean = std::move(m);
    scale = std::move(sc);
    syncStandardization();
}

void TorchOnsetRnn::fitStandardization(const std::vector<OnsetSequence>& sequences) {
    const std::size_t dims = config_.inputDims;
    std::vector<double> sum(dims, 0.0), sumSq(dims, 0.0);
    double count = 0;
    for (const auto& s : sequences) {
        if (s.dims != dims) throw Error(s.name, "has " + std::to_string(s.dims) + " dims, the model takes " +
                                                    std::to_string(dims));
        for (std::size_t f = 0; f < s.frames; ++f)
            for (std::size_t d = 0; d < dims; ++d) {
                const double v = s.features[f * dims + d];
                sum[d] += v;
                sumSq[d] += v * v;
            }
        count += double(s.frames);
    }
    if (count == 0) throw Error("onset rnn", "no frames to fit the standardisation on");
    std::vector<float> mean(dims), scale(dims);
    for (std::size_t d = 0; d < dims; ++d) {
        const double m = sum[d] / count;
        const double var = std::max(0.0, sumSq[d] / count - m * m);
        mean[d] = float(m);
        scale[d] = float(1.0 / std::max(std::sqrt(var), 1e-6));
    }
    setStandardization(std::move(mean), std::move(scale));
}


std::vector<float> TorchOnsetRnn::predict(const float* features, std::size_t frames, std::size_t dims) const {
    if (dims != config_.inputDims)
        throw Error("onset rnn", "features have " + std::to_string(dims) + " dims, the model takes " +
                                     std::to_string(config_.inputDims));
    if (frames == 0) return {};
    torch::NoGradGuard noGrad;
    auto& net = network;
    const bool wasTraining = net->is_training();
    net->eval();
    auto x = torch::from_blob(const_cast<float*>(features), {std::int64_t(frames), 1, std::int64_t(dims)},
                              torch::kFloat32);
    const auto device = net->parameters().front().device();
    x = standardize(x.to(device));
    auto lengths = torch::full({1}, std::int64_t(frames), torch::kInt64);
    auto act = torch::sigmoid(net->forward(x, lengths)).squeeze(1).to(torch::kCPU).contiguous();
    if (wasTraining) net->train();
    return std::vector<float>(act.data_ptr<float>(), act.data_ptr<float>() + act.numel());
}

void TorchOnsetRnn::save(const std::filesystem::path& file) const {
    torch::serialize::OutputArchive archive;
    network->save(archive);
    const auto& c = config_;
    archive.write("onset.format", c10::IValue(std::int64_t(1)));
    archive.write("onset.cell", c10::IValue(c.cell));
    archive.write("onset.hidden", c10::IValue(std::int64_t(c.hidden)));
    archive.write("onset.layers", c10::IValue(std::int64_t(c.layers)));
    archive.write("onset.input_dims", c10::IValue(std::int64_t(c.inputDims)));
    if (!mean.empty()) {
        archive.write("onset.mean", meanTensor, /*is_buffer=*/true);
        archive.write("onset.scale", scaleTensor, /*is_buffer=*/true);
    }
    if (!file.parent_path().empty()) std::filesystem::create_directories(file.parent_path());
    const auto tmp = temporaryPathFor(file);
    try {
        archive.save_to(tmp.string());
    } catch (const std::exception& e) {
        std::filesystem::remove(tmp);
        throw fileError(file, std::string("cannot write the onset model: ") + e.what());
    }
    commitAtomically(tmp, file);
}

std::unique_ptr<OnsetRnnBackend> loadTorchOnsetRnn(const std::filesystem::path& fileOrRunDir) {
    std::filesystem::path file = fileOrRunDir;
    if (std::filesystem::is_directory(file)) {
        // A run folder, or a training run's folder holding one model per test fold (fold-K/): with exactly one
        // fold trained, that model is the run's model.
        std::vector<std::filesystem::path> folds;
        if (!std::filesystem::is_regular_file(file / OnsetRnnModel::kFileName))
            for (const auto& e : std::filesystem::directory_iterator(file))
                if (e.is_directory() && e.path().filename().string().rfind("fold-", 0) == 0 &&
                    std::filesystem::is_regular_file(e.path() / OnsetRnnModel::kFileName))
                    folds.push_back(e.path() / OnsetRnnModel::kFileName);
        if (folds.size() > 1) {
            std::sort(folds.begin(), folds.end());
            throw fileError(file, "holds one model per cross-validation fold (" + folds.front().parent_path().filename().string() +
                                      " ...): name one, e.g. rnn:" + folds.front().parent_path().string());
        }
        file = folds.size() == 1 ? folds.front() : file / OnsetRnnModel::kFileName;
    }
    if (!std::filesystem::is_regular_file(file)) throw fileError(file, "no such onset model file");
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(file.string());
        c10::IValue v;
        if (!archive.try_read("onset.format", v)) throw fileError(file, "is not a Sonolab onset model");
        OnsetRnnConfig c;
        archive.read("onset.cell", v);
        c.cell = v.toStringRef();
        archive.read("onset.hidden", v);
        c.hidden = int(v.toInt());
        archive.read("onset.layers", v);
        c.layers = int(v.toInt());
        archive.read("onset.input_dims", v);
        c.inputDims = std::size_t(v.toInt());
        // Sizes from the file are checked before a network is allocated from them.
        if (c.hidden < 1 || c.hidden > 4096 || c.layers < 1 || c.layers > 16 || c.inputDims < 1 || c.inputDims > 8192)
            throw fileError(file, "has an impossible network size (hidden " + std::to_string(c.hidden) + ", layers " +
                                      std::to_string(c.layers) + ", inputs " + std::to_string(c.inputDims) + ")");
        auto model = std::make_unique<TorchOnsetRnn>(c, 42);
        loadModuleChecked(*model->network, archive, file);
        torch::Tensor mean, scale;
        if (archive.try_read("onset.mean", mean, /*is_buffer=*/true) &&
            archive.try_read("onset.scale", scale, /*is_buffer=*/true)) {
            mean = mean.to(torch::kCPU).contiguous();
            scale = scale.to(torch::kCPU).contiguous();
            const auto n = std::int64_t(c.inputDims);
            if (mean.scalar_type() != torch::kFloat || scale.scalar_type() != torch::kFloat || mean.numel() != n ||
                scale.numel() != n)
                throw fileError(file, "has a standardisation that does not fit its " + std::to_string(n) + " inputs");
            model->setStandardization(std::vector<float>(mean.data_ptr<float>(), mean.data_ptr<float>() + mean.numel()),
                                     std::vector<float>(scale.data_ptr<float>(), scale.data_ptr<float>() + scale.numel()));
        }
        return model;
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw fileError(file, std::string("cannot read the onset model: ") + e.what());
    }
}

}  // namespace sonolab::ml
