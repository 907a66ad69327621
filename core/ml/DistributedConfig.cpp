#include "core/ml/DistributedConfig.h"

#include "core/util/Error.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>

namespace sonolab::ml {
namespace {

// An integer variable, or `fallback` when unset. Garbage is an error: a typo in a job script must not silently
// start a single-process run on every node.
int integerVariable(const EnvironmentLookup& lookup, const char* name, int fallback) {
    const char* text = lookup(name);
    if (!text || !*text) return fallback;
    int value = 0;
    const char* end = text + std::char_traits<char>::length(text);
    const auto [ptr, ec] = std::from_chars(text, end, value);
    if (ec != std::errc() || ptr != end) throw Error(std::string("environment variable ") + name, "'" + std::string(text) + "' is not an integer");
    return value;
}

std::string textVariable(const EnvironmentLookup& lookup, const char* name, std::string fallback) {
    const char* text = lookup(name);
    return text && *text ? std::string(text) : fallback;
}

void check(const DistributedConfig& c, const char* rankName, const char* sizeName) {
    const std::string subject = std::string("environment variables ") + rankName + "/" + sizeName;
    if (c.worldSize < 1) throw Error(subject, "the number of ranks must be at least 1");
    if (c.rank < 0 || c.rank >= c.worldSize)
        throw Error(subject, "rank " + std::to_string(c.rank) + " is outside 0.." + std::to_string(c.worldSize - 1));
    if (c.localRank < 0 || c.localWorldSize < 1 || c.localRank >= c.localWorldSize)
        throw Error(subject, "local rank " + std::to_string(c.localRank) + " of " + std::to_string(c.localWorldSize) +
                                 " ranks on this machine is impossible");
    if (c.masterPort < 1 || c.masterPort > 65535)
        throw Error("environment variable MASTER_PORT", std::to_string(c.masterPort) + " is not a TCP port");
}

}  // namespace

DistributedConfig distributedFromEnvironment(const EnvironmentLookup& given) {
    const EnvironmentLookup lookup = given ? given : EnvironmentLookup([](const char* n) { return std::getenv(n); });
    DistributedConfig c;
    const bool torchrun = lookup("WORLD_SIZE") != nullptr;
    const char* rankName = torchrun ? "RANK" : "SLURM_PROCID";
    const char* sizeName = torchrun ? "WORLD_SIZE" : "SLURM_NTASKS";
    c.worldSize = integerVariable(lookup, sizeName, 1);
    c.rank = integerVariable(lookup, rankName, 0);
    if (torchrun) {
        c.localRank = integerVariable(lookup, "LOCAL_RANK", 0);
        c.localWorldSize = integerVariable(lookup, "LOCAL_WORLD_SIZE", std::max(c.localRank + 1, 1));
    } else {
        c.localRank = integerVariable(lookup, "SLURM_LOCALID", 0);
        // SLURM_NTASKS_PER_NODE is set only with --ntasks-per-node; without it assume the tasks share nothing.
        c.localWorldSize = integerVariable(lookup, "SLURM_NTASKS_PER_NODE", c.localRank + 1);
    }
    c.masterAddr = textVariable(lookup, "MASTER_ADDR", c.masterAddr);
    c.masterPort = integerVariable(lookup, "MASTER_PORT", c.masterPort);
    c.agentStore = torchrun && textVariable(lookup, "TORCHELASTIC_USE_AGENT_STORE", "") == "True";
    if (c.agentStore) c.storePrefix = "/worker/attempt_" + textVariable(lookup, "TORCHELASTIC_RESTART_COUNT", "0");
    check(c, rankName, sizeName);
    return c;
}

std::vector<std::size_t> distributedShard(const std::vector<std::size_t>& order, int rank, int worldSize) {
    if (worldSize <= 1 || order.empty()) return order;
    const std::size_t world = std::size_t(worldSize);
    const std::size_t perRank = (order.size() + world - 1) / world;
    std::vector<std::size_t> shard;
    shard.reserve(perRank);
    for (std::size_t k = 0; k < perRank; ++k) shard.push_back(order[(k * world + std::size_t(rank)) % order.size()]);
    return shard;
}

int freeLoopbackPort() {
    struct Socket {
        int fd;
        ~Socket() {
            if (fd >= 0) ::close(fd);
        }
    } s{::socket(AF_INET, SOCK_STREAM, 0)};
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;  // the system picks
    socklen_t length = sizeof address;
    if (s.fd < 0 || ::bind(s.fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(s.fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        throw Error("127.0.0.1", std::string("cannot find a free TCP port: ") + std::strerror(errno));
    return ntohs(address.sin_port);
}

std::string rankLabel(const DistributedConfig& config) {
    if (!config.enabled()) return {};
    return "rank " + std::to_string(config.rank) + " of " + std::to_string(config.worldSize);
}

}  // namespace sonolab::ml
