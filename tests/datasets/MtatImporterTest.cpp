#include "Fixtures.h"
#include "core/datasets/CollectionStore.h"
#include "core/datasets/MtatImporter.h"
#include "core/library/TrackProbe.h"
#include "core/library/TrainingSet.h"

#include <gtest/gtest.h>

using namespace sonolab;
using namespace sonolab::datasets;
using library::LibraryDatabase;
using library::SplitPart;
namespace fs = std::filesystem;

namespace {

// MagnaTagAtune's published layout: tab-separated, every value in double quotes, clip_id first, mp3_path last.
struct MtatFixture {
    fs::path dir, audio, annotations;
    std::vector<std::string> paths;

    explicit MtatFixture(const std::string& name) {
        dir = test::freshDir(name);
        audio = dir / "audio";
        annotations = dir / "annotations_final.csv";
        const std::string ext = test::clipExtension();
        paths = {"0/artist_a-album-01-intro-0-29" + ext, "0/artist_a-album-01-intro-30-59" + ext,
                 "b/artist_b-disc-02-song-0-29" + ext,   "c/artist_c-live-03-jam-0-29" + ext,
                 "d/artist_d-best-04-hit-0-29" + ext,    "f/artist_f-last-05-end-0-29" + ext};
        for (std::size_t i = 0; i < paths.size(); ++i) test::writeClip(audio / paths[i], 200.0 + 50 * i);
    }

    // rows: clip_id, then tags (guitar, classical, vocals, no vocals), then mp3_path.
    std::string header() const { return "\"clip_id\"\t\"guitar\"\t\"classical\"\t\"vocals\"\t\"no vocals\"\t\"mp3_path\"\n"; }
    std::string row(int id, const std::string& tags, std::size_t path) const {
        std::string out = "\"" + std::to_string(id) + "\"";
        for (char t : tags) out += "\t\"" + std::string(1, t) + "\"";
        return out + "\t\"" + paths[path] + "\"\n";
    }
    std::string goodRows() const {
        return row(2, "1010", 0) + row(6, "1010", 1) + row(10, "0101", 2) + row(11, "0100", 3) + row(15, "1001", 4) +
               row(20, "0010", 5);
    }
    // Imports the annotations into `db` expecting a refusal, and returns the refused import's report.
    ImportReport refusedImport(LibraryDatabase& db) const {
        try {
            importMtat(db, annotations, {.audioRoot = audio});
        } catch (const ImportError& e) {
            return e.report();
        }
        ADD_FAILURE() << "the import was not refused";
        return {};
    }
};

}  // namespace

TEST(MtatImporter, StandardSplitRuleByFirstFolder) {
    EXPECT_EQ(mtatPart("0/x.mp3"), SplitPart::Train);
    EXPECT_EQ(mtatPart("9/x.mp3"), SplitPart::Train);
    EXPECT_EQ(mtatPart("a/x.mp3"), SplitPart::Train);
    EXPECT_EQ(mtatPart("b/x.mp3"), SplitPart::Train);
    EXPECT_EQ(mtatPart("c/x.mp3"), SplitPart::Validation);
    EXPECT_EQ(mtatPart("d/x.mp3"), SplitPart::Test);
    EXPECT_EQ(mtatPart("e/x.mp3"), SplitPart::Test);
    EXPECT_EQ(mtatPart("f/x.mp3"), SplitPart::Test);
    EXPECT_FALSE(mtatPart("g/x.mp3"));
    EXPECT_FALSE(mtatPart("ab/x.mp3"));
    EXPECT_FALSE(mtatPart("x.mp3"));
}

TEST(MtatImporter, ImportsTagsSplitClipInfoAndProbedAudio) {
    MtatFixture f("mtat_good");
    test::writeText(f.annotations, f.header() + f.goodRows());
    test::writeText(f.dir / "clip_info_final.csv",
                    "\"clip_id\"\t\"track_number\"\t\"title\"\t\"artist\"\t\"album\"\t\"url\"\t\"segmentStart\"\t"
                    "\"segmentEnd\"\t\"original_url\"\t\"mp3_path\"\n"
                    "\"2\"\t\"1\"\t\"Intro\"\t\"Artist A\"\t\"Album\"\t\"u\"\t\"0\"\t\"29\"\t\"o\"\t\"" + f.paths[0] + "\"\n");
    LibraryDatabase db(f.dir / "lib.sqlite");
    const auto report = importMtat(db, f.annotations, {.audioRoot = f.audio});
    EXPECT_FALSE(report.hasErrors());
    EXPECT_EQ(report.clips, 6u);
    EXPECT_EQ(report.tracksAdded, 6u);
    EXPECT_EQ(report.positives, 10u);
    EXPECT_EQ(db.trackCount(), 6);
    const auto info = db.labelSet("mtat");
    ASSERT_TRUE(info);
    EXPECT_EQ(info->kind, library::LabelKind::Multi);
    EXPECT_EQ(info->classes, (std::vector<std::string>{"guitar", "classical", "vocals", "no vocals"}));
    EXPECT_EQ(info->trackCount, 6);
    EXPECT_EQ(db.labelCounts("mtat"),
              (std::vector<std::pair<std::string, std::int64_t>>{{"guitar", 3}, {"classical", 2}, {"vocals", 3}, {"no vocals", 2}}));

    // The standard split: 0 and b train, c validation, d and f test.
    const auto split = db.split("mtat");
    ASSERT_EQ(split.size(), 6u);
    std::map<std::string, SplitPart> byFile;
    for (const auto& a : split) byFile[fs::path(db.track(a.track)->path).parent_path().filename().string()] = a.part;
    EXPECT_EQ(byFile["0"], SplitPart::Train);
    EXPECT_EQ(byFile["b"], SplitPart::Train);
    EXPECT_EQ(byFile["c"], SplitPart::Validation);
    EXPECT_EQ(byFile["d"], SplitPart::Test);
    EXPECT_EQ(byFile["f"], SplitPart::Test);

    const auto first = db.trackByPath(library::libraryPath(f.audio / f.paths[0]));
    ASSERT_TRUE(first);
    EXPECT_EQ(first->title, "Intro");
    EXPECT_EQ(first->artist, "Artist A");
    EXPECT_NEAR(first->durationSeconds, 0.3, 0.15);  // the probe's estimate includes encoder padding
    EXPECT_EQ(first->sampleRate, 16000);

    const auto set = library::loadTrainingSet(db, "binary:vocals", "mtat");
    EXPECT_EQ(set.examples.size(), 6u);
    EXPECT_EQ(set.part("test").size(), 2u);
}

TEST(MtatImporter, GroupColumnGivesGroups) {
    MtatFixture f("mtat_group");
    std::string text = "\"clip_id\"\t\"guitar\"\t\"piano\"\t\"mp3_path\"\t\"source\"\n";
    for (std::size_t i = 0; i < 4; ++i)
        text += "\"" + std::to_string(i) + "\"\t\"1\"\t\"0\"\t\"" + f.paths[i] + "\"\t\"song" + std::to_string(i / 2) + "\"\n";
    test::writeText(f.annotations, text);
    LibraryDatabase db(f.dir / "lib.sqlite");
    importMtat(db, f.annotations, {.audioRoot = f.audio, .groupColumn = "source"});
    EXPECT_EQ(db.labelSet("mtat")->classes, (std::vector<std::string>{"guitar", "piano"}));
    EXPECT_EQ(db.groups(), (std::vector<std::string>{"song0", "song1"}));
    EXPECT_EQ(db.trackByPath(library::libraryPath(f.audio / f.paths[3]))->group, "song1");
}

TEST(MtatImporter, MalformedLinesAreReportedWithNumberAndContentAndNothingIsWritten) {
    MtatFixture f("mtat_malformed");
    const std::string shortRow = "\"7\"\t\"1\"\t\"0\"\t\"" + f.paths[1] + "\"\n";               // line 3: 4 fields
    const std::string badValue = "\"8\"\t\"1\"\t\"yes\"\t\"0\"\t\"0\"\t\"" + f.paths[2] + "\"\n";  // line 4
    const std::string openQuote = "\"9\"\t\"1\"\t\"0\"\t\"0\"\t\"0\"\t\"" + f.paths[3] + "\n";    // line 5
    test::writeText(f.annotations, f.header() + f.row(2, "1010", 0) + shortRow + badValue + openQuote);
    LibraryDatabase db(f.dir / "lib.sqlite");
    try {
        importMtat(db, f.annotations, {.audioRoot = f.audio});
        FAIL() << "a malformed file was imported";
    } catch (const ImportError& e) {
        const auto& m = e.report().malformed;
        ASSERT_EQ(m.size(), 3u);
        EXPECT_EQ(m[0].line, 3u);
        EXPECT_EQ(m[0].content + "\n", shortRow);
        EXPECT_NE(m[0].problem.find("expected 6 fields, found 4"), std::string::npos);
        EXPECT_EQ(m[1].line, 4u);
        EXPECT_NE(m[1].problem.find("'classical' has value 'yes'"), std::string::npos);
        EXPECT_EQ(m[2].line, 5u);
        EXPECT_NE(m[2].problem.find("quote"), std::string::npos);
        const std::string what = e.what();
        EXPECT_NE(what.find(f.annotations.string() + ":3:"), std::string::npos) << what;
        EXPECT_NE(what.find("nothing was written"), std::string::npos);
    }
    EXPECT_EQ(db.trackCount(), 0);
    EXPECT_TRUE(db.labelSets().empty());
    EXPECT_TRUE(db.splits().empty());
}

TEST(MtatImporter, MissingAudioIsListedAndRefusedUnlessSkipped) {
    MtatFixture f("mtat_missing");
    fs::remove(f.audio / f.paths[4]);
    fs::remove(f.audio / f.paths[5]);
    test::writeText(f.annotations, f.header() + f.goodRows());
    LibraryDatabase db(f.dir / "lib.sqlite");
    const auto refused = f.refusedImport(db);
    ASSERT_EQ(refused.missingFiles.size(), 2u);
    EXPECT_EQ(refused.missingFiles[0], (f.audio / f.paths[4]).string());
    EXPECT_EQ(db.trackCount(), 0);
    const auto report = importMtat(db, f.annotations, {.audioRoot = f.audio}, {.skipMissing = true});
    EXPECT_EQ(report.clips, 4u);
    EXPECT_EQ(report.missingFiles.size(), 2u);
    EXPECT_EQ(db.trackCount(), 4);
}

TEST(MtatImporter, DuplicatesAreReported) {
    MtatFixture f("mtat_dupes");
    test::writeText(f.annotations, f.header() + f.row(2, "1010", 0) + f.row(3, "1010", 1) + f.row(2, "0001", 2) +
                                       f.row(4, "0001", 0));
    LibraryDatabase db(f.dir / "lib.sqlite");
    const auto report = f.refusedImport(db);
    const auto& d = report.duplicates;
    ASSERT_EQ(d.size(), 2u);
    EXPECT_NE(d[0].find("line 4: '2' repeats line 2"), std::string::npos) << d[0];
    EXPECT_NE(d[1].find("line 5"), std::string::npos) << d[1];
    EXPECT_NE(d[1].find("also named on line 2"), std::string::npos) << d[1];
    EXPECT_EQ(db.trackCount(), 0);
}

TEST(MtatImporter, UnreadableAudioIsRefused) {
    MtatFixture f("mtat_unreadable");
    test::writeText(f.audio / f.paths[3], "not audio at all, only text that pretends to be a clip");
    test::writeText(f.annotations, f.header() + f.goodRows());
    LibraryDatabase db(f.dir / "lib.sqlite");
    const auto report = f.refusedImport(db);
    ASSERT_EQ(report.unreadable.size(), 1u);
    EXPECT_NE(report.unreadable[0].path.find("artist_c"), std::string::npos);
    EXPECT_EQ(db.trackCount(), 0);
}

TEST(MtatImporter, WrongHeaderAndExistingLabelSet) {
    MtatFixture f("mtat_header");
    test::writeText(f.annotations, "\"id\"\t\"guitar\"\t\"path\"\n\"1\"\t\"1\"\t\"" + f.paths[0] + "\"\n");
    LibraryDatabase db(f.dir / "lib.sqlite");
    EXPECT_THROW(importMtat(db, f.annotations, {.audioRoot = f.audio}), Error);
    test::writeText(f.annotations, f.header() + f.goodRows());
    importMtat(db, f.annotations, {.audioRoot = f.audio});
    EXPECT_THROW(importMtat(db, f.annotations, {.audioRoot = f.audio}), Error);
    const auto again = importMtat(db, f.annotations, {.audioRoot = f.audio}, {.replace = true});
    EXPECT_EQ(again.tracksReused, 6u);  // unchanged files are not probed again
    EXPECT_EQ(db.trackCount(), 6);
}
