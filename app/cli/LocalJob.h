#pragma once
// A data-parallel job on this machine without torchrun: N copies of this program, each with the environment torchrun
// would give it (RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR=127.0.0.1, MASTER_PORT=a free port).
// `bench train --procs N` runs its ranks this way, so the comparison needs nothing but sonolab-cli.
#include <string>
#include <vector>

namespace sonolab::cli {

struct LocalJobResult {
    std::string rank0Output;   // what rank 0 wrote on stdout (the others' stdout goes to ours)
    std::vector<int> statuses; // exit status per rank (128 + signal when killed)
};

// Runs `/proc/self/exe args...` as `procs` ranks and waits for all of them. Throws sonolab::Error when a rank cannot
// be started.
LocalJobResult runLocalJob(const std::vector<std::string>& args, int procs);

}  // namespace sonolab::cli
