// Reading onset data sets: the ISMIR 2012 layout with its fold files, and .onsets files beside audio.
#include "core/onsets/OnsetDataset.h"
#include "core/util/Error.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace sonolab;
using namespace sonolab::onsets;
namespace fs = std::filesystem;

namespace {
void writeText(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
}
}  // namespace

TEST(OnsetDataset, ReadsTheIsmir2012Layout) {
    const auto dir = test::freshDir("onsets-ismir-layout");
    for (std::string name : {"ah_development_guitar_2684_TexasMusicForge_Dandelion_pt1", "jpb_Jaillet15", "gs_mix1_0dB"}) {
        writeText(dir / "audio" / (name + ".flac"), "not decoded here");
    }
    writeText(dir / "annotations/onsets/ah_development_guitar_2684_TexasMusicForge_Dandelion_pt1.onsets",
              "0.0290\n0.5073\n\n1.2\n");
    writeText(dir / "annotations/onsets/jpb_Jaillet15.onsets", "0.5\t extra column\n0.25\n");
    writeText(dir / "annotations/onsets/gs_mix1_0dB.onsets", "# comment\n3.0\n");
    writeText(dir / "splits/8-fold_cv_random_0.fold", "jpb_Jaillet15\ngs_mix1_0dB\n");
    writeText(dir / "splits/8-fold_cv_random_1.fold", "ah_development_guitar_2684_TexasMusicForge_Dandelion_pt1\n");

    const auto ds = loadOnsetDataset(dir);
    EXPECT_TRUE(ds.ismirLayout);
    ASSERT_EQ(ds.items.size(), 3u);
    ASSERT_EQ(ds.folds.size(), 2u);
    EXPECT_EQ(ds.items[ds.folds[0][0]].name, "jpb_Jaillet15");
    EXPECT_EQ(ds.items[ds.folds[1][0]].onsets, (std::vector<double>{0.029, 0.5073, 1.2}));
    EXPECT_EQ(ds.items[ds.folds[0][0]].onsets, (std::vector<double>{0.25, 0.5}));  // sorted, extra column ignored
}

TEST(OnsetDataset, SidecarFilesAndRoundRobinFolds) {
    const auto dir = test::freshDir("onsets-sidecar");
    for (int i = 0; i < 5; ++i) {
        const auto base = dir / (i < 3 ? "a" : "b/c") / ("take" + std::to_string(i));
        writeText(fs::path(base.string() + ".wav"), "x");
        writeOnsetsFile(fs::path(base.string() + ".onsets"), {0.1 * i, 1.0});
    }
    writeText(dir / "a/unannotated.wav", "x");  // skipped: no annotations
    const auto ds = loadOnsetDataset(dir, 2);
    EXPECT_FALSE(ds.ismirLayout);
    ASSERT_EQ(ds.items.size(), 5u);
    EXPECT_EQ(ds.items[0].name, "a/take0");
    EXPECT_EQ(ds.items[4].name, "b/c/take4");
    ASSERT_EQ(ds.folds.size(), 2u);
    EXPECT_EQ(ds.folds[0].size(), 3u);
    EXPECT_EQ(ds.folds[1].size(), 2u);
    EXPECT_NEAR(ds.items[2].onsets[0], 0.2, 1e-9);
}

TEST(OnsetDataset, BadInputNamesTheFile) {
    const auto dir = test::freshDir("onsets-bad");
    writeText(dir / "x.wav", "x");
    writeText(dir / "x.onsets", "0.5\nhello\n");
    try {
        loadOnsetDataset(dir);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("x.onsets"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
    }
    EXPECT_THROW(loadOnsetDataset(dir / "missing"), Error);
    const auto empty = test::freshDir("onsets-empty");
    EXPECT_THROW(loadOnsetDataset(empty), Error);
    const auto badFold = test::freshDir("onsets-badfold");
    writeText(badFold / "audio/a.flac", "x");
    writeText(badFold / "annotations/onsets/a.onsets", "1.0\n");
    writeText(badFold / "splits/f0.fold", "a\nb\n");
    EXPECT_THROW(loadOnsetDataset(badFold), Error);
}

// Ground truth in the annotation formats other tools write (core/annotations), beside the audio or in the ISMIR
// layout's annotation folder; .onsets wins when a name has several.
TEST(OnsetDataset, AnnotationFilesOfOtherToolsAsGroundTruth) {
    const auto dir = test::freshDir("onsets-formats");
    for (std::string name : {"a", "b", "c", "d", "e"}) writeText(dir / (name + ".wav"), "x");
    writeText(dir / "a.jams",
              R"({"annotations": [{"namespace": "beat", "data": [{"time": 9.0, "duration": 0, "value": 1, "confidence": null}]},
                                 {"namespace": "onset", "data": [{"time": 0.5, "duration": 0, "value": null, "confidence": null},
                                                                 {"time": 0.25, "duration": 0, "value": null, "confidence": null}]}],
                 "file_metadata": {"duration": 10.0}, "sandbox": {}})");
    writeText(dir / "b.csv", "0.100000000\n0.350000000,snare\n");        // Sonic Visualiser time instants
    writeText(dir / "c.txt", "0.200000\t0.200000\t\n0.700000\t0.700000\tx\n");  // Audacity point labels
    writeText(dir / "d.onsets", "1.5\n");
    writeText(dir / "d.txt", "0.200000\t0.200000\t\n");
    writeText(dir / "e.tsv", "0.400000000\t0.5\n");                       // tab-separated time-value points
    const auto ds = loadOnsetDataset(dir, 1);
    ASSERT_EQ(ds.items.size(), 5u);
    EXPECT_EQ(ds.items[0].onsets, (std::vector<double>{0.25, 0.5}));  // the onset annotation, not the beats
    EXPECT_EQ(ds.items[0].annotations.filename(), "a.jams");
    EXPECT_EQ(ds.items[1].onsets, (std::vector<double>{0.1, 0.35}));
    EXPECT_EQ(ds.items[2].onsets, (std::vector<double>{0.2, 0.7}));
    EXPECT_EQ(ds.items[3].onsets, (std::vector<double>{1.5}));
    EXPECT_EQ(ds.items[3].annotations.filename(), "d.onsets");
    EXPECT_EQ(ds.items[4].onsets, (std::vector<double>{0.4}));

    const auto ismir = test::freshDir("onsets-formats-ismir");
    writeText(ismir / "audio/take.flac", "x");
    writeText(ismir / "annotations/onsets/take.txt", "1.000000\t1.000000\tonset\n");
    const auto layout = loadOnsetDataset(ismir);
    EXPECT_TRUE(layout.ismirLayout);
    ASSERT_EQ(layout.items.size(), 1u);
    EXPECT_EQ(layout.items[0].onsets, (std::vector<double>{1.0}));

    // A malformed file is named with its line.
    writeText(dir / "c.txt", "0.2\t0.2\t\nnot a time\n");
    try {
        loadOnsetDataset(dir, 1);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("c.txt: line 2"), std::string::npos) << e.what();
    }
}
