#pragma once
// Data-parallel training: where this process stands in a job of several (its rank) and how the ranks meet. A launcher
// starts one `sonolab-cli train` per rank and tells each through the environment: torchrun sets RANK, WORLD_SIZE,
// LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT; Slurm's srun sets SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID.
// The model runtime (core/ml/torch/DataParallel.h) turns this into a c10d process group; this header stays
// torch-free so programs can read and check it without loading libtorch. See docs/distributed.md.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace sonolab::ml {

struct DistributedConfig {
    int rank = 0;
    int worldSize = 1;          // 1 = a single process: training is exactly the undistributed path
    int localRank = 0;          // rank on this machine: picks cuda:localRank
    int localWorldSize = 1;     // ranks on this machine: they share its cores
    std::string masterAddr = "127.0.0.1";
    int masterPort = 29500;     // torchrun's and PyTorch's default
    // How long a collective (or the rendezvous) waits for the other ranks before this rank gives up with an error:
    // a rank that died or hangs then stops the others instead of leaving them waiting for ever.
    double timeoutSeconds = 60;
    // Batch statistics stay per rank (as in PyTorch's DDP). Without syncBatchNorm the running statistics are rank
    // 0's (broadcast each epoch, like DDP's broadcast_buffers); with it they are averaged over the ranks each epoch.
    bool syncBatchNorm = false;
    // torchrun's static rendezvous already serves the store at MASTER_PORT (TORCHELASTIC_USE_AGENT_STORE=True):
    // every rank then connects to it as a client, under the key prefix of the launcher's attempt.
    bool agentStore = false;
    std::string storePrefix;

    bool enabled() const { return worldSize > 1; }
    // Only rank 0 writes the run folder (checkpoints, curves, the saved model) and reports the outcome.
    bool writes() const { return rank == 0; }
};

// Reads the launcher's variables (torchrun's first, then Slurm's) through `lookup` (getenv by default). Without any
// of them: a single process. Throws sonolab::Error naming the variable when one is malformed or inconsistent.
using EnvironmentLookup = std::function<const char*(const char*)>;
DistributedConfig distributedFromEnvironment(const EnvironmentLookup& lookup = {});

// The examples rank `rank` trains on in an epoch, as PyTorch's DistributedSampler gives them: `order` (the epoch's
// shuffle, the same on every rank) padded by repeating its start to a multiple of worldSize, then every worldSize-th
// element from position `rank`. So every rank has the same number of batches, and batch b of all ranks together is
// batch b of one process with worldSize times the batch size.
std::vector<std::size_t> distributedShard(const std::vector<std::size_t>& order, int rank, int worldSize);

// A TCP port on 127.0.0.1 that was free a moment ago (the system's choice), for a job of ranks on this machine
// (`bench train --procs`, tests). Throws sonolab::Error when no socket can be had.
int freeLoopbackPort();

// "rank 1 of 2" or empty for a single process: how messages name the process that wrote them.
std::string rankLabel(const DistributedConfig& config);

}  // namespace sonolab::ml
