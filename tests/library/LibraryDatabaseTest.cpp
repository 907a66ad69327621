#include "core/library/LibraryDatabase.h"
#include "core/library/Sqlite.h"
#include "core/library/TrainingSet.h"
#include "core/util/Error.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <thread>

using namespace sonolab;
using namespace sonolab::library;
namespace fs = std::filesystem;

namespace {

TrackRecord makeTrack(const std::string& path, const std::string& group = {}) {
    TrackRecord r;
    r.path = path;
    r.contentHash = std::hash<std::string>{}(path);
    r.sizeBytes = 1234;
    r.durationSeconds = 30;
    r.format = "mp3";
    r.sampleRate = 22050;
    r.channels = 1;
    r.title = std::filesystem::path(path).stem().string();
    r.group = group;
    return r;
}

}  // namespace

TEST(LibraryDatabase, CreatesSchemaInWalModeAndKeepsDataAcrossReopen) {
    const auto dir = test::freshDir("library_reopen");
    const auto file = dir / "sub" / "lib.sqlite";
    TrackId id = 0;
    {
        LibraryDatabase db(file);
        EXPECT_EQ(db.schemaVersion(), LibraryDatabase::kSchemaVersion);
        id = db.upsertTrack(makeTrack("/music/a.mp3", "album1"));
        EXPECT_GT(id, 0);
    }
    LibraryDatabase db(file);
    const auto t = db.track(id);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->path, "/music/a.mp3");
    EXPECT_EQ(t->group, "album1");
    EXPECT_EQ(t->sampleRate, 22050);
    auto lock = db.lock();
    sql::Statement mode(db.connection(), "PRAGMA journal_mode");
    ASSERT_TRUE(mode.step());
    EXPECT_EQ(mode.text(0), "wal");
}

TEST(LibraryDatabase, MigratesAnOlderSchemaAndRefusesANewerOne) {
    const auto dir = test::freshDir("library_migrate");
    const auto file = dir / "lib.sqlite";
    {
        LibraryDatabase v1(file, {.migrateTo = 1});
        EXPECT_EQ(v1.schemaVersion(), 1);
        v1.upsertTrack(makeTrack("/x/old.mp3"));
        auto lock = v1.lock();
        // Version 1 has no runs table yet.
        EXPECT_THROW(sql::Statement(v1.connection(), "SELECT * FROM runs"), Error);
    }
    {
        LibraryDatabase upgraded(file);
        EXPECT_EQ(upgraded.schemaVersion(), LibraryDatabase::kSchemaVersion);
        EXPECT_EQ(upgraded.trackCount(), 1);
        EXPECT_GT(upgraded.addRun(RunRecord{.name = "r"}), 0);
        auto lock = upgraded.lock();
        upgraded.connection().exec("PRAGMA user_version = 99");
    }
    try {
        LibraryDatabase newer(file);
        FAIL() << "opened a library from a newer version";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
        EXPECT_EQ(e.subject(), file.string());
    }
}

TEST(LibraryDatabase, RejectsAFileThatIsNotADatabase) {
    const auto dir = test::freshDir("library_garbage");
    const auto file = dir / "notes.txt";
    std::ofstream(file) << "this is a text file, not SQLite, and it is long enough to have a header of sorts\n";
    try {
        LibraryDatabase db(file);
        FAIL() << "opened a text file as a library";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("notes.txt"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("not a Sonolab library"), std::string::npos) << e.what();
    }
}

// A SQLite file whose schema version is negative (what fuzz_library_db found: the version indexed the migrations,
// out of bounds) is refused by name, as is one made here with the same version.
TEST(LibraryDatabase, ANegativeSchemaVersionIsRefusedNotMigrated) {
    const auto dir = test::freshDir("library_negative_version");
    std::vector<fs::path> files = test::fuzzRegressionInputs("library_db");
    ASSERT_FALSE(files.empty());
    const auto made = dir / "made.sqlite";
    {
        sql::Connection c(made);
        c.exec("PRAGMA user_version = -65533");
    }
    files.push_back(made);
    for (const auto& source : files) {
        const auto file = dir / ("copy-" + source.filename().string());
        fs::copy_file(source, file, fs::copy_options::overwrite_existing);
        try {
            LibraryDatabase db(file);
            ADD_FAILURE() << "opened " << source;
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find(file.filename().string()), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("not a Sonolab library"), std::string::npos) << e.what();
        }
    }
}

TEST(LibraryDatabase, GroupedTrackCountCountsAGroupOnceAndUngroupedTracksEach) {
    LibraryDatabase db(test::freshDir("library_grouped_count") / "lib.sqlite");
    EXPECT_EQ(db.groupedTrackCount(), 0);
    for (const auto& [path, group] : std::vector<std::pair<std::string, std::string>>{
             {"/m/a1.ogg", "a"}, {"/m/a2.ogg", "a"}, {"/m/b1.ogg", "b"}, {"/m/x.ogg", ""}, {"/m/y.ogg", ""}})
        db.upsertTrack(makeTrack(path, group));
    EXPECT_EQ(db.trackCount(), 5);
    EXPECT_EQ(db.groupedTrackCount(), 4);  // a, b, x, y
    db.setTrackGroup(db.trackByPath("/m/x.ogg")->id, "b");
    EXPECT_EQ(db.groupedTrackCount(), 3);
}

TEST(LibraryDatabase, UpsertUpdatesByPathAndRemoveCascades) {
    LibraryDatabase db(test::freshDir("library_upsert") / "lib.sqlite");
    auto r = makeTrack("/m/a.mp3");
    const auto id = db.upsertTrack(r);
    r.title = "Renamed";
    r.sizeBytes = 99;
    EXPECT_EQ(db.upsertTrack(r), id);
    EXPECT_EQ(db.trackCount(), 1);
    EXPECT_EQ(db.track(id)->title, "Renamed");
    EXPECT_EQ(db.trackByPath("/m/a.mp3")->sizeBytes, 99);

    db.createLabelSet("genre", LabelKind::Single, {"rock", "jazz"}, "test");
    db.setLabel("genre", id, "rock", 1, "user");
    db.writeSplit("s", {{id, SplitPart::Test}});
    db.setCachedFeature(id, "spec1", "/cache/a.npy");
    EXPECT_EQ(db.cachedFeature(id, "spec1").value(), "/cache/a.npy");
    db.removeTrack(id);
    EXPECT_EQ(db.trackCount(), 0);
    EXPECT_TRUE(db.split("s").empty());
    EXPECT_FALSE(db.cachedFeature(id, "spec1"));
    EXPECT_EQ(db.labelCounts("genre")[0].second, 0);
}

TEST(LibraryDatabase, TracksUnderMatchesFolderPrefixOnly) {
    LibraryDatabase db(test::freshDir("library_under") / "lib.sqlite");
    db.upsertTrack(makeTrack("/music/a.mp3"));
    db.upsertTrack(makeTrack("/music/sub/b.mp3"));
    db.upsertTrack(makeTrack("/music2/c.mp3"));
    db.upsertTrack(makeTrack("/mus%c/d.mp3"));
    EXPECT_EQ(db.tracksUnder("/music").size(), 2u);
    EXPECT_EQ(db.tracksUnder("/music/").size(), 2u);
    EXPECT_EQ(db.tracksUnder("/mus%c").size(), 1u);
}

TEST(LibraryDatabase, LabelSetsKeepClassOrderMembersAndSingleLabelExclusivity) {
    LibraryDatabase db(test::freshDir("library_labels") / "lib.sqlite");
    const auto a = db.upsertTrack(makeTrack("/m/a.mp3"));
    const auto b = db.upsertTrack(makeTrack("/m/b.mp3"));
    db.createLabelSet("genre", LabelKind::Single, {"rock", "jazz"}, "test");
    EXPECT_THROW(db.createLabelSet("genre", LabelKind::Multi, {}, "again"), Error);
    db.setLabel("genre", a, "rock", 1, "import");
    db.setLabel("genre", a, "jazz", 1, "user");  // single-label: replaces rock
    db.addLabelSetMember("genre", b);            // annotated, no genre
    db.setLabel("genre", b, "blues", 1, "user");  // new class appended
    const auto info = db.labelSet("genre");
    ASSERT_TRUE(info);
    EXPECT_EQ(info->classes, (std::vector<std::string>{"rock", "jazz", "blues"}));
    EXPECT_EQ(info->trackCount, 2);
    const auto labels = db.labelsOfTrack(a);
    ASSERT_EQ(labels.size(), 1u);
    EXPECT_EQ(labels[0].label, "jazz");
    EXPECT_EQ(labels[0].source, "user");
    const auto counts = db.labelCounts("genre");
    EXPECT_EQ(counts, (std::vector<std::pair<std::string, std::int64_t>>{{"rock", 0}, {"jazz", 1}, {"blues", 1}}));
    db.removeLabel("genre", b, "blues");
    EXPECT_TRUE(db.positiveLabels("genre").at(b).empty());
    EXPECT_THROW(db.setLabel("nope", a, "x", 1, ""), Error);
}

TEST(LibraryDatabase, FailedTransactionLeavesNothing) {
    LibraryDatabase db(test::freshDir("library_tx") / "lib.sqlite");
    try {
        LibraryDatabase::Transaction tx(db);
        db.upsertTrack(makeTrack("/m/1.mp3"));
        db.createLabelSet("set", LabelKind::Multi, {"a"}, "");
        throw std::runtime_error("import failed half-way");
    } catch (const std::runtime_error&) {
    }
    EXPECT_EQ(db.trackCount(), 0);
    EXPECT_FALSE(db.labelSet("set"));
    {
        LibraryDatabase::Transaction tx(db);
        db.upsertTrack(makeTrack("/m/1.mp3"));
        tx.commit();
    }
    EXPECT_EQ(db.trackCount(), 1);
}

TEST(LibraryDatabase, ReaderOnAnotherConnectionSeesCommittedStateWhileAWriterWorks) {
    const auto file = test::freshDir("library_wal") / "lib.sqlite";
    LibraryDatabase writer(file);
    writer.upsertTrack(makeTrack("/m/first.mp3"));
    LibraryDatabase::Transaction tx(writer);
    for (int i = 0; i < 100; ++i) writer.upsertTrack(makeTrack("/m/n" + std::to_string(i) + ".mp3"));
    std::int64_t seen = -1;
    std::thread reader([&] {
        LibraryDatabase db(file);
        seen = db.trackCount();
    });
    reader.join();
    EXPECT_EQ(seen, 1);  // not blocked, and not seeing uncommitted rows
    tx.commit();
    LibraryDatabase after(file);
    EXPECT_EQ(after.trackCount(), 101);
}

TEST(LibraryDatabase, SharedObjectIsSafeAcrossThreads) {
    LibraryDatabase db(test::freshDir("library_threads") / "lib.sqlite");
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&db, t] {
            for (int i = 0; i < 50; ++i) {
                db.upsertTrack(makeTrack("/t" + std::to_string(t) + "/" + std::to_string(i) + ".mp3"));
                (void)db.trackCount();
            }
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(db.trackCount(), 200);
}

TEST(LibraryDatabase, RunsAndPointsRoundTrip) {
    LibraryDatabase db(test::freshDir("library_runs") / "lib.sqlite");
    const auto id = db.addRun(RunRecord{.name = "cnn", .task = "binary:speech", .model = "compact",
                                        .settingsJson = R"({"lr":0.001})", .status = "running", .runDir = "/r/1"});
    const auto id2 = db.addRun(RunRecord{.name = "second", .createdAt = 1});
    db.appendRunPoints(id, {{"train/loss", 1, 0.9}, {"train/loss", 2, 0.5}, {"val/acc", 1, 0.6}});
    db.appendRunPoint(id, {"train/loss", 3, 0.3});
    const auto loss = db.runPoints(id, "train/loss");
    ASSERT_EQ(loss.size(), 3u);
    EXPECT_DOUBLE_EQ(loss[2].value, 0.3);
    EXPECT_EQ(db.runPoints(id).size(), 4u);
    db.renameRun(id, "cnn-1");
    db.setRunStatus(id, "finished");
    db.setRunMetrics(id, R"({"accuracy":0.9})");
    auto run = db.run(id).value();
    EXPECT_EQ(run.name, "cnn-1");
    EXPECT_EQ(run.status, "finished");
    EXPECT_EQ(run.metricsJson, R"({"accuracy":0.9})");
    EXPECT_EQ(run.settingsJson, R"({"lr":0.001})");
    EXPECT_GT(run.createdAt, 1000000000);
    EXPECT_EQ(db.runs().front().id, id);  // newest first
    db.deleteRun(id);
    EXPECT_FALSE(db.run(id));
    EXPECT_TRUE(db.runPoints(id).empty());
    EXPECT_EQ(db.runs().size(), 1u);
    EXPECT_THROW(db.renameRun(id, "gone"), Error);
    EXPECT_EQ(db.runs()[0].id, id2);
}

TEST(LibraryDatabase, SimilarityJudgements) {
    LibraryDatabase db(test::freshDir("library_judge") / "lib.sqlite");
    const auto a = db.upsertTrack(makeTrack("/m/a.mp3"));
    const auto b = db.upsertTrack(makeTrack("/m/b.mp3"));
    db.addJudgement(a, b, true);
    db.addJudgement(b, a, false);
    const auto all = db.judgements();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].query, a);
    EXPECT_TRUE(all[0].similar);
    EXPECT_FALSE(all[1].similar);
}
