// A folder of audio with label files beside it (song.wav + song.jams / song.txt / song.csv) becomes a labelled data
// set through the one folder importer: the labels are those the annotation readers find in each file.
#include "Fixtures.h"
#include "core/annotations/AnnotationFile.h"
#include "core/datasets/CollectionStore.h"
#include "core/library/TrackProbe.h"

#include <gtest/gtest.h>

using namespace sonolab;
using namespace sonolab::datasets;
using namespace sonolab::annotations;
using library::LabelKind;
using library::LibraryDatabase;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> labelsOf(LibraryDatabase& db, const fs::path& file) {
    const auto track = db.trackByPath(library::libraryPath(file));
    if (!track) return {};
    std::vector<std::string> out;
    for (const auto& l : db.labelsOfTrack(track->id))
        if (l.value > 0.5) out.push_back(l.label);
    std::sort(out.begin(), out.end());
    return out;
}

Annotation tags(std::vector<Event> events, Kind kind = Kind::Tag) { return {.kind = kind, .events = std::move(events)}; }

}  // namespace

TEST(LabelFilesImporter, AudioWithLabelFilesBesideIt) {
    const auto dir = test::freshDir("label_files");
    const auto root = dir / "songs";
    test::writeClip(root / "a.wav", 300);
    writeAnnotationFile(root / "a.txt", {tags({{0, 1, "rock", {}}, {1, 0.5, "guitar", {}}, {1.5, 0.5, "rock", {}}})},
                        Format::Audacity);
    test::writeClip(root / "b.wav", 310);
    // JAMS: the tag namespace gives labels; the onset annotation's values do not.
    writeAnnotationFile(root / "b.jams",
                        {tags({{0, 2, "jazz", 0.9}}), tags({{0.5, 0, "click", {}}}, Kind::Onset)}, Format::Jams,
                        {.duration = 2});
    test::writeClip(root / "c.wav", 320);
    writeAnnotationFile(root / "c.csv", {tags({{0, 2, "rock", 1.0}})}, Format::SvCsv);
    test::writeClip(root / "nested" / "e.wav", 330);
    writeAnnotationFile(root / "nested" / "e.txt", {tags({{0.7, 0, "jazz", {}}})}, Format::Audacity);
    test::writeClip(root / "d.wav", 340);  // no label file: skipped, said so

    LibraryDatabase db(dir / "lib.sqlite");
    const auto report = importClassFolders(db, root);
    EXPECT_EQ(report.clips, 4u);
    ASSERT_EQ(report.skipped.size(), 1u);
    EXPECT_NE(report.skipped[0].find("d.wav"), std::string::npos);
    const auto info = db.labelSet("songs");
    ASSERT_TRUE(info);
    EXPECT_EQ(info->kind, LabelKind::Multi);  // a.wav has two labels
    EXPECT_EQ(info->classes, (std::vector<std::string>{"guitar", "jazz", "rock"}));
    EXPECT_EQ(labelsOf(db, root / "a.wav"), (std::vector<std::string>{"guitar", "rock"}));
    EXPECT_EQ(labelsOf(db, root / "b.wav"), (std::vector<std::string>{"jazz"}));
    EXPECT_EQ(labelsOf(db, root / "c.wav"), (std::vector<std::string>{"rock"}));
    EXPECT_EQ(labelsOf(db, root / "nested" / "e.wav"), (std::vector<std::string>{"jazz"}));
    EXPECT_TRUE(labelsOf(db, root / "d.wav").empty());
}

TEST(LabelFilesImporter, OneLabelPerTrackIsSingleLabel) {
    const auto dir = test::freshDir("label_files_single");
    const auto root = dir / "speech_music";
    test::writeClip(root / "x.wav", 300);
    writeAnnotationFile(root / "x.jams", {tags({{0, 2, "speech", {}}})}, Format::Jams, {.duration = 2});
    test::writeClip(root / "y.wav", 310);
    writeAnnotationFile(root / "y.txt", {tags({{0, 1, "music", {}}, {1, 1, "music", {}}})}, Format::Audacity);
    LibraryDatabase db(dir / "lib.sqlite");
    importClassFolders(db, root, {.labelSetName = "sm"});
    const auto info = db.labelSet("sm");
    ASSERT_TRUE(info);
    EXPECT_EQ(info->kind, LabelKind::Single);
    EXPECT_EQ(db.labelCounts("sm"), (std::vector<std::pair<std::string, std::int64_t>>{{"music", 1}, {"speech", 1}}));
}

TEST(LabelFilesImporter, AMalformedLabelFileRefusesTheImportAndNamesIt) {
    const auto dir = test::freshDir("label_files_bad");
    const auto root = dir / "songs";
    test::writeClip(root / "a.wav", 300);
    writeAnnotationFile(root / "a.txt", {tags({{0, 1, "rock", {}}})}, Format::Audacity);
    test::writeClip(root / "b.wav", 310);
    test::writeText(root / "b.jams", "{\"annotations\": [");
    LibraryDatabase db(dir / "lib.sqlite");
    try {
        importClassFolders(db, root);
        FAIL() << "imported a folder with a malformed label file";
    } catch (const ImportError& e) {
        EXPECT_NE(std::string(e.what()).find("b.jams"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(db.labelSet("songs"));  // nothing written
    // Told to read class folders, the same folder (which has none) is refused as before.
    EXPECT_THROW(importClassFolders(db, root, {.layout = FolderLayout::ClassFolders}), Error);
}
