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
    cache.store(42, spec, sonolab::Matrix::fromNpyShape(values, shape));
    const auto path = cache.entryPath(42, spec);
    EXPECT_EQ(path, dir / "cache" / "v1" / spec.hashHex() / "000000000000002a.npy");
    EXPECT_TRUE(std::filesystem::exists(path.parent_path() / "spec.txt"));
    auto m = cache.load(42, spec);
    ASSERT_TRUE(m);
    EXPECT_TRUE(m->isBorrowed());
    EXPECT_EQ(m->layout(), sonolab::Layout::BinsByFrames);
    EXPECT_EQ(m->npyShape(), shape);
    EXPECT_EQ(std::vector<float>(m->values().begin(), m->values().end()), values);
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
        return sonolab::Matrix::fromNpyShape(values, shape);
    });
    EXPECT_EQ(computed, 1);
    EXPECT_EQ(again, sonolab::Matrix(values, 3, 2, sonolab::Layout::BinsByFrames));
    cache.getOrCompute(42, spec, [&] {
        ++computed;
        return sonolab::Matrix::fromNpyShape(values, shape);
    });
    EXPECT_EQ(computed, 1);  // second call is a hit

    // Garbage bytes in place of an entry.
    {
        std::ofstream f(path, std::ios::binary | std::ios::trunc);
        f << "this is not numpy at all";
    }
    EXPECT_FALSE(cache.contains(42, spec));
    EXPECT_THROW(sonolab::mapNpy(dir / "nothing.npy"), sonolab::Error);

    // A temporary left by a killed writer (a pid that cannot exist) is removed; a live process's is kept.
    std::ofstream(path.parent_path() / ".x.npy.tmp-999999999-0-1") << "partial";
    std::ofstream(path.parent_path() / (".y.npy.tmp-" + std::to_string(::getpid()) + "-0-1")) << "in flight";
    EXPECT_EQ(cache.removeStaleTemporaries(spec), 1u);
    EXPECT_FALSE(std::filesystem::exists(path.parent_path() / ".x.npy.tmp-999999999-0-1"));
    EXPECT_TRUE(std::filesystem::exists(path.parent_path() / (".y.npy.tmp-" + std::to_string(::getpid()) + "-0-1")));
}

// The bytes of a .npy entry as earlier versions wrote them (format 1.0, the dictionary numpy writes, padded with
// spaces so that the data start at a multiple of 64: byte 128 for the short shapes used here), spelled out here
// rather than taken from the writer under test.
std::string previousVersionEntry(const std::string& shapeText, const std::vector<float>& values) {
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeText + ", }";
    header.resize(128 - 10 - 1, ' ');
    header += '\n';
    std::string bytes("\x93NUMPY\x01\x00", 8);
    bytes += char(header.size());
    bytes += '\0';
    bytes += header;
    bytes.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
    return bytes;
}

std::string fileBytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(FeatureCache, EntriesOfEarlierVersionsReadAndNewEntriesAreTheSameBytes) {
    auto dir = t::freshDir("features-cache-compat");
    FeatureCache cache(dir / "cache");
    FeatureSpec logmel{.kind = "logmel"}, rh{.kind = "rh"};
    // A (bands, frames) matrix and a 1-D vector (rh), as earlier versions stored them.
    const std::vector<float> matrix{0.5f, -1, 2, 3.25f, 4, 5, -6, 7, 8, 9, 10, 11};
    const std::vector<float> vector{1, 2, 3, 4, 5};
    const std::string oldMatrix = previousVersionEntry("(3, 4)", matrix), oldVector = previousVersionEntry("(5,)", vector);
    std::filesystem::create_directories(cache.entryPath(7, logmel).parent_path());
    std::filesystem::create_directories(cache.entryPath(7, rh).parent_path());
    std::ofstream(cache.entryPath(7, logmel), std::ios::binary) << oldMatrix;
    std::ofstream(cache.entryPath(7, rh), std::ios::binary) << oldVector;

    const auto m = cache.load(7, logmel);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->rows(), 3u);
    EXPECT_EQ(m->cols(), 4u);
    EXPECT_EQ(m->bins(), 3u);  // bands x frames
    EXPECT_EQ(m->at(1, 2), -6.0f);
    EXPECT_EQ(std::vector<float>(m->values().begin(), m->values().end()), matrix);
    const auto v = cache.load(7, rh);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->npyShape(), std::vector<std::size_t>{5});
    EXPECT_EQ(v->rows(), 1u);
    EXPECT_EQ(v->at(0, 4), 5.0f);

    // Stored again (from the mapped entries and from fresh values), they are the same bytes as before.
    cache.store(8, logmel, *m);
    cache.store(8, rh, *v);
    cache.store(9, logmel, sonolab::Matrix(matrix, 3, 4, sonolab::Layout::BinsByFrames));
    cache.store(9, rh, sonolab::Matrix::fromNpyShape(vector, std::vector<std::size_t>{5}));
    EXPECT_EQ(fileBytes(cache.entryPath(8, logmel)), oldMatrix);
    EXPECT_EQ(fileBytes(cache.entryPath(8, rh)), oldVector);
    EXPECT_EQ(fileBytes(cache.entryPath(9, logmel)), oldMatrix);
    EXPECT_EQ(fileBytes(cache.entryPath(9, rh)), oldVector);
}

TEST(FeatureCache, MappingOutlivesTheCacheObjectAndCopiesShareIt) {
    auto dir = t::freshDir("features-matrix");
    std::vector<float> values(1000);
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = float(i) * 0.5f;
    std::vector<std::size_t> shape{10, 100};
    sonolab::writeNpy(dir / "m.npy", values, shape);
    sonolab::Matrix copy;
    {
        auto m = sonolab::mapNpy(dir / "m.npy");
        copy = m;
        EXPECT_EQ(copy.values().data(), m.values().data());  // shared, not copied
    }
    EXPECT_EQ(copy.rows(), 10u);
    EXPECT_EQ(copy.cols(), 100u);
    EXPECT_FLOAT_EQ(copy.at(9, 99), 999 * 0.5f);
}

// The damaged .npy headers fuzz_npy found, as cache entries: mapNpy refuses each with an Error naming
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
            sonolab::mapNpy(entry);
            ADD_FAILURE() << "expected an error";
        } catch (const sonolab::Error& e) {
            EXPECT_EQ(e.subject(), entry.string());
        }
        EXPECT_FALSE(cache.load(7, spec).has_value());
        EXPECT_FALSE(std::filesystem::exists(entry));
    }
}
