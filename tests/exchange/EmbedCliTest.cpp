// `sonolab-cli embed`: the vectors.npy + metadata.tsv a numpy user or the TensorBoard projector reads hold exactly
// the vectors core/similarity builds for the space (`similar` searches the same ones), one row per track listed in
// metadata.tsv; numpy reads the .npy as float32 [n, d].
#include "core/library/LibraryDatabase.h"
#include "core/similarity/CollectionSpaces.h"
#include "core/util/Npy.h"
#include "support/TestSupport.h"
#include "support/ToneNoiseLibrary.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace sonolab;
namespace fs = std::filesystem;

namespace {

std::vector<std::vector<std::string>> readTsv(const fs::path& file) {
    std::ifstream in(file);
    std::vector<std::vector<std::string>> rows;
    for (std::string line; std::getline(in, line);) {
        std::vector<std::string> cells;
        std::istringstream s(line);
        for (std::string cell; std::getline(s, cell, '\t');) cells.push_back(cell);
        rows.push_back(cells);
    }
    return rows;
}

// The CLI's folder against the space built here with the same code and feature cache.
void expectSpaceWritten(const fs::path& lib, const std::string& space, const fs::path& out) {
    library::LibraryDatabase db(lib);
    const auto expected = similarity::buildCollectionSpace(db, space);
    const auto npy = readNpy(out / "vectors.npy");
    ASSERT_EQ(npy.shape, (std::vector<std::size_t>{expected.vectors.rows(), expected.vectors.dim()})) << space;
    EXPECT_EQ(npy.data, expected.vectors.values()) << space;
    const auto meta = readTsv(out / "metadata.tsv");
    ASSERT_EQ(meta.size(), expected.vectors.rows() + 1) << space;
    EXPECT_EQ(meta[0], (std::vector<std::string>{"track_id", "path"}));
    for (std::size_t r = 0; r < expected.vectors.rows(); ++r) {
        const auto track = db.track(expected.vectors.id(r));
        ASSERT_TRUE(track.has_value());
        EXPECT_EQ(meta[r + 1], (std::vector<std::string>{std::to_string(track->id), track->path})) << space;
    }
    const auto tsv = readTsv(out / "vectors.tsv");
    ASSERT_EQ(tsv.size(), expected.vectors.rows());
    EXPECT_EQ(tsv[0].size(), expected.vectors.dim());
    EXPECT_EQ(std::stof(tsv[0][1]), expected.vectors.row(0)[1]);  // shortest round-trip text
}

}  // namespace

TEST(EmbedCli, HandcraftedSpacesAsNpyAndTsv) {
    const std::string cli = test::cliPath();
    if (!fs::exists(cli)) GTEST_SKIP() << "sonolab-cli not built at " << cli;
    const auto dir = test::freshDir("exchange-embed");
    const auto lib = test::makeToneNoiseLibrary(dir, 6);
    for (const std::string space : {"mfcc", "rp"}) {
        const fs::path out = dir / ("out-" + space);
        int status = 0;
        const auto printed = test::capture(cli + " embed --space " + space + " --db '" + lib.string() + "' --out '" +
                                               out.string() + "' 2>&1",
                                           &status);
        ASSERT_EQ(status, 0) << printed;
        expectSpaceWritten(lib, space, out);
        const std::string python = test::pythonWithNumpy();
        if (python.empty()) continue;
        // numpy: float32, [tracks, dims], rows finite and not all alike (z-scored features of tones and noise).
        const auto answer = test::capture(python + " -c \"import numpy as np; a = np.load('" +
                                          (out / "vectors.npy").string() +
                                          "'); print(a.dtype, a.shape[0], a.shape[1], bool(np.isfinite(a).all()), "
                                          "bool((a.std(axis=0) > 0).any()))\"",
                                          &status);
        ASSERT_EQ(status, 0) << answer;
        const std::size_t dims = space == "mfcc" ? 40 : 1608;
        EXPECT_EQ(answer, "float32 6 " + std::to_string(dims) + " True True\n") << space;
    }
    EXPECT_NE(test::run(cli + " embed --space nope --db '" + lib.string() + "' --out '" + (dir / "x").string() +
                        "' >/dev/null 2>&1"),
              0);
    EXPECT_NE(test::run(cli + " embed --db '" + lib.string() + "' >/dev/null 2>&1"), 0);  // --out is required
}
