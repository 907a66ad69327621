// Predictions over time as every class's values, similarity marks, and several layers written at once: what each
// produces for worked examples, and round trips through every format (identical events; Audacity label tracks
// have no value column, so there the values are the one thing not kept).
#include "core/annotations/AnnotationFile.h"
#include "core/annotations/PredictionSegments.h"
#include "core/annotations/SimilarityMarks.h"
#include "core/util/Error.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using namespace sonolab;
using namespace sonolab::annotations;
namespace fs = std::filesystem;

namespace {

// Four windows of 2 s every 1 s: centres at 1, 2, 3, 4 s, so each window speaks for [0, 1.5), [1.5, 2.5),
// [2.5, 3.5) and [3.5, end).
WindowScores fourWindows() {
    return {.labels = {"rock", "jazz", "pop"},
            .startSeconds = {0, 1, 2, 3},
            .windowSeconds = 2,
            .probabilities = {{0.5f, 0.25f, 0.25f}, {0.125f, 0.75f, 0.125f}, {0.25f, 0.625f, 0.125f}, {0.0f, 0.25f, 0.75f}}};
}

// Without the values: what an Audacity label track keeps.
Annotation withoutValues(Annotation a) {
    for (auto& e : a.events) e.value.reset();
    return a;
}

Annotation asSegments(Annotation a) {
    a.kind = Kind::Segment;  // plain-text formats do not record the kind; labelled spans read back as segments
    return a;
}

}  // namespace

TEST(ClassValues, EachWindowsProbabilityOverTheTimeItSpeaksFor) {
    const auto values = classValues(fourWindows(), 4.25);
    ASSERT_EQ(values.size(), 3u);
    const std::vector<std::pair<double, double>> spans{{0, 1.5}, {1.5, 2.5}, {2.5, 3.5}, {3.5, 4.25}};
    for (std::size_t k = 0; k < 3; ++k) {
        EXPECT_EQ(values[k].kind, Kind::Tag);
        ASSERT_EQ(values[k].events.size(), 4u);
        for (std::size_t w = 0; w < 4; ++w) {
            const auto& e = values[k].events[w];
            EXPECT_DOUBLE_EQ(e.time, spans[w].first);
            EXPECT_DOUBLE_EQ(e.time + e.duration, spans[w].second);
            EXPECT_EQ(e.label, fourWindows().labels[k]);
            EXPECT_EQ(e.value, double(fourWindows().probabilities[w][k]));
        }
    }
    // Without the audio's length the last window's own end closes the track.
    EXPECT_DOUBLE_EQ(classValues(fourWindows())[0].events.back().duration, 1.5);
    // A binary task's one output: one layer.
    const WindowScores binary{.labels = {"noise"}, .startSeconds = {0, 1}, .windowSeconds = 2, .probabilities = {{0.9f}, {0.2f}}};
    EXPECT_EQ(classValues(binary).size(), 1u);
    WindowScores broken = fourWindows();
    broken.probabilities[2].pop_back();
    EXPECT_THROW(classValues(broken), Error);
}

TEST(ClassValues, TimelineLayersRoundTripThroughEveryFormat) {
    const auto dir = test::freshDir("annotations-layers");
    std::vector<NamedLayer> layers{{"top", topLabelSegments(fourWindows(), 4.25)}};
    for (auto& a : classValues(fourWindows(), 4.25)) layers.push_back({"p " + a.events[0].label, a});

    // JAMS: one document, every layer, kinds and values kept.
    const auto jams = writeAnnotationLayers(dir / "song.jams", layers, Format::Jams, {.duration = 4.25, .title = "song"});
    ASSERT_EQ(jams, std::vector<fs::path>{dir / "song.jams"});
    const auto back = readAnnotationFile(dir / "song.jams");
    ASSERT_EQ(back.size(), layers.size());
    for (std::size_t i = 0; i < layers.size(); ++i) EXPECT_EQ(back[i], layers[i].annotation) << layers[i].name;

    // One layer per file: song.csv, then song.p_rock.csv ... beside it.
    const auto csv = writeAnnotationLayers(dir / "song.csv", layers, Format::SvCsv);
    ASSERT_EQ(csv.size(), layers.size());
    EXPECT_EQ(csv[1], dir / "song.p_rock.csv");
    for (std::size_t i = 0; i < layers.size(); ++i)
        EXPECT_EQ(readAnnotationFile(csv[i]).at(0), asSegments(layers[i].annotation)) << csv[i];
    const auto txt = writeAnnotationLayers(dir / "song.txt", layers, Format::Audacity);
    ASSERT_EQ(txt.size(), layers.size());
    for (std::size_t i = 0; i < layers.size(); ++i)
        EXPECT_EQ(readAnnotationFile(txt[i]).at(0), withoutValues(asSegments(layers[i].annotation))) << txt[i];
    // .onsets holds times only: the first layer's.
    EXPECT_EQ(writeAnnotationLayers(dir / "song.onsets", layers, Format::Onsets).size(), 1u);
    EXPECT_THROW(writeAnnotationLayers(dir / "none.jams", {}, Format::Jams), Error);
}

TEST(SimilarityMarks, QueryAndNeighboursWithDistances) {
    const auto marks = similarityMarks("blues.00001.wav",
                                       {{.name = "blues.00042.wav", .distance = 0.25, .matchStart = 9.0, .matchDuration = 3.0},
                                        {.name = "jazz.00007.wav", .distance = 0.5},
                                        {.name = "Artist - Title", .distance = 1.75, .matchStart = 3.0, .matchDuration = 3.0}},
                                       30.0);
    EXPECT_EQ(marks.kind, Kind::Tag);
    // In time order; at one time, the query first, then by rank.
    const std::vector<Event> expected{{0, 30, "query: blues.00001.wav", 0.0},
                                      {0, 30, "2: jazz.00007.wav", 0.5},
                                      {3, 3, "3: Artist - Title", 1.75},
                                      {9, 3, "1: blues.00042.wav", 0.25}};
    EXPECT_EQ(marks.events, expected);

    const auto dir = test::freshDir("annotations-marks");
    writeAnnotationFile(dir / "marks.jams", {marks}, Format::Jams, {.duration = 30, .title = "blues.00001.wav"});
    EXPECT_EQ(readAnnotationFile(dir / "marks.jams"), std::vector<Annotation>{marks});
    writeAnnotationFile(dir / "marks.csv", {marks}, Format::SvCsv);
    EXPECT_EQ(readAnnotationFile(dir / "marks.csv").at(0), asSegments(marks));
    writeAnnotationFile(dir / "marks.txt", {marks}, Format::Audacity);
    EXPECT_EQ(readAnnotationFile(dir / "marks.txt").at(0), withoutValues(asSegments(marks)));

    // The JAMS schema's required fields (jams_schema.json): file_metadata.duration; per annotation namespace,
    // annotation_metadata, data, sandbox; per observation time, duration, value, confidence.
    std::ifstream in(dir / "marks.jams");
    const auto j = nlohmann::json::parse(in);
    EXPECT_EQ(j.at("file_metadata").at("duration"), 30.0);
    EXPECT_TRUE(j.at("sandbox").is_object());
    const auto& a = j.at("annotations").at(0);
    EXPECT_EQ(a.at("namespace"), "tag_open");
    EXPECT_TRUE(a.at("annotation_metadata").is_object());
    EXPECT_TRUE(a.at("sandbox").is_object());
    for (const auto& o : a.at("data"))
        for (const char* field : {"time", "duration", "value", "confidence"}) EXPECT_TRUE(o.contains(field)) << field;
    EXPECT_EQ(a["data"][3]["value"], "1: blues.00042.wav");
    EXPECT_EQ(a["data"][3]["confidence"], 0.25);
}
