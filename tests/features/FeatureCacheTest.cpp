#include "core/features/FeatureCache.h"
#include "core/util/Error.h"
#include "core/util/Npy.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <random>
#include <set>

using namespace sonolab::features;
namespace t = sonolab::test;

TEST(FeatureSpec, CanonicalTextIsOrderIndependentAndRoundTrips) {
    FeatureSpec a{.kind = "logmel"};
    a.set("sr", 22050).set("n_fft", 1024).set("fmax", 11025.5).set("htk", false);
    FeatureSpec b{.kind = "logmel"};
    b.set("htk", false).set("fmax", 11025.5).set("n_fft", 1024).set("sr", 22050);
    EXPECT_EQ(a.canonical(), "logmel;fmax=11025.5;htk=false;n_fft=1024;sr=22050");
    EXPECT_EQ(a.hash(), b.hash());
    EXPECT_EQ(FeatureSpec::parse(a.canonical()), a);
    b.set("n_fft", 2048);
    EXPECT_NE(a.hash(), b.hash());
    EXPECT_DOUBLE_EQ(a.number("fmax", 0), 11025.5);
    EXPECT_DOUBLE_EQ(a.number("absent", 7), 7);
    EXPECT_THROW(a.number("htk", 0), sonolab::Error);
    EXPECT_THROW(a.set("bad;key", 1), sonolab::Error);
}

TEST(FeatureCache, StoresAtomicallyMapsBackAndRecomputesDamagedEntries) {
    auto dir = t::freshDir("features-cache");
    FeatureCache cache(dir / "cache");
    FeatureSpec spec{.kind = "logmel"};
    spec.set("n_mels", 3);
    std::vector<float> values{1, 2, 3, 4, 5, 6};
    std::vector<std::size_t> shape{3, 2};
    EXPECT_FALSE(cache.contains(42, spec));
    cache.store(42, spec, values, shape);
    const auto path = cache.entryPath(42, spec);
    EXPECT_EQ(path, dir / "cache" / "v1" / spec.hashHex() / "000000000000002a.npy");
    EXPECT_TRUE(std::filesystem::exists(path.parent_path() / "spec.txt"));
    auto m = cache.load(42, spec);
    ASSERT_TRUE(m);
    EXPECT_TRUE(m->isMapped());
    EXPECT_EQ(m->shape(), shape);
    EXPECT_EQ(m->toVector(), values);
    EXPECT_FLOAT_EQ(m->at(2, 1), 6.0f);
    // The file is an ordinary .npy any reader understands.
    EXPECT_EQ(sonolab::readNpy(path).data, values);
    // No temporary files left behind.
    std::size_t files = 0;
    for (auto& e : std::filesystem::directory_iterator(path.parent_path())) files += e.is_regular_file();
    EXPECT_EQ(files, 2u);
    EXPECT_EQ(cache.entries(spec), std::vector<std::uint64_t>{42});

    // Truncate the entry: it must be detected, removed and recomputed.
    std::filesystem::resize_file(path, std::filesystem::file_size(path) - 4);
    EXPECT_FALSE(cache.load(42, spec));
    EXPECT_FALSE(std::filesystem::exists(path));
    int computed = 0;
    auto again = cache.getOrCompute(42, spec, [&] {
        ++computed;
        return FeatureMatrix(values, shape);
    });
    EXPECT_EQ(computed, 1);
    EXPECT_EQ(again.toVector(), values);
    cache.getOrCompute(42, spec, [&] {
        ++computed;
        return FeatureMatrix(values, shape);
    });
    EXPECT_EQ(computed, 1);  // second call is a hit

    // Garbage bytes in place of an entry.
    {
        std::ofstream f(path, std::ios::binary | std::ios::trunc);
        f << "this is not numpy at all";
    }
    EXPECT_FALSE(cache.contains(42, spec));
    EXPECT_THROW(FeatureMatrix::map(dir / "nothing.npy"), sonolab::Error);

    // A temporary left by a killed writer (a pid that cannot exist) is removed; a live process's is kept.
    std::ofstream(path.parent_path() / ".x.npy.tmp-999999999-0-1") << "partial";
    std::ofstream(path.parent_path() / (".y.npy.tmp-" + std::to_string(::getpid()) + "-0-1")) << "in flight";
    EXPECT_EQ(cache.removeStaleTemporaries(spec), 1u);
    EXPECT_FALSE(std::filesystem::exists(path.parent_path() / ".x.npy.tmp-999999999-0-1"));
    EXPECT_TRUE(std::filesystem::exists(path.parent_path() / (".y.npy.tmp-" + std::to_string(::getpid()) + "-0-1")));
}

TEST(FeatureMatrix, MappingOutlivesTheCacheObjectAndCopiesShareIt) {
    auto dir = t::freshDir("features-matrix");
    std::vector<float> values(1000);
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = float(i) * 0.5f;
    std::vector<std::size_t> shape{10, 100};
    sonolab::writeNpy(dir / "m.npy", values, shape);
    FeatureMatrix copy;
    {
        auto m = FeatureMatrix::map(dir / "m.npy");
        copy = m;
    }
    EXPECT_EQ(copy.rows(), 10u);
    EXPECT_EQ(copy.cols(), 100u);
    EXPECT_FLOAT_EQ(copy.at(9, 99), 999 * 0.5f);
    EXPECT_THROW(FeatureMatrix({1, 2, 3}, {2, 2}), sonolab::Error);
}

// The damaged .npy headers fuzz_npy found, as cache entries: FeatureMatrix::map refuses each with an Error naming
// the file (a shape of 2^62 x 4 values used to wrap to an empty byte count and pass as a valid 0-byte entry), and
// the cache reports the entry missing and removes it.
TEST(FeatureCache, DamagedHeadersFoundByFuzzingAreMissingEntries) {
    auto dir = t::freshDir("features-fuzz");
    FeatureCache cache(dir / "cache");
    FeatureSpec spec{.kind = "logmel"};
    const auto entry = cache.entryPath(7, spec);
    std::filesystem::create_directories(entry.parent_path());
    for (const auto& input : t::fuzzRegressionInputs("npy")) {
        SCOPED_TRACE(input.string());
        std::filesystem::copy_file(input, entry, std::filesystem::copy_options::overwrite_existing);
        try {
            FeatureMatrix::map(entry);
            ADD_FAILURE() << "expected an error";
        } catch (const sonolab::Error& e) {
            EXPECT_EQ(e.subject(), entry.string());
        }
        EXPECT_FALSE(cache.load(7, spec).has_value());
        EXPECT_FALSE(std::filesystem::exists(entry));
    }
}
