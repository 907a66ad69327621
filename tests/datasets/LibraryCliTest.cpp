// sonolab-cli library scan/import/stats/split/derive/list, run as a user would (skipped when the CLI is not built).
#include "Fixtures.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace sonolab;
namespace fs = std::filesystem;

namespace {

bool haveCli() { return !test::cliPath().empty() && fs::exists(test::cliPath()); }

std::string cli(const std::string& args, int* status = nullptr) {
    return test::capture("'" + test::cliPath() + "' " + args + " 2>&1", status);
}

}  // namespace

TEST(LibraryCli, ImportMtatStatsSplitDeriveAndList) {
    if (!haveCli()) GTEST_SKIP() << "sonolab-cli not built";
    const auto dir = test::freshDir("cli_library");
    const std::string ext = test::clipExtension();
    std::string annotations = "\"clip_id\"\t\"music\"\t\"speech\"\t\"vocals\"\t\"instrumental\"\t\"mp3_path\"\t\"group\"\n";
    for (int i = 0; i < 16; ++i) {
        const std::string folder(1, "0123456789abcdef"[i]);
        const std::string path = folder + "/clip" + std::to_string(i) + ext;
        test::writeClip(dir / "audio" / path, 200 + 20 * i);
        const bool speech = i % 4 == 0;
        annotations += "\"" + std::to_string(i + 1) + "\"\t\"" + (speech ? "0" : "1") + "\"\t\"" + (speech ? "1" : "0") +
                       "\"\t\"" + (i % 4 == 1 ? "1" : "0") + "\"\t\"" + (i % 4 >= 2 ? "1" : "0") + "\"\t\"" + path +
                       "\"\t\"src" + std::to_string(i / 2) + "\"\n";
    }
    test::writeText(dir / "annotations_final.csv", annotations);
    const std::string db = (dir / "lib.sqlite").string();
    int status = -1;
    auto out = cli("library import --mtat '" + (dir / "annotations_final.csv").string() + "' --audio-root '" +
                       (dir / "audio").string() + "' --db '" + db + "' -q",
                   &status);
    ASSERT_EQ(status, 0) << out;
    EXPECT_NE(out.find("imported 16 clips into label set 'mtat'"), std::string::npos) << out;

    out = cli("library stats --db '" + db + "' --json", &status);
    ASSERT_EQ(status, 0) << out;
    const auto stats = nlohmann::json::parse(out);
    EXPECT_EQ(stats["tracks"], 16);
    EXPECT_EQ(stats["groups"], 8);
    ASSERT_EQ(stats["label_sets"].size(), 1u);
    EXPECT_EQ(stats["label_sets"][0]["classes"]["speech"], 4);
    EXPECT_EQ(stats["label_sets"][0]["classes"]["music"], 12);
    ASSERT_EQ(stats["splits"].size(), 1u);  // MagnaTagAtune's own: 0-b train, c validation, d-f test
    EXPECT_EQ(stats["splits"][0]["train"], 12);
    EXPECT_EQ(stats["splits"][0]["validation"], 1);
    EXPECT_EQ(stats["splits"][0]["test"], 3);

    out = cli("library split --db '" + db + "' --kind group --seed 3 --name by-source --fractions 0.5,0.25,0.25", &status);
    ASSERT_EQ(status, 0) << out;
    EXPECT_NE(out.find("split by-source: train 8, validation 4, test 4"), std::string::npos) << out;
    out = cli("library split --db '" + db + "' --kind dataset --name standard", &status);
    EXPECT_NE(out.find("split standard: train 12, validation 1, test 3"), std::string::npos) << out;

    out = cli("library derive --db '" + db + "' --from mtat --name vocal --exclusive vocals:instrumental", &status);
    ASSERT_EQ(status, 0) << out;
    EXPECT_NE(out.find("label set 'vocal': 12 tracks"), std::string::npos) << out;

    out = cli("library list --db '" + db + "' --labels vocal --json", &status);
    ASSERT_EQ(status, 0) << out;
    EXPECT_EQ(nlohmann::json::parse(out).size(), 12u);

    out = cli("library scan '" + (dir / "audio").string() + "' --db '" + db + "' --json", &status);
    ASSERT_EQ(status, 0) << out;
    const auto scan = nlohmann::json::parse(out);
    EXPECT_EQ(scan["files"], 16);
    EXPECT_EQ(scan["unchanged"], 16);  // the import's tracks are the scan's tracks
    EXPECT_EQ(scan["added"], 0);
}

TEST(LibraryCli, MalformedImportFailsWithLineNumberAndWritesNothing) {
    if (!haveCli()) GTEST_SKIP() << "sonolab-cli not built";
    const auto dir = test::freshDir("cli_malformed");
    test::writeClip(dir / "a.wav", 300);
    test::writeText(dir / "labels.csv", "path,label\na.wav,rock\na.wav\n");
    const std::string db = (dir / "lib.sqlite").string();
    int status = 0;
    const auto out = cli("library import --csv '" + (dir / "labels.csv").string() + "' --db '" + db + "' -q", &status);
    EXPECT_NE(status, 0);
    EXPECT_NE(out.find("labels.csv:3: expected 2 fields, found 1: a.wav"), std::string::npos) << out;
    const auto stats = cli("library stats --db '" + db + "' --json", &status);
    EXPECT_EQ(nlohmann::json::parse(stats)["tracks"], 0);
    cli("library import --db '" + db + "'", &status);
    EXPECT_NE(status, 0);  // no source given
}
