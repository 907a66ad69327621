#include "core/util/AtomicFile.h"
#include "core/util/Error.h"
#include "core/util/Npy.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace sonolab;

TEST(Npy, RoundTripsShapeAndValues) {
    auto dir = test::freshDir("npy-roundtrip");
    std::vector<float> values{1.5f, -2.0f, 3.25f, 0.0f, 7.0f, 8.5f};
    std::vector<std::size_t> shape{2, 3};
    writeNpy(dir / "a.npy", values, shape);
    auto back = readNpy(dir / "a.npy");
    EXPECT_EQ(back.shape, shape);
    EXPECT_EQ(back.data, values);
}

TEST(Npy, HeaderIsAlignedForNumpy) {
    std::vector<float> v(5, 1.0f);
    std::vector<std::size_t> shape{5};
    auto bytes = encodeNpy(v, shape);
    std::size_t headerLen = std::to_integer<std::size_t>(bytes[8]) | (std::to_integer<std::size_t>(bytes[9]) << 8);
    EXPECT_EQ((10 + headerLen) % 64, 0u);
    EXPECT_EQ(bytes.size(), 10 + headerLen + 5 * sizeof(float));
}

TEST(Npy, NumpyLoadsWhatWeWrite) {
    auto python = test::pythonWithNumpy();
    if (python.empty()) GTEST_SKIP() << "numpy under /usr/bin/python3 is not installed: reference check skipped";
    auto dir = test::freshDir("npy-numpy");
    std::vector<float> values{1, 2, 3, 4, 5, 6};
    std::vector<std::size_t> shape{3, 2};
    writeNpy(dir / "b.npy", values, shape);
    auto out = test::capture(python + " -c \"import numpy as np; a=np.load('" + (dir / "b.npy").string() +
                             "'); print(a.shape, a.dtype, a[2,1])\"");
    EXPECT_EQ(out, "(3, 2) float32 6.0\n");
}

TEST(Npy, RejectsNonNpyWithFileName) {
    auto dir = test::freshDir("npy-bad");
    std::ofstream(dir / "x.npy") << "hello";
    try {
        readNpy(dir / "x.npy");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("x.npy"), std::string::npos);
    }
}

TEST(AtomicFile, ReplacesContentAndLeavesNoTemporaries) {
    auto dir = test::freshDir("atomic");
    writeFileAtomically(dir / "f.txt", std::string_view("first"));
    writeFileAtomically(dir / "f.txt", std::string_view("second"));
    std::ifstream in(dir / "f.txt");
    std::string s;
    in >> s;
    EXPECT_EQ(s, "second");
    int files = 0;
    for (auto& e : std::filesystem::directory_iterator(dir)) (void)e, ++files;
    EXPECT_EQ(files, 1);
}

// Inputs fuzz_npy failed on (a 1 GB header length, shapes whose byte count wraps around or exceeds the file, a
// dimension past 2^64): each must be refused with an Error naming the file, before anything is allocated from it.
TEST(Npy, RefusesDamagedHeadersFoundByFuzzing) {
    const auto inputs = test::fuzzRegressionInputs("npy");
    ASSERT_FALSE(inputs.empty());
    for (const auto& file : inputs) {
        SCOPED_TRACE(file.string());
        try {
            readNpy(file);
            ADD_FAILURE() << "expected an error";
        } catch (const Error& e) {
            EXPECT_EQ(e.subject(), file.string());
        }
    }
}

TEST(Npy, RefusesDataOfAnotherSizeThanTheShape) {
    auto dir = test::freshDir("npy-sizes");
    std::vector<float> values{1, 2, 3, 4, 5, 6};
    std::vector<std::size_t> shape{2, 3};
    auto bytes = encodeNpy(values, shape);
    bytes.pop_back();
    writeFileAtomically(dir / "short.npy", bytes);
    EXPECT_THROW(readNpy(dir / "short.npy"), Error);
    bytes.resize(bytes.size() + 5);
    writeFileAtomically(dir / "long.npy", bytes);
    EXPECT_THROW(readNpy(dir / "long.npy"), Error);
}
