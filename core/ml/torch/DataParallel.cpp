#include "core/ml/torch/DataParallel.h"

#include "core/util/Error.h"

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef USE_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <chrono>
#include <cstdlib>

namespace sonolab::ml {
namespace {

// PyTorch DDP's default bucket size: large enough that per-message latency does not matter, small enough that the
// flattening copies stay in cache-sized pieces and several buckets are on the wire at once.
constexpr std::int64_t kBucketBytes = 25ll << 20;

std::chrono::milliseconds timeoutOf(const DistributedConfig& c) {
    return std::chrono::milliseconds(std::int64_t(std::max(1.0, c.timeoutSeconds) * 1000.0));
}

bool isLoopback(const std::string& address) {
    return address == "localhost" || address.rfind("127.", 0) == 0 || address == "::1";
}

// Which network device Gloo talks through: GLOO_SOCKET_IFNAME as PyTorch honours it; loopback when the master is
// on this machine (the machine's hostname need not resolve, e.g. in containers); else the hostname's address.
std::shared_ptr<::gloo::transport::Device> glooDevice(const DistributedConfig& c) {
    if (const char* name = std::getenv("GLOO_SOCKET_IFNAME"); name && *name)
        return c10d::ProcessGroupGloo::createDeviceForInterface(name);
    if (isLoopback(c.masterAddr)) return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
    return c10d::ProcessGroupGloo::createDefaultDevice();
}

c10::intrusive_ptr<c10d::Store> rendezvous(const DistributedConfig& c) {
    c10d::TCPStoreOptions options;
    options.port = std::uint16_t(c.masterPort);
    options.isServer = !c.agentStore && c.rank == 0;
    options.numWorkers = c.agentStore ? c10::nullopt : c10::optional<std::size_t>(std::size_t(c.worldSize));
    options.waitWorkers = !c.agentStore;  // torchrun's agent has already gathered its workers
    options.timeout = timeoutOf(c);
    c10::intrusive_ptr<c10d::Store> store = c10::make_intrusive<c10d::TCPStore>(c.masterAddr, options);
    if (c.agentStore) store = c10::make_intrusive<c10d::PrefixStore>(c.storePrefix, store);
    // Our own key space, so that nothing else using the same store (torchrun's agent) collides with our keys.
    return c10::make_intrusive<c10d::PrefixStore>("sonolab/", store);
}

// Runs `collective` over `tensors` in buckets of one dtype and at most kBucketBytes: each bucket is flattened into
// one buffer, all buckets are sent before any is waited for, and the results are copied back into the tensors.
template <typename Collective>
void bucketed(const std::vector<torch::Tensor>& tensors, Collective collective) {
    std::vector<std::vector<torch::Tensor>> buckets;
    std::int64_t bytes = 0;
    for (const auto& t : tensors) {
        const std::int64_t size = t.numel() * std::int64_t(t.element_size());
        if (buckets.empty() || buckets.back().front().scalar_type() != t.scalar_type() || bytes + size > kBucketBytes) {
            buckets.emplace_back();
            bytes = 0;
        }
        buckets.back().push_back(t);
        bytes += size;
    }
    std::vector<torch::Tensor> flats;
    std::vector<c10::intrusive_ptr<c10d::Work>> works;
    for (const auto& bucket : buckets) {
        std::vector<torch::Tensor> pieces;
        for (const auto& t : bucket) pieces.push_back(t.reshape(-1));  // reshape: channels-last tensors too
        flats.push_back(torch::cat(pieces));
        works.push_back(collective(flats.back()));
    }
    for (std::size_t b = 0; b < buckets.size(); ++b) {
        works[b]->wait();
        std::int64_t offset = 0;
        for (const auto& t : buckets[b]) {
            t.copy_(flats[b].narrow(0, offset, t.numel()).view(t.sizes()));
            offset += t.numel();
        }
    }
}

}  // namespace

DataParallel::DataParallel(const DistributedConfig& config, const torch::Device& device)
    : config_(config), device_(device) {
    run("meeting the other ranks at " + config.masterAddr + ":" + std::to_string(config.masterPort), [&] {
        store_ = rendezvous(config_);
#ifdef USE_C10D_NCCL
        if (device_.is_cuda()) {
            auto options = c10d::ProcessGroupNCCL::Options::create();
            options->timeout = timeoutOf(config_);
            group_ = c10::make_intrusive<c10d::ProcessGroupNCCL>(store_, config_.rank, config_.worldSize, options);
            return;
        }
#endif
        auto options = c10d::ProcessGroupGloo::Options::create(timeoutOf(config_));
        options->devices.push_back(glooDevice(config_));
        group_ = c10::make_intrusive<c10d::ProcessGroupGloo>(store_, config_.rank, config_.worldSize, options);
    });
}

DataParallel::~DataParallel() = default;

std::string DataParallel::backendName() const { return group_ ? group_->getBackendName() : std::string("none"); }

void DataParallel::run(const std::string& what, const std::function<void()>& collective) {
    const std::string subject = "distributed training, " + rankLabel(config_);
    const std::string hint = "; another rank probably stopped or died, or none answered within " +
                             std::to_string(int(config_.timeoutSeconds)) + " s (--dist-timeout)";
    try {
        collective();
    } catch (const c10::Error& e) {
        throw Error(subject, what + " failed: " + e.what_without_backtrace() + hint);
    } catch (const std::exception& e) {
        throw Error(subject, what + " failed: " + e.what() + hint);
    }
}

void DataParallel::broadcastState(torch::nn::Module& net) {
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> state;
    for (const auto& p : net.parameters()) state.push_back(p.detach());
    for (const auto& b : net.buffers()) state.push_back(b.detach());
    run("broadcasting the initial model", [&] {
        bucketed(state, [&](torch::Tensor& flat) {
            std::vector<torch::Tensor> one{flat};
            return group_->broadcast(one);
        });
    });
}

void DataParallel::averageGradients(const std::vector<torch::Tensor>& parameters) {
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> grads;
    // Every rank runs the same network on the same code path, so the same gradients are defined everywhere.
    for (const auto& p : parameters)
        if (p.grad().defined()) grads.push_back(p.grad());
    const double scale = 1.0 / double(config_.worldSize);
    run("averaging gradients", [&] {
        bucketed(grads, [&](torch::Tensor& flat) {
            std::vector<torch::Tensor> one{flat};
            auto work = group_->allreduce(one);
            return work;
        });
    });
    for (auto& g : grads) g.mul_(scale);
}

void DataParallel::synchronizeBuffers(torch::nn::Module& net, bool average) {
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> floating, counters;
    for (const auto& b : net.buffers())
        (b.is_floating_point() ? floating : counters).push_back(b.detach());
    if (floating.empty() && counters.empty()) return;
    run("synchronising batch-norm statistics", [&] {
        auto broadcast = [&](torch::Tensor& flat) {
            std::vector<torch::Tensor> one{flat};
            return group_->broadcast(one);
        };
        // Counters (num_batches_tracked) are the same on every rank: rank 0's are everyone's.
        bucketed(counters, broadcast);
        if (!average) return bucketed(floating, broadcast);
        bucketed(floating, [&](torch::Tensor& flat) {
            std::vector<torch::Tensor> one{flat};
            return group_->allreduce(one);
        });
    });
    if (average)
        for (auto& b : floating) b.div_(double(config_.worldSize));
}

std::vector<double> DataParallel::sum(const std::vector<double>& values) {
    auto t = torch::tensor(values, torch::kFloat64).to(device_);
    run("agreeing on the step's loss", [&] {
        std::vector<torch::Tensor> one{t};
        group_->allreduce(one)->wait();
    });
    t = t.to(torch::kCPU).contiguous();
    return {t.data_ptr<double>(), t.data_ptr<double>() + t.numel()};
}

std::vector<std::size_t> DataParallel::evaluationShard(std::size_t total) const {
    std::vector<std::size_t> shard;
    for (std::size_t i = std::size_t(config_.rank); i < total; i += std::size_t(config_.worldSize)) shard.push_back(i);
    return shard;
}

torch::Tensor DataParallel::gatherShards(const torch::Tensor& rows, std::size_t total) {
    const std::int64_t world = config_.worldSize;
    const std::int64_t perRank = (std::int64_t(total) + world - 1) / world;
    // Allgather needs one shape on every rank: shards one row short are padded, and the padding dropped below.
    auto padded = torch::zeros({perRank, rows.size(1)}, rows.options().device(device_));
    padded.narrow(0, 0, rows.size(0)).copy_(rows);
    std::vector<std::vector<torch::Tensor>> outputs(1);
    for (std::int64_t r = 0; r < world; ++r) outputs[0].push_back(torch::empty_like(padded));
    run("gathering validation outputs", [&] {
        std::vector<torch::Tensor> inputs{padded};
        group_->allgather(outputs, inputs)->wait();
    });
    // [rank, j] holds example j * world + rank: rank-minor order is the set's order.
    auto all = torch::stack(outputs[0]).transpose(0, 1).reshape({perRank * world, rows.size(1)});
    return all.narrow(0, 0, std::int64_t(total)).to(torch::kCPU);
}

}  // namespace sonolab::ml
