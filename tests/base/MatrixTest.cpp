#include "core/util/Error.h"
#include "core/util/Matrix.h"
#include "core/util/Npy.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <array>
#include <fstream>

using namespace sonolab;

namespace {

// 3 frames x 2 bins, value 10 * frame + bin.
Matrix frameMajor() { return Matrix({0, 1, 10, 11, 20, 21}, 3, 2, Layout::FramesByBins); }

}  // namespace

TEST(Matrix, LayoutSaysWhichAxisIsTime) {
    const Matrix a = frameMajor();
    EXPECT_EQ(a.rows(), 3u);
    EXPECT_EQ(a.cols(), 2u);
    EXPECT_EQ(a.frames(), 3u);
    EXPECT_EQ(a.bins(), 2u);
    EXPECT_EQ(a.at(2, 1), 21.0f);
    EXPECT_EQ(a.row(1)[0], 10.0f);

    // The same numbers band-major: rows are bins now, and frames are still 3.
    const Matrix b = a.transposed();
    EXPECT_EQ(b.layout(), Layout::BinsByFrames);
    EXPECT_EQ(b.rows(), 2u);
    EXPECT_EQ(b.cols(), 3u);
    EXPECT_EQ(b.frames(), 3u);
    EXPECT_EQ(b.bins(), 2u);
    for (std::size_t f = 0; f < 3; ++f)
        for (std::size_t k = 0; k < 2; ++k) EXPECT_EQ(b.at(k, f), a.at(f, k)) << f << "," << k;
    EXPECT_EQ(b.row(1)[2], 21.0f);  // one band over time is contiguous
    EXPECT_EQ(b.transposed(), a);
    EXPECT_FALSE(b == a);  // same numbers, other layout

    EXPECT_NO_THROW(a.requireLayout(Layout::FramesByBins, "x"));
    try {
        a.requireLayout(Layout::BinsByFrames, "the crop");
        FAIL() << "a frames x bins matrix passed as bins x frames";
    } catch (const Error& e) {
        EXPECT_EQ(e.subject(), "the crop");
    }
}

TEST(Matrix, OwnedValuesAreCopiedWithTheMatrixAndCountsAreChecked) {
    Matrix a = frameMajor();
    Matrix copy = a;
    copy.mutableRow(0)[0] = 99;
    EXPECT_EQ(a.at(0, 0), 0.0f);
    EXPECT_EQ(copy.at(0, 0), 99.0f);
    EXPECT_FALSE(a.isBorrowed());

    const float* before = a.values().data();
    Matrix moved = std::move(a);
    EXPECT_EQ(moved.values().data(), before);  // a move hands the buffer over
    EXPECT_TRUE(a.empty());                    // NOLINT(bugprone-use-after-move): moved-from is empty
    EXPECT_EQ(a.rows(), 0u);
    EXPECT_EQ(std::move(moved).takeValues().data(), before);

    EXPECT_THROW(Matrix({1, 2, 3}, 2, 2, Layout::BinsByFrames), Error);
    EXPECT_THROW(Matrix::fromNpyShape({1, 2}, std::array<std::size_t, 3>{1, 1, 2}), Error);
    EXPECT_EQ(Matrix::column({1, 2, 3}).rows(), 3u);
    EXPECT_EQ(Matrix::column({1, 2, 3}).frames(), 1u);
    EXPECT_EQ(Matrix(4, 5, Layout::BinsByFrames).values()[19], 0.0f);
}

TEST(Matrix, MappedFileIsBorrowedSharedByCopiesAndKeptAliveByThem) {
    const auto dir = test::freshDir("matrix-mapped");
    const std::vector<float> values{1, 2, 3, 4, 5, 6};
    writeNpy(dir / "m.npy", values, std::array<std::size_t, 2>{2, 3});
    Matrix copy;
    const float* address = nullptr;
    {
        Matrix m = mapNpy(dir / "m.npy");
        EXPECT_TRUE(m.isBorrowed());
        EXPECT_EQ(m.layout(), Layout::BinsByFrames);
        EXPECT_EQ(m.row(1)[2], 6.0f);  // reading a non-const borrowed matrix is fine ...
        EXPECT_THROW(m.mutableValues(), Error);  // ... writing into the mapped file is not
        EXPECT_THROW(m.mutableRow(0), Error);
        copy = m;
        address = m.values().data();
    }
    std::filesystem::remove(dir / "m.npy");  // the mapping outlives the file's name and the first matrix
    EXPECT_EQ(copy.values().data(), address);
    EXPECT_EQ(copy.at(1, 0), 4.0f);
    EXPECT_EQ(copy.npyShape(), (std::vector<std::size_t>{2, 3}));

    // Taking the values out of a borrowed matrix copies them.
    const auto taken = Matrix(copy).takeValues();
    EXPECT_EQ(taken, values);
    EXPECT_NE(taken.data(), address);

    // Onset features are mapped frame-major.
    writeNpy(dir / "f.npy", values, std::array<std::size_t, 2>{3, 2});
    const Matrix f = mapNpy(dir / "f.npy", Layout::FramesByBins);
    EXPECT_EQ(f.frames(), 3u);
    EXPECT_EQ(f.row(2)[1], 6.0f);
}

TEST(Matrix, NpyShapesRoundTripAndBadFilesAreNamed) {
    const auto dir = test::freshDir("matrix-npy");
    writeNpy(dir / "v.npy", Matrix::fromNpyShape({7, 8, 9}, std::array<std::size_t, 1>{3}));
    EXPECT_EQ(readNpy(dir / "v.npy").shape, std::vector<std::size_t>{3});
    const Matrix v = mapNpy(dir / "v.npy");
    EXPECT_EQ(v.rows(), 1u);
    EXPECT_EQ(v.cols(), 3u);
    EXPECT_EQ(v.npyShape(), std::vector<std::size_t>{3});

    writeNpy(dir / "cube.npy", std::vector<float>(8, 1.0f), std::array<std::size_t, 3>{2, 2, 2});
    try {
        mapNpy(dir / "cube.npy");
        FAIL() << "a 3-D array mapped as a matrix";
    } catch (const Error& e) {
        EXPECT_EQ(e.subject(), (dir / "cube.npy").string());
    }
    // Truncated data: the header's shape needs more bytes than the file has.
    std::filesystem::resize_file(dir / "v.npy", std::filesystem::file_size(dir / "v.npy") - 4);
    EXPECT_THROW(mapNpy(dir / "v.npy"), Error);
    EXPECT_THROW(readNpy(dir / "v.npy"), Error);
    std::ofstream(dir / "text.npy") << "just some text, not numpy";
    EXPECT_THROW(mapNpy(dir / "text.npy"), Error);
}

TEST(Matrix, StackBinsJoinsAlongTheAxisThatIsNotTime) {
    // Frame-major parts side by side in each frame (numpy hstack).
    const Matrix a = frameMajor();
    const Matrix b({5, 6, 7}, 3, 1, Layout::FramesByBins);
    const Matrix* frameParts[] = {&a, &b};
    const Matrix h = stackBins(frameParts);
    EXPECT_EQ(h, Matrix({0, 1, 5, 10, 11, 6, 20, 21, 7}, 3, 3, Layout::FramesByBins));

    // Band-major parts one after the other (numpy vstack).
    const Matrix at = a.transposed(), bt = b.transposed();
    const Matrix* bandParts[] = {&at, &bt};
    EXPECT_EQ(stackBins(bandParts), h.transposed());

    const Matrix shorter({1, 2}, 2, 1, Layout::FramesByBins);
    const Matrix* mismatched[] = {&a, &shorter};
    EXPECT_THROW(stackBins(mismatched), Error);
    const Matrix* mixed[] = {&a, &bt};
    EXPECT_THROW(stackBins(mixed), Error);
    EXPECT_TRUE(stackBins({}).empty());
}
