// Every format written, read back and compared with what was written (identical events, and the same bytes when
// written again), for the kinds of events each format can hold; predictions over time as top-label segments.
#include "core/annotations/AnnotationFile.h"
#include "core/annotations/AudacityLabels.h"
#include "core/annotations/Jams.h"
#include "core/annotations/PredictionSegments.h"
#include "core/annotations/SvCsv.h"
#include "core/util/Error.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace sonolab;
using namespace sonolab::annotations;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Writes, reads back, writes again: the events and the bytes must survive.
std::vector<Annotation> roundTrip(const std::vector<Annotation>& in, Format format, const std::string& name) {
    const fs::path file = test::freshDir("annotations-roundtrip") / (name + std::string(fileExtension(format)));
    writeAnnotationFile(file, in, format);
    const std::string first = slurp(file);
    auto back = readAnnotationFile(file);
    writeAnnotationFile(file, back, format);
    EXPECT_EQ(slurp(file), first) << name << ": rewriting what was read changed the file";
    return back;
}

Annotation onsets() { return instants({0.023, 0.5, 1.25, 3.000125}); }

Annotation labelledSegments() {
    return {.kind = Kind::Segment,
            .events = {{.time = 0.0, .duration = 12.5, .label = "intro"},
                       {.time = 12.5, .duration = 0.3, .label = "verse, one"},
                       {.time = 12.8, .duration = 30.25, .label = "chorus \"A\""},
                       {.time = 44.1, .duration = 0, .label = "end"}}};
}

// What `predict --format` writes: top-label segments with the class probability as value.
Annotation scoredTags() {
    return {.kind = Kind::Tag,
            .events = {{.time = 0.0, .duration = 1.486, .label = "rock", .value = 0.8125},
                       {.time = 1.486, .duration = 2.972, .label = "jazz", .value = 0.51},
                       {.time = 4.458, .duration = 1.486, .label = "rock", .value = 0.999}}};
}

}  // namespace

TEST(AnnotationRoundTrip, AudacityInstantsAndSegments) {
    const auto back = roundTrip({onsets()}, Format::Audacity, "onsets");
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0], onsets());
    const auto segments = roundTrip({labelledSegments()}, Format::Audacity, "segments");
    EXPECT_EQ(segments[0], labelledSegments());
}

TEST(AnnotationRoundTrip, SonicVisualiserCsvEveryLayerShape) {
    EXPECT_EQ(roundTrip({onsets()}, Format::SvCsv, "instants")[0], onsets());
    EXPECT_EQ(roundTrip({labelledSegments()}, Format::SvCsv, "regions-without-values")[0], labelledSegments());
    Annotation scored = scoredTags();
    scored.kind = Kind::Segment;  // the CSV does not record the kind; it reads back as segments
    EXPECT_EQ(roundTrip({scored}, Format::SvCsv, "regions")[0], scored);
    // Time-value points, a point without a value, and labels that are numbers (a header row keeps them apart).
    Annotation points{.kind = Kind::Onset,
                      .events = {{.time = 0.5, .label = "1", .value = 440.0},
                                 {.time = 1.0, .label = "2"},
                                 {.time = 1.5, .label = "x", .value = -3.25e-7}}};
    EXPECT_EQ(roundTrip({points}, Format::SvCsv, "points")[0], points);
    Annotation numericLabels = instants({0.25, 0.75});
    numericLabels.events[0].label = "1";
    numericLabels.events[1].label = "2.5";
    EXPECT_EQ(roundTrip({numericLabels}, Format::SvCsv, "numeric-labels")[0], numericLabels);
    // Tab-separated as SV writes .tsv.
    const auto tsv = parseSvCsv(formatSvCsv(labelledSegments(), '\t'), "x.tsv");
    EXPECT_EQ(tsv, labelledSegments());
}

TEST(AnnotationRoundTrip, JamsKeepsEveryAnnotationAndKind) {
    Annotation beats{.kind = Kind::Beat,
                     .events = {{.time = 0.5, .value = 1.0}, {.time = 1.0, .value = 2.0}, {.time = 1.5}}};
    Annotation labelledOnsets = onsets();
    labelledOnsets.events[1].label = "snare";
    labelledOnsets.events[2].value = 0.75;
    const std::vector<Annotation> all{labelledOnsets, beats, scoredTags(), labelledSegments()};
    EXPECT_EQ(roundTrip(all, Format::Jams, "all"), all);
}

TEST(AnnotationRoundTrip, OnsetsKeepTheTimes) {
    EXPECT_EQ(roundTrip({onsets()}, Format::Onsets, "plain"), std::vector<Annotation>{onsets()});
}

TEST(AnnotationRoundTrip, FormatNamesAndExtensions) {
    for (Format f : {Format::Audacity, Format::SvCsv, Format::Jams, Format::Onsets}) {
        EXPECT_EQ(parseFormat(formatName(f)), f);
        EXPECT_EQ(formatOfFile(fs::path("a/b") += std::string(fileExtension(f))), f);
    }
    EXPECT_EQ(formatOfFile("X.JAMS"), Format::Jams);
    EXPECT_EQ(formatOfFile("x.tsv"), Format::SvCsv);
    EXPECT_FALSE(formatOfFile("x.wav"));
    EXPECT_FALSE(parseFormat("csv"));
    EXPECT_EQ(formatNames(), (std::vector<std::string>{"audacity", "sv-csv", "jams", "onsets"}));
}

TEST(PredictionSegments, TopClassRunsSplitHalfwayBetweenWindowCentres) {
    // Windows of 2 s every second (centres 1..5 s).
    const WindowScores scores{.labels = {"a", "b"},
                              .startSeconds = {0, 1, 2, 3, 4},
                              .windowSeconds = 2,
                              .probabilities = {{0.9f, 0.1f}, {0.7f, 0.3f}, {0.4f, 0.6f}, {0.2f, 0.8f}, {0.55f, 0.45f}}};
    const auto a = topLabelSegments(scores);
    EXPECT_EQ(a.kind, Kind::Tag);
    ASSERT_EQ(a.events.size(), 3u);
    EXPECT_EQ(a.events[0].label, "a");
    EXPECT_DOUBLE_EQ(a.events[0].time, 0.0);
    EXPECT_DOUBLE_EQ(a.events[0].duration, 2.5);
    EXPECT_NEAR(*a.events[0].value, 0.8, 1e-6);
    EXPECT_EQ(a.events[1].label, "b");
    EXPECT_DOUBLE_EQ(a.events[1].time, 2.5);
    EXPECT_DOUBLE_EQ(a.events[1].duration, 2.0);
    EXPECT_NEAR(*a.events[1].value, 0.7, 1e-6);
    EXPECT_DOUBLE_EQ(a.events[2].time, 4.5);
    EXPECT_DOUBLE_EQ(a.events[2].duration, 1.5);  // to the end of the last window
    // Clipped at the audio's end.
    EXPECT_DOUBLE_EQ(topLabelSegments(scores, 5.25).events[2].duration, 0.75);
    // One sigmoid output: the class or its complement.
    const auto binary = topLabelSegments({.labels = {"noise"}, .startSeconds = {0, 1}, .windowSeconds = 2,
                                          .probabilities = {{0.25f}, {0.9f}}});
    ASSERT_EQ(binary.events.size(), 2u);
    EXPECT_EQ(binary.events[0].label, "not noise");
    EXPECT_NEAR(*binary.events[0].value, 0.75, 1e-6);
    EXPECT_EQ(binary.events[1].label, "noise");
    EXPECT_THROW(topLabelSegments({.labels = {"a", "b"}, .startSeconds = {0}, .windowSeconds = 1, .probabilities = {}}),
                 Error);
}
