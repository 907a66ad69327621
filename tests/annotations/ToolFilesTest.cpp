// Files as the tools write them, typed out here byte for byte: Audacity 3.2's Export Labels, Sonic Visualiser 4.5's
// Export Annotation Layer (comma, tab, with and without its header row), JAMS as the jams package saves it; and bad
// files, whose errors must name the file and the line.
#include "core/annotations/AnnotationFile.h"
#include "core/annotations/AudacityLabels.h"
#include "core/annotations/Jams.h"
#include "core/annotations/OnsetsFile.h"
#include "core/annotations/SvCsv.h"
#include "core/util/Error.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <functional>

using namespace sonolab;
using namespace sonolab::annotations;
namespace fs = std::filesystem;

namespace {

fs::path writeText(const fs::path& dir, const std::string& name, const std::string& text) {
    const fs::path p = dir / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
}

// The error `read` throws, or a failure when it throws none.
std::string errorOf(const std::function<void()>& read) {
    try {
        read();
    } catch (const Error& e) {
        return e.what();
    }
    ADD_FAILURE() << "no error thrown";
    return {};
}

}  // namespace

TEST(ToolFiles, Audacity32LabelExport) {
    // A point label, a region label with spaces in its text, a region with a spectral selection (its "\" line), and
    // a label with no text, as Audacity 3.2 writes them (6 decimals, tab-separated, LF).
    const std::string text =
        "0.500000\t0.500000\tclap\n"
        "1.250000\t2.750000\tverse one\n"
        "3.000000\t4.500000\tbird\n"
        "\\\t2000.000000\t8000.000000\n"
        "6.125000\t6.125000\t\n";
    const auto a = parseAudacityLabels(text, "labels.txt");
    ASSERT_EQ(a.events.size(), 4u);
    EXPECT_EQ(a.events[0], (Event{.time = 0.5, .duration = 0, .label = "clap"}));
    EXPECT_EQ(a.events[1], (Event{.time = 1.25, .duration = 1.5, .label = "verse one"}));
    EXPECT_EQ(a.events[2], (Event{.time = 3.0, .duration = 1.5, .label = "bird"}));
    EXPECT_EQ(a.events[3], (Event{.time = 6.125}));
    EXPECT_EQ(a.kind, Kind::Segment);
    // What we write is what Audacity writes for the same labels (the frequency line aside).
    EXPECT_EQ(formatAudacityLabels(a), "0.500000\t0.500000\tclap\n1.250000\t2.750000\tverse one\n"
                                       "3.000000\t4.500000\tbird\n6.125000\t6.125000\t\n");
    // Audacity's importer also takes "START\tTEXT", a decimal comma, and CRLF files.
    const auto loose = parseAudacityLabels("0,25\tbeat\r\n1.5\r\n", "loose.txt");
    ASSERT_EQ(loose.events.size(), 2u);
    EXPECT_EQ(loose.events[0], (Event{.time = 0.25, .label = "beat"}));
    EXPECT_EQ(loose.events[1], (Event{.time = 1.5}));
    EXPECT_EQ(loose.kind, Kind::Onset);
}

TEST(ToolFiles, SonicVisualiser45LayerExports) {
    // Time instants layer (onsets from a plugin: no labels), as File > Export Annotation Layer writes it.
    const auto instants = parseSvCsv("0.023219955\n0.510839002\n1.021678004\n", "instants.csv");
    ASSERT_EQ(instants.events.size(), 3u);
    EXPECT_DOUBLE_EQ(instants.events[1].time, 0.510839002);
    EXPECT_FALSE(instants.events[1].value);
    EXPECT_EQ(instants.kind, Kind::Onset);
    // Time instants with labels, some numeric (bar counts), some text.
    const auto counted = parseSvCsv("0.500000000,1\n1.000000000,2\n1.500000000,New Point\n", "counted.csv");
    EXPECT_EQ(counted.events[0].label, "1");
    EXPECT_FALSE(counted.events[0].value);
    EXPECT_EQ(counted.events[2].label, "New Point");
    // Time-value layer: TIME,VALUE (SV writes values as Qt prints floats).
    const auto values = parseSvCsv("0.011609977,0.0342\n0.023219955,1e-05\n", "values.csv");
    EXPECT_EQ(values.events[1].value, 1e-05);
    EXPECT_TRUE(values.events[1].label.empty());
    // Region layer: TIME,VALUE,DURATION,LABEL; a label holding a comma comes quoted.
    const auto regions = parseSvCsv(
        "0.000000000,0,12.500000000,Intro\n12.500000000,1,30.250000000,\"Verse, first\"\n42.750000000,2,5.000000000\n",
        "regions.csv");
    ASSERT_EQ(regions.events.size(), 3u);
    EXPECT_EQ(regions.events[1], (Event{.time = 12.5, .duration = 30.25, .label = "Verse, first", .value = 1.0}));
    EXPECT_EQ(regions.events[2], (Event{.time = 42.75, .duration = 5.0, .label = "", .value = 2.0}));
    EXPECT_EQ(regions.kind, Kind::Segment);
    // Note layer: TIME,VALUE,DURATION,LEVEL,LABEL (the level is not kept), tab-separated.
    const auto notes = parseSvCsv("0.500000000\t440\t0.250000000\t0.8\tA4\n", "notes.tsv");
    EXPECT_EQ(notes.events[0], (Event{.time = 0.5, .duration = 0.25, .label = "A4", .value = 440.0}));
    // With SV's "include a header row" option, columns by name.
    const auto headed = parseSvCsv("TIME,VALUE,DURATION,LABEL\n1.000000000,0.5,2.000000000,4\n", "headed.csv");
    EXPECT_EQ(headed.events[0], (Event{.time = 1.0, .duration = 2.0, .label = "4", .value = 0.5}));
    // Our region output is byte for byte SV's.
    EXPECT_EQ(formatSvCsv(regions), "0.000000000,0,12.500000000,Intro\n12.500000000,1,30.250000000,\"Verse, first\"\n"
                                    "42.750000000,2,5.000000000\n");
    EXPECT_EQ(formatSvCsv(instants), "0.023219955\n0.510839002\n1.021678004\n");
    EXPECT_EQ(errorOf([] { parseSvCsv("FRAME,VALUE\n1024,3\n", "frames.csv"); }).find("frames.csv: line 1"), 0u);
}

TEST(ToolFiles, JamsAsTheJamsPackageSavesIt) {
    const std::string text = R"({
 "annotations": [
  {"annotation_metadata": {"curator": {"name": "", "email": ""}, "annotator": {}, "version": "", "corpus": "",
     "annotation_tools": "", "annotation_rules": "", "validation": "", "data_source": ""},
   "namespace": "beat",
   "data": [{"time": 0.5, "duration": 0.0, "value": 1, "confidence": null},
            {"time": 1.0, "duration": 0.0, "value": null, "confidence": null}],
   "sandbox": {}, "time": 0, "duration": null},
  {"annotation_metadata": {"curator": {"name": "", "email": ""}, "annotator": {}, "version": "", "corpus": "",
     "annotation_tools": "", "annotation_rules": "", "validation": "", "data_source": ""},
   "namespace": "chord", "data": [{"time": 0.0, "duration": 2.0, "value": "C:maj", "confidence": 1.0}],
   "sandbox": {}, "time": 0, "duration": null},
  {"annotation_metadata": {"curator": {"name": "", "email": ""}, "annotator": {}, "version": "", "corpus": "",
     "annotation_tools": "", "annotation_rules": "", "validation": "", "data_source": ""},
   "namespace": "segment_salami_function",
   "data": [{"time": 2.0, "duration": 8.5, "value": "chorus", "confidence": 0.9},
            {"time": 0.0, "duration": 2.0, "value": "intro", "confidence": null}],
   "sandbox": {}, "time": 0, "duration": null},
  {"annotation_metadata": {"curator": {"name": "", "email": ""}, "annotator": {}, "version": "", "corpus": "",
     "annotation_tools": "", "annotation_rules": "", "validation": "", "data_source": ""},
   "namespace": "onset",
   "data": {"time": [0.25, 0.75], "duration": [0.0, 0.0], "value": [null, null], "confidence": [null, null]},
   "sandbox": {}, "time": 0, "duration": null}
 ],
 "file_metadata": {"title": "take 1", "artist": "", "release": "", "duration": 10.5, "identifiers": {},
                   "jams_version": "0.3.4"},
 "sandbox": {}
})";
    const auto doc = parseJams(text, "take1.jams");
    EXPECT_EQ(doc.duration, 10.5);
    EXPECT_EQ(doc.title, "take 1");
    ASSERT_EQ(doc.annotations.size(), 3u);  // the chord annotation is skipped
    EXPECT_EQ(doc.annotations[0].kind, Kind::Beat);
    EXPECT_EQ(doc.annotations[0].events[0], (Event{.time = 0.5, .value = 1.0}));
    EXPECT_EQ(doc.annotations[0].events[1], (Event{.time = 1.0}));
    EXPECT_EQ(doc.annotations[1].kind, Kind::Segment);
    EXPECT_EQ(doc.annotations[1].events[0], (Event{.time = 0.0, .duration = 2.0, .label = "intro"}));  // time order
    EXPECT_EQ(doc.annotations[1].events[1], (Event{.time = 2.0, .duration = 8.5, .label = "chorus", .value = 0.9}));
    EXPECT_EQ(doc.annotations[2].kind, Kind::Onset);  // dense layout (jams < 0.3)
    EXPECT_EQ(doc.annotations[2].events.size(), 2u);
    // Onset ground truth prefers the onset annotation over beats.
    const auto dir = test::freshDir("annotations-jams-onsets");
    EXPECT_EQ(readOnsetTimes(writeText(dir, "take1.jams", text)), (std::vector<double>{0.25, 0.75}));
}

TEST(ToolFiles, OurJamsHasTheSchemasRequiredFields) {
    const Annotation tags{.kind = Kind::Tag, .events = {{.time = 0, .duration = 1.5, .label = "rock", .value = 0.75}}};
    const std::vector<Annotation> annotations{instants({0.5, 1.0}), tags,
                                              {.kind = Kind::Beat, .events = {{.time = 0.5, .value = 1.0}}},
                                              {.kind = Kind::Segment, .events = {{.time = 0, .duration = 3, .label = "A"}}}};
    const auto j = nlohmann::json::parse(formatJams({.duration = 3.25, .title = "x", .annotations = annotations}, "test"));
    // jams_schema.json: file_metadata.duration a number >= 0; annotations[] each with annotation_metadata, data,
    // namespace (required); every sparse observation with value, time, duration, confidence (required), time and
    // duration numbers >= 0; sandbox objects.
    ASSERT_TRUE(j.is_object());
    EXPECT_EQ(j.at("file_metadata").at("duration"), 3.25);
    EXPECT_TRUE(j.at("file_metadata").at("jams_version").is_string());
    EXPECT_TRUE(j.at("sandbox").is_object());
    ASSERT_EQ(j.at("annotations").size(), 4u);
    const std::vector<std::string> namespaces{"onset", "tag_open", "beat", "segment_open"};
    for (std::size_t i = 0; i < 4; ++i) {
        const auto& a = j["annotations"][i];
        EXPECT_EQ(a.at("namespace"), namespaces[i]);
        EXPECT_TRUE(a.at("annotation_metadata").is_object());
        EXPECT_EQ(a.at("annotation_metadata").at("annotation_tools"), "test");
        EXPECT_TRUE(a.at("annotation_metadata").at("curator").contains("name"));
        EXPECT_TRUE(a.at("annotation_metadata").at("curator").contains("email"));
        EXPECT_TRUE(a.at("sandbox").is_object());
        ASSERT_TRUE(a.at("data").is_array());
        for (const auto& o : a["data"]) {
            for (const char* field : {"time", "duration", "value", "confidence"}) EXPECT_TRUE(o.contains(field)) << field;
            EXPECT_TRUE(o["time"].is_number() && o["time"] >= 0);
            EXPECT_TRUE(o["duration"].is_number() && o["duration"] >= 0);
        }
    }
    // The namespaces' value types: beat number|null, tag_open and segment_open strings; a tag's probability is its
    // confidence.
    EXPECT_TRUE(j["annotations"][2]["data"][0]["value"].is_number());
    EXPECT_EQ(j["annotations"][1]["data"][0]["value"], "rock");
    EXPECT_EQ(j["annotations"][1]["data"][0]["confidence"], 0.75);
    EXPECT_EQ(j["annotations"][3]["data"][0]["value"], "A");
    EXPECT_TRUE(j["annotations"][0]["data"][0]["value"].is_null());
    // Without a duration, the end of the last event.
    const auto k = nlohmann::json::parse(formatJams({.annotations = {tags}}));
    EXPECT_EQ(k["file_metadata"]["duration"], 1.5);
}

TEST(ToolFiles, BadFilesNameTheFileAndLine) {
    const auto dir = test::freshDir("annotations-bad");
    auto error = [&](const std::string& name, const std::string& text) {
        const fs::path p = writeText(dir, name, text);
        return errorOf([&] { readAnnotationFile(p); });
    };
    std::string e = error("labels.txt", "0.5\t0.5\tok\nabc\t1.0\tx\n");
    EXPECT_NE(e.find("labels.txt: line 2"), std::string::npos) << e;
    e = error("ends-early.txt", "2.0\t1.0\tbackwards\n");
    EXPECT_NE(e.find("ends-early.txt: line 1"), std::string::npos) << e;
    e = error("layer.csv", "0.5,1,2.0,A\n1.0,x,2.0,B\n");
    EXPECT_NE(e.find("layer.csv: line 2"), std::string::npos) << e;
    e = error("quote.csv", "0.5,\"open\n");
    EXPECT_NE(e.find("quote.csv: line 1"), std::string::npos) << e;
    e = error("broken.jams", "{\n \"annotations\": [\n  {\"namespace\": \"onset\",, }\n ]\n}\n");
    EXPECT_NE(e.find("broken.jams"), std::string::npos) << e;
    EXPECT_NE(e.find("line 3"), std::string::npos) << e;
    e = error("notime.jams", R"({"annotations": [{"namespace": "onset", "data": [{"time": 1, "duration": 0},
        {"duration": 0, "value": null}]}]})");
    EXPECT_NE(e.find("notime.jams: annotations[0].data[1]: 'time' is missing"), std::string::npos) << e;
    e = error("chords.jams", R"({"annotations": [{"namespace": "chord", "data": []}]})");
    EXPECT_NE(e.find("chords.jams: holds no onset"), std::string::npos) << e;
    e = error("x.onsets", "0.5\nhello\n");
    EXPECT_NE(e.find("x.onsets: line 2"), std::string::npos) << e;
    e = error("x.wav", "RIFF");
    EXPECT_NE(e.find("x.wav: is not an annotation file"), std::string::npos) << e;
    EXPECT_NE(errorOf([&] { readAnnotationFile(dir / "missing.txt"); }).find("missing.txt"), std::string::npos);
}
