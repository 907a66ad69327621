// The only file that includes hnswlib: its header defines non-inline functions.
#include "core/similarity/HnswIndex.h"

#include "core/similarity/EmbeddingMatrix.h"
#include "core/similarity/IndexFile.h"
#include "core/util/AtomicFile.h"
#include "core/util/Error.h"
#include "core/util/MappedFile.h"
#include "core/util/Progress.h"

// hnswlib 0.7's SSE path prefetches the neighbour after the last one of a link list (searchBaseLayer reads
// *(datal + j + 1); nmslib/hnswlib#107 and #578, fixes unmerged): a 4-byte read past hnswlib's own malloc block that
// AddressSanitizer reports. It is harmless on hardware, so the normal build keeps the vectorised distances; the
// sanitizer build compiles this file with NO_MANUAL_VECTORIZATION (core/CMakeLists.txt), hnswlib without its
// hand-written SSE (its own sanitizer CI leaves the prefetches out for the same reason, nmslib/hnswlib#628), so that
// everything else in it and around it stays checked.
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
}

HnswIndex::~HnswIndex() = default;

std::size_t HnswIndex::size() const { return graph_->cur_element_count; }

bool HnswIndex::contains(std::int64_t id) const {
    ensureLookup();
    return graph_->label_lookup_.count(static_cast<hnswlib::labeltype>(id)) != 0;
}

std::size_t HnswIndex::memoryBytes() const {
    const auto& g = *graph_;
    std::size_t upper = 0;
    for (std::size_t i = 0; i < g.cur_element_count; ++i)
        upper += std::size_t(std::max(0, g.element_levels_[i])) * g.size_links_per_element_;
    // Per slot: level-0 block, upper-link pointer, level, lock (none while mapped); per id: an unordered_map node
    // (~32 B) + bucket. A mapped graph's level-0 block and links are page cache, counted here all the same.
    const std::size_t perSlot = g.size_data_per_element_ + sizeof(void*) + sizeof(int);
    const std::size_t lookup = g.label_lookup_.size() * 32 + g.label_lookup_.bucket_count() * sizeof(void*);
    return g.max_elements_ * perSlot + g.link_list_locks_.size() * sizeof(std::mutex) + upper + lookup;
}

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
    materialise();
    if (!contains(id)) reserve(size() + 1);
    graph_->addPoint(v.data(), static_cast<hnswlib::labeltype>(id));
}

void HnswIndex::setEfSearch(std::size_t ef) {
    params_.efSearch = ef;
    graph_->setEf(ef);
}

std::vector<Neighbour> HnswIndex::search(std::span<const float> query, std::size_t k, const IdFilter& keep) const {
    auto q = prepared(query);
    const std::size_t n = size();
    k = std::min(k, n);
    std::vector<Neighbour> out;
    if (k == 0) return out;
    // No filtered search in this hnswlib: ask for more than k and widen until enough pass the filter.
    std::size_t fetch = keep ? std::min(n, k * 4) : k;
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
        if (fetch >= n) return out;
        fetch = std::min(n, fetch * 4);
    }
}

// The graph is stored in hnswlib's own serialisation (what HierarchicalNSW::saveIndex writes), after Sonolab's
// header, so files written before stay readable. It is written and read here rather than through hnswlib's
// file-name API, which made a scratch copy of the whole graph on disk and in memory on both sides.
namespace {

constexpr std::uint64_t kGraphFieldBytes = 11 * sizeof(std::size_t) + sizeof(int) + sizeof(hnswlib::tableint);

std::uint64_t graphBytes(const hnswlib::HierarchicalNSW<float>& g) {
    std::uint64_t bytes = kGraphFieldBytes + g.cur_element_count * g.size_data_per_element_;
    for (std::size_t i = 0; i < g.cur_element_count; ++i)
        bytes += sizeof(unsigned) + std::size_t(std::max(0, g.element_levels_[i])) * g.size_links_per_element_;
    return bytes;
}

void writeGraph(const hnswlib::HierarchicalNSW<float>& g, IndexFileWriter& out) {
    // hnswlib writes max_elements_; a reopened graph is sized to its items and grows on add().
    for (std::size_t v : {g.offsetLevel0_, g.cur_element_count, g.cur_element_count, g.size_data_per_element_,
                          g.label_offset_, g.offsetData_})
        out.writeValue(v);
    out.writeValue(g.maxlevel_);
    out.writeValue(g.enterpoint_node_);
    for (std::size_t v : {g.maxM_, g.maxM0_, g.M_}) out.writeValue(v);
    out.writeValue(g.mult_);
    out.writeValue(g.ef_construction_);
    out.write(std::as_bytes(std::span(g.data_level0_memory_, g.cur_element_count * g.size_data_per_element_)));
    for (std::size_t i = 0; i < g.cur_element_count; ++i) {
        const unsigned bytes = unsigned(std::size_t(std::max(0, g.element_levels_[i])) * g.size_links_per_element_);
        out.writeValue(bytes);
        if (bytes) out.write(std::as_bytes(std::span(g.linkLists_[i], bytes)));
    }
}

// A graph over a file mapping: its level-0 block and upper links point into the mapping (never written: the
// mapping is read-only and the index copies the graph before the first add()). hnswlib's destructor frees those
// pointers, so this one forgets them first.
class MappedGraph final : public hnswlib::HierarchicalNSW<float> {
public:
    MappedGraph(hnswlib::SpaceInterface<float>* space, std::shared_ptr<const MappedFile> file)
        : HierarchicalNSW(space), file_(std::move(file)) {
        // hnswlib's space-only constructor leaves these unset; its destructor reads them.
        data_level0_memory_ = nullptr;
        linkLists_ = nullptr;
        visited_list_pool_ = nullptr;
        cur_element_count = 0;
        num_deleted_ = 0;
    }
    ~MappedGraph() override {
        data_level0_memory_ = nullptr;
        std::fill(element_levels_.begin(), element_levels_.end(), 0);
    }

private:
    std::shared_ptr<const MappedFile> file_;
};

// Bounds-checked reads over the mapped bytes.
struct Cursor {
    const std::byte* at;
    const std::byte* end;
    const std::filesystem::path& path;

    const std::byte* take(std::uint64_t bytes) {
        if (std::uint64_t(end - at) < bytes) throw fileError(path, "the HNSW index is truncated");
        const auto* p = at;
        at += bytes;
        return p;
    }
    template <typename T>
    T value() {
        T v;
        std::memcpy(&v, take(sizeof v), sizeof v);
        return v;
    }
};

// Points a mapped graph at the serialised graph (hnswlib's layout), checking each size against what a graph of
// this dimension and M must have before using it.
void mapGraph(MappedGraph& g, hnswlib::SpaceInterface<float>& space, std::size_t m, Cursor in) {
    auto require = [&](bool ok) {
        if (!ok) throw fileError(in.path, "corrupt HNSW index header");
    };
    const std::size_t links0 = 2 * m * sizeof(hnswlib::tableint) + sizeof(hnswlib::linklistsizeint);
    const std::size_t perElement = links0 + space.get_data_size() + sizeof(hnswlib::labeltype);
    const auto offsetLevel0 = in.value<std::size_t>(), maxElements = in.value<std::size_t>(),
               count = in.value<std::size_t>(), size = in.value<std::size_t>(), labelOffset = in.value<std::size_t>(),
               offsetData = in.value<std::size_t>();
    const int maxLevel = in.value<int>();
    const auto entry = in.value<hnswlib::tableint>();
    const auto maxM = in.value<std::size_t>(), maxM0 = in.value<std::size_t>(), mm = in.value<std::size_t>();
    const double mult = in.value<double>();
    const auto efConstruction = in.value<std::size_t>();
    require(offsetLevel0 == 0 && maxElements >= count && size == perElement && offsetData == links0 &&
            labelOffset == links0 + space.get_data_size() && maxM == m && maxM0 == 2 * m && mm == m &&
            maxLevel >= (count ? 0 : -1) && maxLevel < 64 && (count == 0 || entry < count) && std::isfinite(mult) &&
            mult > 0);
    require(count <= std::uint64_t(in.end - in.at) / perElement);
    g.data_size_ = space.get_data_size();
    g.fstdistfunc_ = space.get_dist_func();
    g.dist_func_param_ = space.get_dist_func_param();
    g.M_ = g.maxM_ = m;
    g.maxM0_ = 2 * m;
    g.ef_construction_ = efConstruction;
    g.mult_ = mult;
    g.revSize_ = 1.0 / mult;
    g.size_links_level0_ = links0;
    g.size_links_per_element_ = m * sizeof(hnswlib::tableint) + sizeof(hnswlib::linklistsizeint);
    g.size_data_per_element_ = perElement;
    g.offsetLevel0_ = 0;
    g.offsetData_ = links0;
    g.label_offset_ = labelOffset;
    g.max_elements_ = count;
    g.maxlevel_ = maxLevel;
    g.enterpoint_node_ = count ? entry : hnswlib::tableint(-1);
    g.data_level0_memory_ = const_cast<char*>(reinterpret_cast<const char*>(in.take(count * perElement)));
    g.element_levels_.assign(count, 0);  // before the count: the destructor walks both
    g.linkLists_ = static_cast<char**>(std::calloc(std::max<std::size_t>(count, 1), sizeof(char*)));
    if (!g.linkLists_) throw fileError(in.path, "not enough memory to open the HNSW index");
    g.visited_list_pool_ = new hnswlib::VisitedListPool(1, int(std::max<std::size_t>(count, 1)));  // hnswlib's own
    g.cur_element_count = count;
    for (std::size_t i = 0; i < count; ++i) {
        const auto bytes = in.value<unsigned>();
        if (bytes == 0) continue;
        require(bytes % g.size_links_per_element_ == 0 && bytes / g.size_links_per_element_ <= std::size_t(maxLevel));
        g.linkLists_[i] = const_cast<char*>(reinterpret_cast<const char*>(in.take(bytes)));
        g.element_levels_[i] = int(bytes / g.size_links_per_element_);
    }
    require(in.at == in.end);
}

}  // namespace

void HnswIndex::save(const std::filesystem::path& path) const {
    const std::uint64_t header[7] = {std::uint64_t(metric_), dim_,          params_.m,           params_.efConstruction,
                                     params_.efSearch,       params_.seed, graphBytes(*graph_)};
    IndexFileWriter out(path, kMagic, header);
    writeGraph(*graph_, out);
    out.commit();
}

std::unique_ptr<HnswIndex> HnswIndex::load(const std::filesystem::path& path) {
    const IndexFileReader file(path, kMagic, 7, "HNSW index");
    const auto& header = file.header();
    file.require(header[0] <= 1 && header[1] != 0 && header[1] <= (1u << 20) && header[2] >= 2 &&
                 header[2] <= 10000 && header[6] == file.remaining());
    HnswParams params{.m = header[2], .efConstruction = header[3], .efSearch = header[4], .seed = header[5]};
    auto index = std::make_unique<HnswIndex>(Metric(header[0]), header[1], params, 16);
    // Pre-faulted: queries start at once instead of faulting the graph in page by page.
    auto mapping = mapFile(path, {.populate = true});
    const auto bytes = mapping->bytes();
    const Cursor graph{bytes.data() + (bytes.size() - header[6]), bytes.data() + bytes.size(), path};
    auto mapped = std::make_unique<MappedGraph>(index->space_.get(), std::move(mapping));
    mapGraph(*mapped, *index->space_, params.m, graph);
    index->graph_ = std::move(mapped);
    index->mapped_ = true;
    index->graph_->setEf(params.efSearch);
    return index;
}

void HnswIndex::ensureLookup() const {
    if (!mapped_) return;  // hnswlib keeps the lookup of a graph it builds
    std::call_once(lookupOnce_, [this] {
        auto& g = *graph_;
        g.label_lookup_.reserve(g.cur_element_count);
        for (std::size_t i = 0; i < g.cur_element_count; ++i)
            g.label_lookup_[g.getExternalLabel(hnswlib::tableint(i))] = hnswlib::tableint(i);
    });
}

void HnswIndex::materialise() {
    if (!mapped_) return;
    ensureLookup();
    const auto& from = *graph_;
    const std::size_t n = from.cur_element_count;
    auto g = std::make_unique<hnswlib::HierarchicalNSW<float>>(space_.get(), std::max<std::size_t>(2 * n, 16), params_.m,
                                                               params_.efConstruction, params_.seed);
    std::memcpy(g->data_level0_memory_, from.data_level0_memory_, n * from.size_data_per_element_);
    for (std::size_t i = 0; i < n; ++i) {
        g->linkLists_[i] = nullptr;
        const std::size_t bytes = std::size_t(from.element_levels_[i]) * from.size_links_per_element_;
        if (bytes == 0) continue;
        g->linkLists_[i] = static_cast<char*>(std::malloc(bytes));
        if (!g->linkLists_[i]) throw Error("hnsw index", "not enough memory to grow the index");
        std::memcpy(g->linkLists_[i], from.linkLists_[i], bytes);
        g->element_levels_[i] = from.element_levels_[i];
        g->cur_element_count = i + 1;  // the destructor frees what is copied so far
    }
    g->cur_element_count = n;
    g->maxlevel_ = from.maxlevel_;
    g->enterpoint_node_ = from.enterpoint_node_;
    g->ef_construction_ = from.ef_construction_;
    g->label_lookup_ = from.label_lookup_;
    g->setEf(params_.efSearch);
    graph_ = std::move(g);
    mapped_ = false;
}

}  // namespace sonolab::similarity
