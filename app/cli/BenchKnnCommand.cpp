// `sonolab-cli bench knn`: top-k search speed over a large collection, one query at a time on one thread: exact search
// (one pass of matrix-vector products) and HNSW at several beam widths, with HNSW's recall@k against the exact answer.
// scripts/reference/bench_knn_numpy.py runs this on the same .npy files and prints the ratios to numpy's exact search.
// For sizing a machine it also reports the HNSW build on all cores, the graph's memory (its own count and the
// process's resident-set growth), the saved file's size, and how long the saved index takes to reopen and answer.
#include "Commands.h"

#include "core/similarity/DotKernels.h"
#include "core/similarity/EmbeddingMatrix.h"
#include "core/similarity/ExactIndex.h"
#include "core/similarity/HnswIndex.h"
#include "core/util/Error.h"
#include "core/util/Npy.h"
#include "core/util/Progress.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <fstream>
#include <functional>
#include <iostream>
#include <random>
#include <set>
#include <thread>

#include <time.h>
#include <unistd.h>

namespace sonolab::cli {

namespace {

using Clock = std::chrono::steady_clock;
using namespace sonolab::similarity;

struct KnnBenchOptions {
    std::size_t items = 100000, dim = 256, k = 10, queries = 200;
    std::uint64_t seed = 42;
    std::string distribution = "clustered";
    std::string dataPath, queriesPath, writeData, writeQueries;
    std::size_t m = 16, efConstruction = 100;
    std::vector<std::size_t> efSearch{32, 64, 128, 256};
    unsigned buildThreads = 0;
    std::string indexFile;  // where the graph is saved and reopened from (default: a temporary file, removed)
    bool json = false, skipHnsw = false, progress = false;
};

// Music embeddings are not uniform noise: tracks gather around styles, artists and albums, and a learned embedding
// lies near a low-dimensional manifold. "clustered" (the default) draws 1000 style centres in a 16-d latent space,
// each item near one centre, mapped to 256-d by a fixed random linear map, plus isotropic noise (0.1) in all 256
// dimensions. "gaussian" is i.i.d. N(0,1) in all 256 dimensions: the worst case for graph search (no structure at all:
// every item is about equally far from a query), reported for honesty.
std::vector<float> generate(std::size_t n, std::size_t d, const std::string& distribution, std::mt19937_64& rng) {
    std::normal_distribution<float> g;
    std::vector<float> out(n * d);
    if (distribution == "gaussian") {
        for (float& x : out) x = g(rng);
        return out;
    }
    if (distribution != "clustered") throw Error("bench knn", "unknown distribution '" + distribution + "'");
    const std::size_t latent = 16, centres = 1000;
    std::mt19937_64 fixed(12345);  // the same map and centres for the collection and its queries
    std::vector<float> map(d * latent), c(centres * latent);
    for (float& x : map) x = g(fixed) / std::sqrt(float(latent));
    for (float& x : c) x = 2.0f * g(fixed);
    std::uniform_int_distribution<std::size_t> which(0, centres - 1);
    std::vector<float> z(latent);
    for (std::size_t i = 0; i < n; ++i) {
        const float* centre = c.data() + which(rng) * latent;
        for (std::size_t l = 0; l < latent; ++l) z[l] = centre[l] + g(rng);
        for (std::size_t j = 0; j < d; ++j) {
            float v = 0.1f * g(rng);
            for (std::size_t l = 0; l < latent; ++l) v += map[j * latent + l] * z[l];
            out[i * d + j] = v;
        }
    }
    return out;
}

// CPU time of this thread: on a shared machine (other builds running) wall time includes waiting for a core, CPU
// time does not; both are reported.
double threadCpuMs() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) * 1e-6;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

// Resident set now and at its peak (kB -> bytes), from /proc: what the machine really had to hold.
struct MemoryUse {
    std::size_t rss = 0, peak = 0;
};
MemoryUse memoryUse() {
    std::ifstream status("/proc/self/status");
    MemoryUse m;
    for (std::string line; std::getline(status, line);) {
        if (line.rfind("VmRSS:", 0) == 0) m.rss = std::stoull(line.substr(6)) * 1024;
        if (line.rfind("VmHWM:", 0) == 0) m.peak = std::stoull(line.substr(6)) * 1024;
    }
    return m;
}

double recallAt(const std::vector<Neighbour>& found, const std::vector<Neighbour>& truth) {
    std::set<std::int64_t> want;
    for (const auto& nb : truth) want.insert(nb.id);
    std::size_t hit = 0;
    for (const auto& nb : found) hit += want.count(nb.id);
    return truth.empty() ? 1.0 : double(hit) / double(truth.size());
}

// One timed query per query vector at the index's current beam: median wall and CPU ms and mean recall@k.
nlohmann::json timeQueries(const NeighbourIndex& index, std::size_t nq, std::size_t k,
                           const std::function<std::span<const float>(std::size_t)>& query,
                           const std::vector<std::vector<Neighbour>>& truth) {
    std::vector<double> ms, cpuMs;
    double recallSum = 0;
    for (std::size_t i = 0; i < nq; ++i) {
        const auto t0 = Clock::now();
        const double c0 = threadCpuMs();
        const auto found = index.search(query(i), k);
        cpuMs.push_back(threadCpuMs() - c0);
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        recallSum += recallAt(found, truth[i]);
    }
    return {{"median_ms", median(ms)}, {"median_cpu_ms", median(cpuMs)}, {"recall_at_k", recallSum / double(nq)}};
}

// Progress on stderr every 10% (a million-item build takes minutes on two cores).
Progress buildProgress(bool enabled) {
    Progress p;
    if (!enabled) return p;
    auto last = std::make_shared<int>(-1);
    p.report = [last](double done, double total, const std::string& what) {
        const int tenth = total > 0 ? int(10 * done / total) : 0;
        if (tenth == *last) return;
        *last = tenth;
        std::cerr << what << ": " << tenth * 10 << "%" << std::endl;
    };
    return p;
}

// Saves the graph, reopens it and checks the reopened one answers as the built one did.
nlohmann::json saveAndReopen(const HnswIndex& built, const KnnBenchOptions& o, std::size_t nq,
                             const std::function<std::span<const float>(std::size_t)>& query,
                             const std::vector<std::vector<Neighbour>>& truth) {
    const std::filesystem::path file =
        o.indexFile.empty() ? std::filesystem::temp_directory_path() / ("sonolab-bench-knn-" + std::to_string(::getpid()) + ".idx")
                            : std::filesystem::path(o.indexFile);
    const auto s0 = Clock::now();
    built.save(file);
    const double saveS = std::chrono::duration<double>(Clock::now() - s0).count();
    const auto bytes = std::filesystem::file_size(file);
    const auto l0 = Clock::now();
    auto reopened = HnswIndex::load(file);
    const double loadS = std::chrono::duration<double>(Clock::now() - l0).count();
    std::size_t same = 0, total = 0;
    for (std::size_t i = 0; i < nq; ++i) {
        const auto a = built.search(query(i), o.k), b = reopened->search(query(i), o.k);
        for (std::size_t j = 0; j < std::min(a.size(), b.size()); ++j) same += a[j].id == b[j].id;
        total += a.size();
    }
    nlohmann::json r{{"file_bytes", bytes},
                     {"save_seconds", saveS},
                     {"reopen_seconds", loadS},
                     {"same_answers", total ? double(same) / double(total) : 1.0},
                     {"reopened", timeQueries(*reopened, nq, o.k, query, truth)}};
    if (o.indexFile.empty()) std::filesystem::remove(file);
    return r;
}

void runKnnBench(const KnnBenchOptions& o) {
    std::mt19937_64 rng(o.seed);
    std::vector<float> data, queryData;
    std::size_t n = o.items, d = o.dim;
    if (!o.dataPath.empty()) {
        NpyArray a = readNpy(o.dataPath);
        if (a.shape.size() != 2) throw fileError(o.dataPath, "expected an (items, dim) array");
        n = a.shape[0];
        d = a.shape[1];
        data = std::move(a.data);
    } else {
        data = generate(n, d, o.distribution, rng);
    }
    std::size_t nq = o.queries;
    if (!o.queriesPath.empty()) {
        NpyArray a = readNpy(o.queriesPath);
        if (a.shape.size() != 2 || a.shape[1] != d) throw fileError(o.queriesPath, "expected a (queries, dim) array");
        nq = a.shape[0];
        queryData = std::move(a.data);
    } else {
        queryData = generate(nq, d, o.distribution, rng);
    }
    if (!o.writeData.empty()) {
        const std::size_t shape[2] = {n, d};
        writeNpy(o.writeData, data, shape);
    }
    if (!o.writeQueries.empty()) {
        const std::size_t shape[2] = {nq, d};
        writeNpy(o.writeQueries, queryData, shape);
    }
    std::vector<std::int64_t> ids(n);
    for (std::size_t i = 0; i < n; ++i) ids[i] = std::int64_t(i);
    EmbeddingMatrix collection(d, std::move(data), std::move(ids));
    auto query = [&](std::size_t i) { return std::span<const float>(queryData.data() + i * d, d); };

    ExactIndex exact(collection, Metric::Euclidean);
    // One untimed pass brings the collection into the same (cold-ish, > cache) state for every timed query.
    exact.search(query(0), o.k);
    std::vector<std::vector<Neighbour>> truth(nq);
    std::vector<double> exactMs, exactCpuMs;
    for (std::size_t i = 0; i < nq; ++i) {
        const auto t0 = Clock::now();
        const double c0 = threadCpuMs();
        truth[i] = exact.search(query(i), o.k);
        exactCpuMs.push_back(threadCpuMs() - c0);
        exactMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }

    nlohmann::json hnswRuns = nlohmann::json::array();
    nlohmann::json hnswMemory, persistence;
    double buildS = 0;
    if (!o.skipHnsw) {
        const MemoryUse before = memoryUse();
        const Progress progress = buildProgress(o.progress);
        const auto b0 = Clock::now();
        HnswIndex hnsw(collection, Metric::Euclidean, {.m = o.m, .efConstruction = o.efConstruction, .efSearch = 64},
                       o.buildThreads, &progress);
        buildS = std::chrono::duration<double>(Clock::now() - b0).count();
        const MemoryUse after = memoryUse();
        hnswMemory = {{"graph_bytes", hnsw.memoryBytes()},
                      {"bytes_per_item", double(hnsw.memoryBytes()) / double(n)},
                      {"rss_growth_bytes", after.rss > before.rss ? after.rss - before.rss : 0},
                      {"vectors_bytes", n * d * sizeof(float)}};
        for (std::size_t ef : o.efSearch) {
            hnsw.setEfSearch(ef);
            auto run = timeQueries(hnsw, nq, o.k, query, truth);
            run["ef_search"] = ef;
            hnswRuns.push_back(run);
        }
        persistence = saveAndReopen(hnsw, o, nq, query, truth);
    }

    nlohmann::json report{{"items", n},
                          {"dim", d},
                          {"k", o.k},
                          {"queries", nq},
                          {"distribution", o.dataPath.empty() ? o.distribution : "file"},
                          {"threads_per_query", 1},
                          {"avx2", kernels::usingAvx2()},
                          {"exact", {{"median_ms", median(exactMs)}, {"median_cpu_ms", median(exactCpuMs)}}},
                          {"hnsw_build", {{"seconds", buildS}, {"m", o.m}, {"ef_construction", o.efConstruction},
                                          {"threads", o.buildThreads ? o.buildThreads : std::thread::hardware_concurrency()}}},
                          {"hnsw", hnswRuns},
                          {"hnsw_memory", hnswMemory},
                          {"hnsw_saved", persistence},
                          {"peak_rss_bytes", memoryUse().peak}};
    if (o.json) {
        std::cout << report.dump(2) << "\n";
        return;
    }
    std::cout << "bench knn: top-" << o.k << " of " << n << " x " << d << " (" << report["distribution"].get<std::string>()
              << "), " << nq << " single queries, one thread" << (kernels::usingAvx2() ? ", AVX2" : "") << "\n";
    std::cout << "  exact          median " << median(exactMs) << " ms/query (cpu " << median(exactCpuMs) << " ms)\n";
    std::cout << "  hnsw build     " << buildS << " s (M " << o.m << ", efConstruction " << o.efConstruction << ")\n";
    for (const auto& run : hnswRuns)
        std::cout << "  hnsw ef " << run["ef_search"].get<std::size_t>() << "\tmedian " << run["median_ms"].get<double>()
                  << " ms/query (cpu " << run["median_cpu_ms"].get<double>() << " ms), recall@" << o.k << " "
                  << run["recall_at_k"].get<double>() << "\n";
    if (!hnswMemory.is_null()) {
        const double mib = 1024.0 * 1024.0;
        std::cout << "  hnsw memory    " << hnswMemory["graph_bytes"].get<double>() / mib << " MiB in the graph ("
                  << hnswMemory["bytes_per_item"].get<double>() << " B/item), resident set grew "
                  << hnswMemory["rss_growth_bytes"].get<double>() / mib << " MiB; the vectors alone "
                  << hnswMemory["vectors_bytes"].get<double>() / mib << " MiB\n";
        const auto& p = persistence;
        std::cout << "  hnsw saved     " << p["file_bytes"].get<double>() / mib << " MiB in " << p["save_seconds"].get<double>()
                  << " s; reopened in " << p["reopen_seconds"].get<double>() << " s, same answers "
                  << p["same_answers"].get<double>() << ", median " << p["reopened"]["median_ms"].get<double>()
                  << " ms/query\n";
    }
    std::cout << "  peak resident set " << double(report["peak_rss_bytes"].get<std::size_t>()) / (1024.0 * 1024.0)
              << " MiB\n";
}

}  // namespace

void addBenchKnnCommand(CLI::App& app) {
    auto options = std::make_shared<KnnBenchOptions>();
    CLI::App* cmd = benchGroup(app)->add_subcommand(
        "knn", "Top-k nearest neighbours: exact search vs HNSW (query time, recall@k), one query, one thread");
    cmd->add_option("--items", options->items, "Collection size (random data)");
    cmd->add_option("--dim", options->dim, "Dimensions (random data)");
    cmd->add_option("--k", options->k, "Neighbours per query");
    cmd->add_option("--queries", options->queries, "Number of timed queries (random data)");
    cmd->add_option("--seed", options->seed, "Random seed");
    cmd->add_option("--distribution", options->distribution, "Random data: clustered (default) or gaussian");
    cmd->add_option("--data", options->dataPath, "Read the collection from an (items, dim) float32 .npy");
    cmd->add_option("--queries-npy", options->queriesPath, "Read the queries from a (queries, dim) float32 .npy");
    cmd->add_option("--write-data", options->writeData, "Write the collection used to this .npy");
    cmd->add_option("--write-queries", options->writeQueries, "Write the queries used to this .npy");
    cmd->add_option("--m", options->m, "HNSW graph degree");
    cmd->add_option("--ef-construction", options->efConstruction, "HNSW build beam");
    cmd->add_option("--ef", options->efSearch, "HNSW query beams to try")->delimiter(',');
    cmd->add_option("--build-threads", options->buildThreads, "Threads for the HNSW build (0 = all cores)");
    cmd->add_flag("--skip-hnsw", options->skipHnsw, "Time exact search only");
    cmd->add_option("--index-file", options->indexFile,
                    "Save the HNSW graph here (kept) and time reopening it (default: a temporary file, removed)");
    cmd->add_flag("--progress", options->progress, "Report the HNSW build's progress on stderr");
    cmd->add_flag("--json", options->json, "Print the report as JSON");
    cmd->callback([options] { runKnnBench(*options); });
}

}  // namespace sonolab::cli
