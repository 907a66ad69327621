#include "Fixtures.h"
#include "core/datasets/CollectionStore.h"
#include "core/library/TrackProbe.h"
#include "core/library/TrainingSet.h"

#include <gtest/gtest.h>

using namespace sonolab;
using namespace sonolab::datasets;
using library::LabelKind;
using library::LibraryDatabase;
namespace fs = std::filesystem;

TEST(FolderImporter, OneFolderPerClassAsGtzan) {
    const auto dir = test::freshDir("folders_gtzan");
    const auto root = dir / "music_speech";
    test::writeClip(root / "music" / "echoes.wav", 300);
    test::writeClip(root / "music" / "bagpipe.wav", 310);
    test::writeClip(root / "speech" / "greek1.wav", 320);
    test::writeClip(root / "speech" / "nested" / "comedy.wav", 330);
    test::writeClip(root / "stray.wav", 340);
    test::writeText(root / "speech" / "README.txt", "not audio");
    LibraryDatabase db(dir / "lib.sqlite");
    const auto report = importClassFolders(db, root);
    EXPECT_EQ(report.clips, 4u);
    ASSERT_EQ(report.skipped.size(), 1u);
    EXPECT_NE(report.skipped[0].find("stray.wav"), std::string::npos);
    const auto info = db.labelSet("music_speech");
    ASSERT_TRUE(info);
    EXPECT_EQ(info->kind, LabelKind::Single);
    EXPECT_EQ(info->classes, (std::vector<std::string>{"music", "speech"}));
    EXPECT_EQ(db.labelCounts("music_speech"),
              (std::vector<std::pair<std::string, std::int64_t>>{{"music", 2}, {"speech", 2}}));
    const auto comedy = db.trackByPath(library::libraryPath(root / "speech" / "nested" / "comedy.wav"));
    ASSERT_TRUE(comedy);
    ASSERT_EQ(db.labelsOfTrack(comedy->id).size(), 1u);
    EXPECT_EQ(db.labelsOfTrack(comedy->id)[0].label, "speech");
    EXPECT_TRUE(db.splits().empty());  // GTZAN has no split of its own
    const auto set = library::loadTrainingSet(db, "binary:speech", "");
    EXPECT_EQ(set.examples.size(), 4u);
}

TEST(FolderImporter, FolderWithoutClassFoldersIsAnError) {
    const auto dir = test::freshDir("folders_flat");
    test::writeClip(dir / "flat" / "a.wav", 300);
    LibraryDatabase db(dir / "lib.sqlite");
    EXPECT_THROW(importClassFolders(db, dir / "flat"), Error);
    EXPECT_THROW(importClassFolders(db, dir / "missing"), Error);
}

TEST(CsvImporter, GtzanFileListWithoutHeader) {
    const auto dir = test::freshDir("csv_gtzan");
    test::writeClip(dir / "music" / "echoes.wav", 300);
    test::writeClip(dir / "speech" / "greek1.wav", 310);
    test::writeText(dir / "filelist_wav_relpath_wclasses.txt", "music/echoes.wav\tmusic\nspeech/greek1.wav\tspeech\n");
    LibraryDatabase db(dir / "lib.sqlite");
    const auto report = importCsv(db, dir / "filelist_wav_relpath_wclasses.txt", {.labelSetName = "gtzan"});
    EXPECT_EQ(report.clips, 2u);
    EXPECT_EQ(db.labelSet("gtzan")->kind, LabelKind::Single);
    EXPECT_EQ(db.labelSet("gtzan")->classes, (std::vector<std::string>{"music", "speech"}));
}

TEST(CsvImporter, LabelColumnGroupColumnAndMetadata) {
    const auto dir = test::freshDir("csv_labels");
    test::writeClip(dir / "audio" / "a.wav", 300);
    test::writeClip(dir / "audio" / "b.wav", 310);
    test::writeClip(dir / "audio" / "c.wav", 320);
    test::writeText(dir / "labels.csv",
                    "file,genre,source,title\n"
                    "a.wav,rock,album1,\"First, with comma\"\n"
                    "b.wav,jazz,album1,Second\n"
                    "c.wav,rock,album2,Third\n");
    LibraryDatabase db(dir / "lib.sqlite");
    importCsv(db, dir / "labels.csv", {.audioRoot = dir / "audio", .groupColumn = "source"});
    const auto info = db.labelSet("labels");
    ASSERT_TRUE(info);
    EXPECT_EQ(info->classes, (std::vector<std::string>{"jazz", "rock"}));
    const auto a = db.trackByPath(library::libraryPath(dir / "audio" / "a.wav"));
    EXPECT_EQ(a->title, "First, with comma");
    EXPECT_EQ(a->group, "album1");
    EXPECT_EQ(db.groups().size(), 2u);
    EXPECT_THROW(importCsv(db, dir / "labels.csv", {.groupColumn = "nope", .labelSetName = "other"}), Error);
}

TEST(CsvImporter, TagColumnsAndMultiValuedLabels) {
    const auto dir = test::freshDir("csv_tags");
    test::writeClip(dir / "a.wav", 300);
    test::writeClip(dir / "b.wav", 310);
    test::writeText(dir / "tags.tsv", "path\tclip_id\tloud\tquiet\tsoft\na.wav\t1\t1\t0\t1\nb.wav\t2\t0\t1\t0\n");
    test::writeText(dir / "moods.csv", "path,labels\na.wav,loud;soft\nb.wav,quiet\n");
    LibraryDatabase db(dir / "lib.sqlite");
    importCsv(db, dir / "tags.tsv");
    EXPECT_EQ(db.labelSet("tags")->kind, LabelKind::Multi);
    EXPECT_EQ(db.labelSet("tags")->classes, (std::vector<std::string>{"loud", "quiet", "soft"}));
    EXPECT_EQ(db.labelCounts("tags"),
              (std::vector<std::pair<std::string, std::int64_t>>{{"loud", 1}, {"quiet", 1}, {"soft", 1}}));
    importCsv(db, dir / "moods.csv");
    EXPECT_EQ(db.labelSet("moods")->kind, LabelKind::Multi);
    EXPECT_EQ(db.trackCount(), 2);  // the same files: no new tracks
    const auto set = library::loadTrainingSet(db, "multi:loud,soft@moods", "");
    ASSERT_EQ(set.examples.size(), 1u);
    EXPECT_EQ(set.examples[0].labels, (std::vector<float>{1, 1}));
}

TEST(CsvImporter, MalformedDuplicateAndMissingRowsRefuseTheImport) {
    const auto dir = test::freshDir("csv_bad");
    test::writeClip(dir / "a.wav", 300);
    test::writeClip(dir / "b.wav", 310);
    test::writeText(dir / "bad.csv",
                    "path,label\n"
                    "a.wav,rock\n"
                    "b.wav,jazz,extra\n"   // line 3
                    "a.wav,pop\n"          // line 4: duplicate
                    "gone.wav,rock\n"      // line 5: missing
                    "b.wav,\n");           // line 6: empty label
    LibraryDatabase db(dir / "lib.sqlite");
    try {
        importCsv(db, dir / "bad.csv");
        FAIL();
    } catch (const ImportError& e) {
        const auto& r = e.report();
        ASSERT_EQ(r.malformed.size(), 2u);
        EXPECT_EQ(r.malformed[0].line, 3u);
        EXPECT_EQ(r.malformed[0].content, "b.wav,jazz,extra");
        EXPECT_EQ(r.malformed[1].line, 6u);
        EXPECT_EQ(r.malformed[1].problem, "empty label");
        ASSERT_EQ(r.duplicates.size(), 1u);
        EXPECT_NE(r.duplicates[0].find("line 4"), std::string::npos);
        ASSERT_EQ(r.missingFiles.size(), 1u);
        EXPECT_NE(r.missingFiles[0].find("gone.wav"), std::string::npos);
    }
    EXPECT_EQ(db.trackCount(), 0);
    EXPECT_TRUE(db.labelSets().empty());
}
