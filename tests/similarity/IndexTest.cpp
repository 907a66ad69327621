#include "core/similarity/EmbeddingMatrix.h"
#include "core/similarity/ExactIndex.h"
#include "core/similarity/HnswIndex.h"
#include "core/util/Error.h"
#include "core/util/Npy.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

using namespace sonolab::similarity;

namespace {

// Points around a few centres, so neighbour lists are well defined (not the near-ties of pure noise).
EmbeddingMatrix clusteredCollection(std::size_t n, std::size_t d, unsigned seed, std::int64_t firstId = 1000) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> g;
    std::vector<std::vector<float>> centres(20, std::vector<float>(d));
    for (auto& c : centres)
        for (float& x : c) x = 3 * g(rng);
    EmbeddingMatrix m(d);
    std::vector<float> v(d);
    for (std::size_t i = 0; i < n; ++i) {
        const auto& c = centres[i % centres.size()];
        for (std::size_t j = 0; j < d; ++j) v[j] = c[j] + g(rng);
        m.append(firstId + std::int64_t(i), v);
    }
    return m;
}

std::vector<Neighbour> bruteForce(const EmbeddingMatrix& m, std::span<const float> q, std::size_t k, Metric metric,
                                  const IdFilter& keep = {}) {
    std::vector<Neighbour> all;
    for (std::size_t r = 0; r < m.rows(); ++r)
        if (!keep || keep(m.id(r))) all.push_back({m.id(r), distance(metric, m.row(r), q)});
    std::sort(all.begin(), all.end(), [](auto& a, auto& b) { return a.distance < b.distance; });
    all.resize(std::min(k, all.size()));
    return all;
}

double recall(const std::vector<Neighbour>& found, const std::vector<Neighbour>& truth) {
    std::set<std::int64_t> t;
    for (auto& n : truth) t.insert(n.id);
    std::size_t hit = 0;
    for (auto& n : found) hit += t.count(n.id);
    return truth.empty() ? 1.0 : double(hit) / double(truth.size());
}

}  // namespace

class ExactIndexMetric : public ::testing::TestWithParam<Metric> {};

TEST_P(ExactIndexMetric, TopKEqualsBruteForce) {
    const Metric metric = GetParam();
    // 37 dimensions: not a multiple of the SIMD width, so the tail loops run too.
    auto m = clusteredCollection(3001, 37, 5);
    ExactIndex index(m, metric);
    std::mt19937 rng(9);
    std::normal_distribution<float> g;
    for (int t = 0; t < 25; ++t) {
        std::vector<float> q(37);
        for (float& x : q) x = 3 * g(rng);
        auto got = index.search(q, 10);
        auto want = bruteForce(m, q, 10, metric);
        ASSERT_EQ(got.size(), 10u);
        for (std::size_t i = 0; i < 10; ++i) {
            EXPECT_EQ(got[i].id, want[i].id) << "query " << t << " rank " << i;
            EXPECT_NEAR(got[i].distance, want[i].distance, 1e-4f * std::max(1.0f, want[i].distance));
        }
    }
    // Full distance vector agrees with the pairwise definition.
    std::vector<float> q(m.row(17).begin(), m.row(17).end());
    auto all = index.distancesTo(q);
    for (std::size_t r = 0; r < m.rows(); r += 97)
        EXPECT_NEAR(all[r], distance(metric, m.row(r), q), 2e-3f * std::max(1.0f, all[r]));
}

INSTANTIATE_TEST_SUITE_P(AllMetrics, ExactIndexMetric,
                         ::testing::Values(Metric::Euclidean, Metric::Cosine, Metric::Manhattan));

TEST(ExactIndex, FilterAddReplaceAndSmallK) {
    auto m = clusteredCollection(500, 16, 2);
    ExactIndex index(m, Metric::Euclidean);
    std::vector<float> q(m.row(3).begin(), m.row(3).end());
    auto self = index.search(q, 1);
    ASSERT_EQ(self.size(), 1u);
    EXPECT_EQ(self[0].id, m.id(3));
    EXPECT_NEAR(self[0].distance, 0.0f, 1e-5);

    IdFilter odd = [](std::int64_t id) { return id % 2 == 1; };
    auto got = index.search(q, 7, odd);
    auto want = bruteForce(m, q, 7, Metric::Euclidean, odd);
    ASSERT_EQ(got.size(), 7u);
    for (std::size_t i = 0; i < 7; ++i) EXPECT_EQ(got[i].id, want[i].id);

    // A new item right at the query becomes the nearest; replacing it moves it away again.
    index.add(99999, q);
    EXPECT_EQ(index.size(), 501u);
    auto two = index.search(q, 2);
    std::set<std::int64_t> ids{two[0].id, two[1].id};
    EXPECT_TRUE(ids.count(99999));
    std::vector<float> far(16, 1000.0f);
    index.add(99999, far);
    EXPECT_EQ(index.size(), 501u);
    EXPECT_EQ(index.search(far, 1)[0].id, 99999);
    EXPECT_NE(index.search(q, 2)[1].id, 99999);

    EXPECT_EQ(index.search(q, 10000).size(), 501u);
    EXPECT_THROW(index.search(std::vector<float>(3), 1), sonolab::Error);
}

TEST(ExactIndex, SavesLoadsAndGrowsIncrementally) {
    auto m = clusteredCollection(800, 24, 4);
    EmbeddingMatrix firstPart(24);
    for (std::size_t r = 0; r < 600; ++r) firstPart.append(m.id(r), m.row(r));
    auto index = buildIndex(firstPart, {.metric = Metric::Cosine});
    EXPECT_EQ(index->kind(), "exact");
    const auto dir = sonolab::test::freshDir("similarity_exact_index");
    index->save(dir / "exact.idx");
    auto loaded = loadIndex(dir / "exact.idx");
    EXPECT_EQ(loaded->kind(), "exact");
    EXPECT_EQ(loaded->metric(), Metric::Cosine);
    EXPECT_EQ(loaded->size(), 600u);
    EXPECT_EQ(loaded->addMissing(m), 200u);
    EXPECT_EQ(loaded->addMissing(m), 0u);
    ExactIndex full(m, Metric::Cosine);
    for (std::size_t r = 0; r < m.rows(); r += 41) {
        auto a = loaded->search(m.row(r), 10), b = full.search(m.row(r), 10);
        for (std::size_t i = 0; i < 10; ++i) EXPECT_EQ(a[i].id, b[i].id);
    }
    {
        std::ofstream junk(dir / "junk.idx");
        junk << "not an index";
    }
    EXPECT_THROW(loadIndex(dir / "junk.idx"), sonolab::Error);
    EXPECT_THROW(loadIndex(dir / "missing.idx"), sonolab::Error);
}

// A saved index whose header claims more rows (or graph bytes) than the file holds, or a file cut short, is refused
// with the file named, before anything of the claimed size is allocated.
TEST(IndexFiles, DamagedOrLyingHeadersAreRefusedNamingTheFile) {
    auto m = clusteredCollection(50, 8, 2);
    const auto dir = sonolab::test::freshDir("similarity_index_damage");
    ExactIndex(m, Metric::Euclidean).save(dir / "exact.idx");
    buildIndex(m, {.hnswThreshold = 1})->save(dir / "hnsw.idx");
    for (const std::string name : {"exact.idx", "hnsw.idx"}) {
        std::ifstream in(dir / name, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        auto expectRefused = [&](const std::string& damaged, const std::string& why) {
            const auto file = dir / ("damaged-" + name);
            std::ofstream(file, std::ios::binary) << damaged;
            try {
                loadIndex(file);
                ADD_FAILURE() << name << ": " << why << " was loaded";
            } catch (const sonolab::Error& e) {
                EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
            }
        };
        // Word 2 of an exact index is the row count; word 6 of an HNSW index the graph's byte count.
        const std::size_t countWord = 8 + 8 * (name == "exact.idx" ? 2 : 6);
        std::string lying = bytes;
        const std::uint64_t huge = std::uint64_t(1) << 60;
        lying.replace(countWord, 8, reinterpret_cast<const char*>(&huge), 8);
        expectRefused(lying, "a header claiming 2^60 items");
        expectRefused(bytes.substr(0, bytes.size() - 5), "a truncated file");
        expectRefused(bytes.substr(0, 20), "a file cut inside its header");
    }
}

TEST(ExactIndex, AgreesWithNumpy) {
    const std::string python = sonolab::test::pythonWithNumpy();
    if (python.empty()) GTEST_SKIP() << "no python3 with numpy";
    auto m = clusteredCollection(1000, 40, 8);
    const auto dir = sonolab::test::freshDir("similarity_numpy_knn");
    const std::size_t shape[2] = {m.rows(), m.dim()};
    sonolab::writeNpy(dir / "x.npy", m.values(), shape);
    const std::size_t queryRow = 123;
    const std::string script =
        "import numpy as np\n"
        "x = np.load('" + (dir / "x.npy").string() + "').astype(np.float64)\n"
        "q = x[" + std::to_string(queryRow) + "]\n"
        "e = np.sqrt(((x - q) ** 2).sum(1))\n"
        "c = 1 - x @ q / (np.linalg.norm(x, axis=1) * np.linalg.norm(q))\n"
        "m = np.abs(x - q).sum(1)\n"
        "for d in (e, c, m):\n"
        "    print(' '.join(str(i) for i in np.argsort(d, kind='stable')[:10]))\n";
    {
        std::ofstream(dir / "knn.py") << script;
    }
    int status = 0;
    const std::string out = sonolab::test::capture(python + " " + (dir / "knn.py").string(), &status);
    ASSERT_EQ(status, 0) << out;
    std::istringstream lines(out);
    for (Metric metric : {Metric::Euclidean, Metric::Cosine, Metric::Manhattan}) {
        ExactIndex index(m, metric);
        auto got = index.search(m.row(queryRow), 10);
        std::string line;
        std::getline(lines, line);
        std::istringstream rows(line);
        for (std::size_t i = 0; i < 10; ++i) {
            std::size_t row;
            rows >> row;
            EXPECT_EQ(got[i].id, m.id(row)) << metricName(metric) << " rank " << i;
        }
    }
}

class HnswMetric : public ::testing::TestWithParam<Metric> {};

TEST_P(HnswMetric, RecallAgainstBruteForce) {
    const Metric metric = GetParam();
    auto m = clusteredCollection(5000, 32, 11);
    HnswIndex index(m, metric, {.m = 16, .efConstruction = 100, .efSearch = 64}, 2);
    EXPECT_EQ(index.size(), 5000u);
    std::mt19937 rng(1);
    double total = 0;
    const int queries = 50;
    for (int t = 0; t < queries; ++t) {
        const std::size_t r = rng() % m.rows();
        std::vector<float> q(m.row(r).begin(), m.row(r).end());
        for (float& x : q) x += 0.3f;
        auto got = index.search(q, 10);
        auto want = bruteForce(m, q, 10, metric);
        ASSERT_EQ(got.size(), 10u);
        total += recall(got, want);
        // Reported distances are true distances in the metric.
        const auto row = std::size_t(got[0].id - 1000);
        EXPECT_NEAR(got[0].distance, distance(metric, m.row(row), q), 1e-3f * std::max(1.0f, got[0].distance));
    }
    EXPECT_GE(total / queries, 0.95);
}

INSTANTIATE_TEST_SUITE_P(EuclideanAndCosine, HnswMetric, ::testing::Values(Metric::Euclidean, Metric::Cosine));

TEST(HnswIndex, FilterPersistenceAndIncrementalGrowth) {
    auto m = clusteredCollection(3000, 16, 12);
    EmbeddingMatrix firstPart(16);
    for (std::size_t r = 0; r < 2000; ++r) firstPart.append(m.id(r), m.row(r));
    auto index = buildIndex(firstPart, {.metric = Metric::Euclidean, .hnswThreshold = 1000});
    ASSERT_EQ(index->kind(), "hnsw");
    // Items added after the build (beyond the initial capacity) are found.
    EXPECT_EQ(index->addMissing(m), 1000u);
    EXPECT_EQ(index->size(), 3000u);
    for (std::size_t r = 2000; r < 3000; r += 97) EXPECT_EQ(index->search(m.row(r), 1)[0].id, m.id(r));

    IdFilter even = [](std::int64_t id) { return id % 2 == 0; };
    auto filtered = index->search(m.row(5), 10, even);
    ASSERT_EQ(filtered.size(), 10u);
    for (auto& n : filtered) EXPECT_EQ(n.id % 2, 0);
    EXPECT_GE(recall(filtered, bruteForce(m, m.row(5), 10, Metric::Euclidean, even)), 0.8);

    const auto dir = sonolab::test::freshDir("similarity_hnsw_index");
    index->save(dir / "graph.idx");
    auto loaded = loadIndex(dir / "graph.idx");
    EXPECT_EQ(loaded->kind(), "hnsw");
    EXPECT_EQ(loaded->size(), 3000u);
    EXPECT_TRUE(loaded->contains(m.id(2999)));
    for (std::size_t r = 0; r < 3000; r += 301) {
        auto a = index->search(m.row(r), 10), b = loaded->search(m.row(r), 10);
        ASSERT_EQ(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].id, b[i].id);
    }
    // A reopened graph searches its file mapping; saved again as it is, it gives the same file back.
    loaded->save(dir / "again.idx");
    std::ifstream a(dir / "graph.idx", std::ios::binary), b(dir / "again.idx", std::ios::binary);
    EXPECT_TRUE(std::equal(std::istreambuf_iterator<char>(a), {}, std::istreambuf_iterator<char>(b), {}));
    // A loaded graph keeps growing (an in-distribution point: HNSW may not reach far outliers through the graph).
    std::vector<float> fresh(m.row(7).begin(), m.row(7).end());
    for (float& x : fresh) x += 0.01f;
    loaded->add(424242, fresh);
    EXPECT_EQ(loaded->search(fresh, 1)[0].id, 424242);
    EXPECT_EQ(loaded->size(), 3001u);
    EXPECT_THROW(HnswIndex(Metric::Manhattan, 4), sonolab::Error);
    // Manhattan falls back to exact search whatever the size.
    EXPECT_EQ(buildIndex(firstPart, {.metric = Metric::Manhattan, .hnswThreshold = 10})->kind(), "exact");
}
