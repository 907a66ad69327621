// `sonolab-cli bench knn`: top-k search speed over a large collection, one query at a time on one thread: exact search
// (one pass of matrix-vector products) and HNSW at several beam widths, with HNSW's recall@k against the exact answer.
// scripts/reference/bench_knn_numpy.py runs this on the same .npy files and prints the ratios to numpy's exact search.
#include "Commands.h"

#include "core/similarity/DotKernels.h"
#include "core/similarity/EmbeddingMatrix.h"
#include "core/similarity/ExactIndex.h"
#include "core/similarity/HnswIndex.h"
#include "core/util/Error.h"
#include "core/util/Npy.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <iostream>
#include <random>
#include <set>
#include <thread>

#include <time.h>

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
    bool json = false, skipHnsw = false;
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
    double buildS = 0;
    if (!o.skipHnsw) {
        const auto b0 = Clock::now();
        HnswIndex hnsw(collection, Metric::Euclidean, {.m = o.m, .efConstruction = o.efConstruction, .efSearch = 64},
                       o.buildThreads);
        buildS = std::chrono::duration<double>(Clock::now() - b0).count();
        for (std::size_t ef : o.efSearch) {
            hnsw.setEfSearch(ef);
            std::vector<double> ms, cpuMs;
            double recallSum = 0;
            for (std::size_t i = 0; i < nq; ++i) {
                const auto t0 = Clock::now();
                const double c0 = threadCpuMs();
                auto found = hnsw.search(query(i), o.k);
                cpuMs.push_back(threadCpuMs() - c0);
                ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
                std::set<std::int64_t> want;
                for (auto& nb : truth[i]) want.insert(nb.id);
                std::size_t hit = 0;
                for (auto& nb : found) hit += want.count(nb.id);
                recallSum += double(hit) / double(truth[i].size());
            }
            hnswRuns.push_back({{"ef_search", ef},
                                {"median_ms", median(ms)},
                                {"median_cpu_ms", median(cpuMs)},
                                {"recall_at_k", recallSum / double(nq)}});
        }
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
                          {"hnsw", hnswRuns}};
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
    cmd->add_flag("--json", options->json, "Print the report as JSON");
    cmd->callback([options] { runKnnBench(*options); });
}

}  // namespace sonolab::cli
