// The only file that includes hnswlib: its header defines non-inline functions.
#include "core/similarity/HnswIndex.h"

#include "core/similarity/EmbeddingMatrix.h"
#include "core/similarity/IndexFile.h"
#include "core/util/AtomicFile.h"
#include "core/util/Error.h"
#include "core/util/Progress.h"

#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <mutex>
#include <thread>

namespace sonolab::similarity {

namespace {

constexpr char kMagic[8] = {'S', 'L', 'H', 'N', 'S', 'W', '0', '1'};

std::unique_ptr<hnswlib::SpaceInterface<float>> makeSpace(Metric metric, std::size_t dim) {
    switch (metric) {
        case Metric::Euclidean: return std::make_unique<hnswlib::L2Space>(dim);
        case Metric::Cosine: return std::make_unique<hnswlib::InnerProductSpace>(dim);
        case Metric::Manhattan: break;
    }
    throw Error("hnsw index", "approximate search supports euclidean and cosine distances, not " + metricName(metric));
}

}  // namespace

HnswIndex::HnswIndex(Metric metric, std::size_t dim, HnswParams params, std::size_t capacity)
    : metric_(metric), dim_(dim), params_(params), space_(makeSpace(metric, dim)) {
    if (dim == 0) throw Error("hnsw index", "zero-dimensional vectors");
    graph_ = std::make_unique<hnswlib::HierarchicalNSW<float>>(space_.get(), std::max<std::size_t>(capacity, 16), params.m,
                                                               params.efConstruction, params.seed);
    graph_->setEf(params.efSearch);
}

HnswIndex::HnswIndex(const EmbeddingMatrix& collection, Metric metric, HnswParams params, unsigned threads,
                     const Progress* progress)
    : HnswIndex(metric, collection.dim(), params, collection.rows()) {
    const std::size_t n = collection.rows();
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    threads = unsigned(std::min<std::size_t>(threads, std::max<std::size_t>(n, 1)));
    std::atomic<std::size_t> next{0}, done{0};
    std::atomic<bool> stop{false};
    std::mutex errorMutex;
    std::exception_ptr error;
    // hnswlib's addPoint is safe for distinct labels from several threads: the first item goes in alone so the graph's
    // entry point exists before the others race. Only the calling thread reports progress (callbacks need not be
    // thread-safe).
    auto work = [&](bool reports) {
        try {
            for (std::size_t r; !stop && (r = next.fetch_add(1)) < n;) {
                auto v = prepared(collection.row(r));
                graph_->addPoint(v.data(), static_cast<hnswlib::labeltype>(collection.id(r)));
                const std::size_t d = ++done;
                if (progress && r % 1024 == 0) {
                    if (reports) (*progress)(double(d), double(n), "building the HNSW graph");
                    if (progress->cancelled()) stop = true;
                }
            }
        } catch (...) {
            std::lock_guard lock(errorMutex);
            if (!error) error = std::current_exception();
            stop = true;
        }
    };
    if (n > 0) {
        auto v = prepared(collection.row(0));
        graph_->addPoint(v.data(), static_cast<hnswlib::labeltype>(collection.id(0)));
        next = 1;
        done = 1;
    }
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, false);
    work(true);
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);
    if (progress) progress->throwIfCancelled();
    for (std::size_t r = 0; r < n; ++r) ids_.insert(collection.id(r));
}

HnswIndex::~HnswIndex() = default;

std::vector<float> HnswIndex::prepared(std::span<const float> v) const {
    if (v.size() != dim_)
        throw Error("hnsw index", "vector has " + std::to_string(v.size()) + " dimensions, the index has " +
                                      std::to_string(dim_));
    return storedForm(metric_, v);
}

void HnswIndex::reserve(std::size_t count) {
    if (count > graph_->max_elements_) graph_->resizeIndex(std::max(count, graph_->max_elements_ * 2));
}

void HnswIndex::add(std::int64_t id, std::span<const float> vector) {
    auto v = prepared(vector);
    if (!ids_.count(id)) reserve(ids_.size() + 1);
    graph_->addPoint(v.data(), static_cast<hnswlib::labeltype>(id));
    ids_.insert(id);
}

void HnswIndex::setEfSearch(std::size_t ef) {
    params_.efSearch = ef;
    graph_->setEf(ef);
}

std::vector<Neighbour> HnswIndex::search(std::span<const float> query, std::size_t k, const IdFilter& keep) const {
    auto q = prepared(query);
    k = std::min(k, ids_.size());
    std::vector<Neighbour> out;
    if (k == 0) return out;
    // No filtered search in this hnswlib: ask for more than k and widen until enough pass the filter.
    std::size_t fetch = keep ? std::min(ids_.size(), k * 4) : k;
    for (;;) {
        auto found = graph_->searchKnn(q.data(), fetch);
        std::vector<std::pair<float, hnswlib::labeltype>> sorted;
        sorted.reserve(found.size());
        for (; !found.empty(); found.pop()) sorted.push_back(found.top());
        std::sort(sorted.begin(), sorted.end());
        out.clear();
        for (auto& [d, label] : sorted) {
            const auto id = static_cast<std::int64_t>(label);
            if (keep && !keep(id)) continue;
            const float dist = metric_ == Metric::Euclidean ? std::sqrt(std::max(0.0f, d)) : d;
            out.push_back({id, dist});
            if (out.size() == k) return out;
        }
        if (fetch >= ids_.size()) return out;
        fetch = std::min(ids_.size(), fetch * 4);
    }
}

void HnswIndex::save(const std::filesystem::path& path) const {
    // hnswlib writes to a path of its own; its bytes are wrapped with our header and the whole written atomically.
    const auto scratch = temporaryPathFor(path.string() + ".graph");
    graph_->saveIndex(scratch.string());
    std::ifstream in(scratch, std::ios::binary);
    std::vector<char> graph((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    in.close();
    std::filesystem::remove(scratch);
    const std::uint64_t header[7] = {std::uint64_t(metric_), dim_,          params_.m,         params_.efConstruction,
                                     params_.efSearch,       params_.seed, graph.size()};
    writeIndexFile(path, kMagic, header, {std::as_bytes(std::span(graph))});
}

std::unique_ptr<HnswIndex> HnswIndex::load(const std::filesystem::path& path) {
    IndexFileReader file(path, kMagic, 7, "HNSW index");
    const auto& header = file.header();
    file.require(header[0] <= 1 && header[1] != 0 && header[1] <= (1u << 20));
    const auto graph = file.read<char>(header[6]);
    const auto scratch = temporaryPathFor(path.string() + ".graph");
    {
        std::ofstream out(scratch, std::ios::binary);
        out.write(graph.data(), std::streamsize(graph.size()));
        if (!out) throw fileError(scratch, "cannot write a scratch copy of the index");
    }
    HnswParams params{.m = header[2], .efConstruction = header[3], .efSearch = header[4], .seed = header[5]};
    auto index = std::make_unique<HnswIndex>(Metric(header[0]), header[1], params, 16);
    try {
        index->graph_ = std::make_unique<hnswlib::HierarchicalNSW<float>>(index->space_.get(), scratch.string());
    } catch (const std::exception& e) {
        std::filesystem::remove(scratch);
        throw fileError(path, std::string("cannot read the HNSW graph: ") + e.what());
    }
    std::filesystem::remove(scratch);
    index->graph_->setEf(params.efSearch);
    for (const auto& [label, internal] : index->graph_->label_lookup_) index->ids_.insert(static_cast<std::int64_t>(label));
    return index;
}

}  // namespace sonolab::similarity
