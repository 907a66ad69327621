#include "core/ml/torch/EncoderTransfer.h"

#include "core/ml/SavedModel.h"
#include "core/util/Error.h"

namespace sonolab::ml {
namespace {

std::shared_ptr<Network> loadSaved(const std::filesystem::path& runDir, SavedModelInfo& info) {
    if (!isRunFolder(runDir))
        throw fileError(runDir, "is not a trained run (no model.txt and model.pt): --init needs a run folder, e.g. "
                                "one written by `sonolab-cli pretrain`");
    info = readSavedModelInfo(runDir);
    auto net = ModelFactory::all().build(info.model, info.input, info.task.outputs());
    try {
        torch::serialize::InputArchive archive;
        archive.load_from((runDir / "model.pt").string());
        net->load(archive);
    } catch (const c10::Error& e) {
        throw fileError(runDir / "model.pt", std::string("cannot load the weights: ") + e.what_without_backtrace());
    }
    return net;
}

std::string shapeText(InputShape s) { return std::to_string(s.bands) + " x " + std::to_string(s.frames); }

}  // namespace

std::vector<bool> encoderParameterMask(Network& net, InputShape input) {
    const bool wasTraining = net.is_training();
    net.eval();
    auto params = net.parameters();
    std::vector<bool> wanted;
    for (auto& p : params) {
        wanted.push_back(p.requires_grad());
        p.set_requires_grad(true);
        p.mutable_grad() = torch::Tensor();
    }
    const auto device = params.empty() ? torch::Device(torch::kCPU) : params.front().device();
    torch::manual_seed(0);
    net.embed(torch::randn({2, 1, std::int64_t(input.bands), std::int64_t(input.frames)}, device)).sum().backward();
    std::vector<bool> mask;
    for (std::size_t i = 0; i < params.size(); ++i) {
        mask.push_back(params[i].grad().defined());
        params[i].mutable_grad() = torch::Tensor();
        params[i].set_requires_grad(wanted[i]);
    }
    net.train(wasTraining);
    return mask;
}

Standardization initEncoderFrom(Network& net, const ModelSpec& spec, InputShape input, const std::string& featureSpec,
                                const std::filesystem::path& runDir, bool freeze) {
    SavedModelInfo info;
    const auto saved = loadSaved(runDir, info);
    const auto text = runDir / "model.txt";
    if (info.model.architecture != spec.architecture)
        throw fileError(text, "holds a " + info.model.architecture + " encoder, not " + spec.architecture +
                                  ": --init needs a run of the same architecture");
    if (info.model.toString() != spec.toString())
        throw fileError(text, "was trained as " + info.model.toString() + ", not " + spec.toString() +
                                  ": the encoder's layers would differ");
    if (info.input != input)
        throw fileError(text, "takes inputs of " + shapeText(info.input) + " (bands x frames), this run's are " +
                                  shapeText(input) + ": use the same features and --window");
    if (!featureSpec.empty() && !info.featureSpec.empty() && featureSpec != info.featureSpec)
        throw fileError(text, "was trained on features " + info.featureSpec + ", this run uses " + featureSpec);

    const auto mask = encoderParameterMask(net, input);
    torch::NoGradGuard noGrad;
    const auto source = saved->named_parameters();
    auto target = net.named_parameters();
    for (std::size_t i = 0; i < target.size(); ++i) {
        if (!mask[i]) continue;
        const auto& name = target[i].key();
        const auto* from = source.find(name);
        if (!from || from->sizes() != target[i].value().sizes())
            throw fileError(runDir / "model.pt", "has no encoder weight '" + name + "' of the shape this model needs");
        target[i].value().copy_(*from);
        if (freeze) target[i].value().set_requires_grad(false);
    }
    const auto sourceBuffers = saved->named_buffers();
    for (auto& b : net.named_buffers()) {
        const auto* from = sourceBuffers.find(b.key());
        if (from && from->sizes() == b.value().sizes()) b.value().copy_(*from);
    }
    return info.standardization;
}

void keepFrozenLayersInEval(torch::nn::Module& net) {
    for (const auto& m : net.modules(/*include_self=*/false)) {
        if (!m->children().empty()) continue;
        bool trainable = false;
        for (const auto& p : m->parameters(/*recurse=*/false)) trainable = trainable || p.requires_grad();
        if (!trainable) m->eval();
    }
}

std::vector<float> torchEncoderStateOf(const std::filesystem::path& runDir) {
    SavedModelInfo info;
    const auto net = loadSaved(runDir, info);
    const auto mask = encoderParameterMask(*net, info.input);
    std::vector<float> flat;
    auto append = [&](const torch::Tensor& t) {
        auto c = t.detach().to(torch::kCPU, torch::kFloat32).contiguous().view(-1);
        flat.insert(flat.end(), c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
    };
    const auto params = net->parameters();
    for (std::size_t i = 0; i < params.size(); ++i)
        if (mask[i]) append(params[i]);
    for (const auto& b : net->buffers()) append(b);
    return flat;
}

}  // namespace sonolab::ml
