// `sonolab-cli onsets|predict ... --format audacity|sv-csv|jams`: what the CLI writes reads back (through the one
// reader of each format) as the same onsets / predictions the command prints as JSON; the default outputs are
// unchanged. `embed --run` writes the same run's learned space.
#include "core/annotations/AnnotationFile.h"
#include "core/annotations/Jams.h"
#include "core/library/LibraryDatabase.h"
#include "core/similarity/CollectionSpaces.h"
#include "core/util/Npy.h"
#include "core/util/Error.h"
#include "support/TestSupport.h"
#include "support/ToneNoiseLibrary.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>

using namespace sonolab;
using namespace sonolab::annotations;
namespace fs = std::filesystem;

namespace {

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

// `text` saved under `name` and read with the reader of its extension.
std::vector<Annotation> readBack(const fs::path& dir, const std::string& name, const std::string& text) {
    const fs::path p = dir / name;
    std::ofstream(p, std::ios::binary) << text;
    return readAnnotationFile(p);
}

}  // namespace

TEST(OnsetsCli, WritesEveryAnnotationFormat) {
    const std::string cli = test::cliPath();
    if (!fs::exists(cli)) GTEST_SKIP() << "sonolab-cli not built at " << cli;
    const auto dir = test::freshDir("exchange-onsets-cli");
    const fs::path wav = dir / "clicks.wav";
    test::writeWav16(wav, test::clickTrain({0.25, 0.75, 1.3, 1.62}, 2.0, 22050), 22050);
    int status = 0;
    const auto json = nlohmann::json::parse(test::capture(cli + " onsets " + q(wav) + " --json", &status));
    ASSERT_EQ(status, 0);
    const auto times = json["onsets"].get<std::vector<double>>();
    ASSERT_EQ(times.size(), 4u);

    // The default output stays one time per line with 3 decimals.
    std::string plain;
    for (double t : times) {
        char line[32];
        std::snprintf(line, sizeof line, "%.3f\n", t);
        plain += line;
    }
    EXPECT_EQ(test::capture(cli + " onsets " + q(wav), &status), plain);

    for (const std::string format : {"audacity", "sv-csv", "jams", "onsets"}) {
        const std::string text = test::capture(cli + " onsets " + q(wav) + " --format " + format, &status);
        ASSERT_EQ(status, 0) << format;
        const auto back = readBack(dir, "out" + std::string(fileExtension(*parseFormat(format))), text);
        ASSERT_EQ(back.size(), 1u) << format;
        EXPECT_EQ(back[0].kind, Kind::Onset) << format;
        ASSERT_EQ(back[0].events.size(), times.size()) << format << "\n" << text;
        for (std::size_t i = 0; i < times.size(); ++i) {
            EXPECT_NEAR(back[0].events[i].time, times[i], 1e-6) << format;  // 6 decimals in the text formats
            EXPECT_EQ(back[0].events[i].duration, 0.0);
        }
    }
    // JAMS carries the audio's duration and names the tool.
    const auto jams = nlohmann::json::parse(test::capture(cli + " onsets " + q(wav) + " --format jams", &status));
    EXPECT_NEAR(jams["file_metadata"]["duration"].get<double>(), 2.0, 1e-3);
    EXPECT_EQ(jams["annotations"][0]["annotation_metadata"]["annotation_tools"], "sonolab-cli onsets --method flux");

    // --out: the format from the extension, or from --format.
    ASSERT_EQ(test::run(cli + " onsets " + q(wav) + " --out " + q(dir / "clicks.txt")), 0);
    EXPECT_EQ(readOnsetTimes(dir / "clicks.txt").size(), times.size());
    ASSERT_EQ(test::run(cli + " onsets " + q(wav) + " --format sv-csv --out " + q(dir / "clicks.layer")), 0);
    EXPECT_EQ(readAnnotationFile(dir / "clicks.layer", Format::SvCsv)[0].events.size(), times.size());
    // Refused: an extension that names no format, --json with --format, an unknown format.
    EXPECT_NE(test::run(cli + " onsets " + q(wav) + " --out " + q(dir / "clicks.xyz") + " 2>/dev/null"), 0);
    EXPECT_FALSE(fs::exists(dir / "clicks.xyz"));
    EXPECT_NE(test::run(cli + " onsets " + q(wav) + " --json --format jams >/dev/null 2>&1"), 0);
    EXPECT_NE(test::run(cli + " onsets " + q(wav) + " --format csv >/dev/null 2>&1"), 0);
}

TEST(PredictCli, TopLabelSegmentsMatchThePerWindowPredictions) {
    const std::string cli = test::cliPath();
    if (!fs::exists(cli)) GTEST_SKIP() << "sonolab-cli not built at " << cli;
    const auto dir = test::freshDir("exchange-predict-cli");
    const auto lib = test::makeToneNoiseLibrary(dir, 12);
    int status = 0;
    const fs::path run = dir / "run";
    const auto trained = test::capture(cli + " train --db " + q(lib) + " --task binary:noise --model compact_cnn:filters=8/8/8" +
                                           " --epochs 10 --batch-size 4 --threads 1 --lr 0.003 --seed 7 --quiet --out " + q(run) + " 2>&1",
                                       &status);
    ASSERT_EQ(status, 0) << trained;
    // Tone, noise, tone (6 s each, so that some windows hear one kind only): the top label changes over time.
    const fs::path track = dir / "tone-noise-tone.wav";
    test::writeToneNoiseTrack(track, 6.0);

    const std::string predict = cli + " predict --run " + q(run) + " " + q(track);
    const auto json = nlohmann::json::parse(test::capture(predict + " --json --windows", &status));
    ASSERT_EQ(status, 0);
    const auto& windows = json[0]["over_time"];
    ASSERT_GT(windows.size(), 4u);
    const std::string csv = test::capture(predict + " --format sv-csv", &status);
    ASSERT_EQ(status, 0) << csv;
    const auto segments = readBack(dir, "pred.csv", csv).at(0).events;
    ASSERT_FALSE(segments.empty()) << csv;
    // Contiguous from 0 to the audio's end.
    EXPECT_NEAR(segments.front().time, 0.0, 1e-9);
    for (std::size_t i = 1; i < segments.size(); ++i)
        EXPECT_NEAR(segments[i].time, segments[i - 1].time + segments[i - 1].duration, 1e-6) << csv;
    EXPECT_NEAR(segments.back().time + segments.back().duration, 18.0, 1e-3) << csv;
    // At every window's centre, the segment there names that window's top label; its value lies within the range of
    // that label's probabilities over the windows of the segment.
    const double windowSeconds = windows.size() > 1 ? 2 * (windows[1]["start_seconds"].get<double>() -
                                                           windows[0]["start_seconds"].get<double>())
                                                    : 0;
    for (const auto& w : windows) {
        const double centre = w["start_seconds"].get<double>() + windowSeconds / 2;
        const float p = w["probabilities"][0].get<float>();
        const std::string expected = p >= 0.5f ? "noise" : "not noise";
        const double probability = p >= 0.5f ? p : 1.0f - p;
        for (const auto& s : segments)
            if (s.time <= centre && centre < s.time + s.duration) {
                EXPECT_EQ(s.label, expected) << "at " << centre << " s\n" << csv;
                ASSERT_TRUE(s.value.has_value());
                EXPECT_GE(*s.value, 0.5 - 1e-6);
                EXPECT_LE(*s.value, 1.0 + 1e-6);
                if (s.duration <= windowSeconds / 2 + 1e-6) EXPECT_NEAR(*s.value, probability, 1e-5);
            }
    }
    // JAMS: the same segments in tag_open, the probability as confidence.
    const auto jams = readBack(dir, "pred.jams", test::capture(predict + " --format jams", &status));
    ASSERT_EQ(jams.size(), 1u);
    EXPECT_EQ(jams[0].kind, Kind::Tag);
    ASSERT_EQ(jams[0].events.size(), segments.size());
    for (std::size_t i = 0; i < segments.size(); ++i) {
        EXPECT_EQ(jams[0].events[i].label, segments[i].label);
        EXPECT_NEAR(*jams[0].events[i].value, *segments[i].value, 1e-6);
    }
    // Several files: one file per track in --out; without --out refused.
    ASSERT_EQ(test::run(cli + " predict --run " + q(run) + " " + q(track) + " " + q(dir / "clip1.wav") +
                        " --format audacity --out " + q(dir / "labels")),
              0);
    EXPECT_EQ(readAnnotationFile(dir / "labels" / "tone-noise-tone.txt")[0].events.size(), segments.size());
    EXPECT_TRUE(fs::exists(dir / "labels" / "clip1.txt"));
    EXPECT_NE(test::run(cli + " predict --run " + q(run) + " " + q(track) + " " + q(dir / "clip1.wav") +
                        " --format audacity >/dev/null 2>&1"),
              0);
    // The run's learned space for the projector: `embed --run` (the vectors `similar --space run:RUN` uses).
    const auto embedded = test::capture(cli + " embed --run " + q(run) + " --db " + q(lib) + " --out " + q(dir / "emb") +
                                            " 2>&1",
                                        &status);
    ASSERT_EQ(status, 0) << embedded;
    {
        library::LibraryDatabase db(lib);
        const auto expected = similarity::buildCollectionSpace(db, "run:" + run.string());
        const auto npy = readNpy(dir / "emb" / "vectors.npy");
        EXPECT_EQ(npy.shape, (std::vector<std::size_t>{12, expected.vectors.dim()}));
        EXPECT_EQ(npy.data, expected.vectors.values());
    }
    // The default output is unchanged: one block per file with the probabilities.
    const auto text = test::capture(predict, &status);
    EXPECT_EQ(text.rfind(track.string() + "\n  noise", 0), 0u) << text;
}
