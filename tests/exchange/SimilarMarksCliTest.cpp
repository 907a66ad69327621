// `sonolab-cli similar ... --format audacity|sv-csv|jams`: the query and its neighbours as "similarity marks" on the
// query's audio, read back (through the one reader of each format) as the same neighbours and distances that
// `similar --json` prints.
#include "core/annotations/AnnotationFile.h"
#include "support/TestSupport.h"
#include "support/ToneNoiseLibrary.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace sonolab;
using namespace sonolab::annotations;
namespace fs = std::filesystem;

TEST(SimilarCli, NeighboursAsSimilarityMarks) {
    const std::string cli = test::cliPath();
    if (!fs::exists(cli)) GTEST_SKIP() << "sonolab-cli not built at " << cli;
    const auto dir = test::freshDir("exchange-similar-marks");
    const auto lib = test::makeToneNoiseLibrary(dir, 8);
    const std::string similar = cli + " similar --db '" + lib.string() + "' --track 1 --k 3 --space mfcc";
    int status = 0;
    const auto json = nlohmann::json::parse(test::capture(similar + " --json 2>/dev/null", &status));
    ASSERT_EQ(status, 0);
    const auto& neighbours = json["neighbours"];
    ASSERT_EQ(neighbours.size(), 3u);
    const std::string queryFile = fs::path(json["query"]["path"].get<std::string>()).filename().string();

    for (const std::string format : {"audacity", "sv-csv", "jams"}) {
        const fs::path out = dir / ("marks" + std::string(fileExtension(*parseFormat(format))));
        ASSERT_EQ(test::run(similar + " --format " + format + " --out '" + out.string() + "' 2>/dev/null"), 0) << format;
        const auto marks = readAnnotationFile(out).at(0).events;
        ASSERT_EQ(marks.size(), 4u) << format;
        // The whole two-second query first, then the neighbours nearest first, over the whole track.
        EXPECT_EQ(marks[0].label, "query: " + queryFile) << format;
        for (std::size_t i = 0; i < 3; ++i) {
            const auto& m = marks[i + 1];
            const std::string name = fs::path(neighbours[i]["path"].get<std::string>()).filename().string();
            EXPECT_EQ(m.label, std::to_string(i + 1) + ": " + name) << format;
            EXPECT_NEAR(m.time, 0.0, 1e-9);
            EXPECT_NEAR(m.duration, 2.0, 1e-3) << format;
            if (format == "audacity") continue;  // label tracks have no value column
            ASSERT_TRUE(m.value.has_value()) << format;
            EXPECT_NEAR(*m.value, neighbours[i]["distance"].get<double>(), 1e-5) << format;
        }
    }
    // JAMS names the query's audio and the tool.
    const auto jams = nlohmann::json::parse(test::capture(similar + " --format jams 2>/dev/null", &status));
    ASSERT_EQ(status, 0);
    EXPECT_EQ(jams["file_metadata"]["title"], queryFile);
    EXPECT_EQ(jams["annotations"][0]["namespace"], "tag_open");
    EXPECT_EQ(test::run(similar + " --json --format jams >/dev/null 2>&1") == 0, false);
}
