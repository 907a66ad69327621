#include "core/ml/torch/TorchSupport.h"

#include "core/ml/ProcessSetup.h"

#include "core/util/AtomicFile.h"
#include "core/util/Error.h"

#include <algorithm>
#include <sstream>
#include <thread>
#include <vector>

namespace sonolab::ml {


RunThreads::RunThreads(int threads) : previous_(at::get_num_threads()), count_(resolveThreads(threads)) {
    if (count_ != previous_) at::set_num_threads(count_);
}

RunThreads::~RunThreads() {
    if (at::get_num_threads() != previous_) at::set_num_threads(previous_);
}

torch::Device chooseDevice(DeviceKind kind, int cudaIndex) {
    if (kind == DeviceKind::Cpu) return torch::kCPU;
    if (torch::cuda::is_available()) {
        const auto devices = int(torch::cuda::device_count());
        if (cudaIndex >= devices)
            throw Error("device", "cuda:" + std::to_string(cudaIndex) + " was asked for (LOCAL_RANK), but only " +
                                      std::to_string(devices) + " CUDA device(s) are visible");
        return {torch::kCUDA, c10::DeviceIndex(cudaIndex)};
    }
    if (kind == DeviceKind::Cuda) throw Error("device", "CUDA was asked for, but this libtorch sees no CUDA device");
    return torch::kCPU;
}

std::string describeDevice(const torch::Device& device, int threads) {
    if (device.is_cuda()) return "cuda:" + std::to_string(device.index() < 0 ? 0 : device.index());
    const int n = resolveThreads(threads);
    return "cpu (" + std::to_string(n) + (n == 1 ? " thread)" : " threads)");
}

std::uint64_t mixSeed(std::uint64_t seed, std::uint64_t a, std::uint64_t b) {
    auto splitmix = [](std::uint64_t x) {
        x += 0x9e3779b97f4a7c15ull;
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
        return x ^ (x >> 31);
    };
    return splitmix(splitmix(splitmix(seed) ^ a) ^ (b * 0x632be59bd9b4e019ull));
}

void saveArchiveAtomically(torch::serialize::OutputArchive& archive, const std::filesystem::path& file) {
    std::filesystem::create_directories(file.parent_path().empty() ? "." : file.parent_path());
    const auto temporary = temporaryPathFor(file);
    try {
        archive.save_to(temporary.string());
    } catch (const std::exception& e) {
        std::filesystem::remove(temporary);
        throw fileError(file, std::string("cannot write: ") + e.what());
    }
    commitAtomically(temporary, file);
}

void saveModuleAtomically(const torch::nn::Module& module, const std::filesystem::path& file) {
    torch::serialize::OutputArchive archive;
    module.save(archive);
    saveArchiveAtomically(archive, file);
}

bool oneDnnAvailable() { return at::hasMKLDNN() && torch::globalContext().userEnabledMkldnn(); }

MemoryLayout applyMemoryLayout(torch::nn::Module& net, MemoryLayout layout, const torch::Device& device) {
    bool hasConvolutions = false;
    for (const auto& p : net.parameters()) hasConvolutions = hasConvolutions || p.dim() == 4;
    if (!hasConvolutions) return MemoryLayout::Contiguous;
    // Auto is contiguous: measured with `scripts/reference/bench_train_torch.py --layout contiguous,channels-last`
    // on one thread, channels-last weights were no faster for compact_cnn (0.97x) and short_chunk_resnet (0.96x) and
    // slower for the tutorial's CNNs (0.76x): reordering activations around the dense layers costs what oneDNN saves.
    if (layout == MemoryLayout::Auto) layout = MemoryLayout::Contiguous;
    const auto format =
        layout == MemoryLayout::ChannelsLast ? torch::MemoryFormat::ChannelsLast : torch::MemoryFormat::Contiguous;
    torch::NoGradGuard noGrad;
    for (auto& p : net.parameters())
        if (p.dim() == 4) p.set_data(p.data().contiguous(format));
    return layout;
}

namespace {

std::string shapeText(c10::IntArrayRef sizes, torch::Dtype dtype) {
    std::ostringstream out;
    out << sizes << " " << dtype;
    return out.str();
}

}  // namespace

void loadModuleChecked(torch::nn::Module& module, torch::serialize::InputArchive& archive,
                       const std::filesystem::path& file) {
    // What the module was built with: libtorch's load replaces tensors, so the shapes are taken first.
    struct Built {
        std::vector<std::int64_t> sizes;
        torch::Dtype dtype;
    };
    std::vector<Built> built;
    for (const auto& item : module.named_parameters()) built.push_back({item.value().sizes().vec(), item.value().scalar_type()});
    for (const auto& item : module.named_buffers()) built.push_back({item.value().sizes().vec(), item.value().scalar_type()});
    try {
        module.load(archive);
    } catch (const c10::Error& e) {
        throw fileError(file, std::string("does not hold this model's weights: ") + e.what_without_backtrace());
    }
    std::size_t i = 0;
    auto check = [&](const std::string& name, const torch::Tensor& t) {
        const Built& want = built[i++];
        if (t.sizes() != c10::IntArrayRef(want.sizes) || t.scalar_type() != want.dtype)
            throw fileError(file, "holds '" + name + "' as " + shapeText(t.sizes(), t.scalar_type()) +
                                      " where the model needs " + shapeText(want.sizes, want.dtype) +
                                      ": weights of another network");
        if (t.is_floating_point() && t.numel() > 0 && !torch::isfinite(t).all().item<bool>())
            throw fileError(file, "holds non-finite values (NaN or infinity) in '" + name + "'");
    };
    for (const auto& item : module.named_parameters()) check(item.key(), item.value());
    for (const auto& item : module.named_buffers()) check(item.key(), item.value());
}

}  // namespace sonolab::ml
