// A library written by the previous version (schema 2, the 32-digit sampled content hash) opens in this one: tracks,
// labels, splits and runs are kept, the old hashes are dropped and the user is told, and each track is hashed again
// (whole file) when a training set first uses it or on the next scan, and the hash is written back.
#include "core/library/LibraryDatabase.h"
#include "core/library/Scanner.h"
#include "core/library/Sqlite.h"
#include "core/library/TrackProbe.h"
#include "core/library/TrainingSet.h"
#include "core/util/ContentHash.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <thread>

using namespace sonolab;
using namespace sonolab::library;
namespace fs = std::filesystem;

namespace {

// The rows the previous version wrote for a scanned folder: its schema (the shipped migrations up to 2, which are
// never edited) and its upsertTrack's values, among them the sampled hash of 32 hex digits.
void writeVersion2Library(const fs::path& file, const std::vector<fs::path>& audio) {
    { LibraryDatabase(file, {.migrateTo = 2}); }
    sql::Connection c(file);
    c.exec("INSERT INTO label_sets(id, name, kind, source) VALUES(1, 'genre', 'single', 'user');"
           "INSERT INTO label_classes(label_set_id, position, name) VALUES(1, 0, 'rock'), (1, 1, 'jazz');"
           "INSERT INTO runs(id, name, task, created_at) VALUES(1, 'old run', 'single:rock,jazz', 1700000000);");
    for (std::size_t i = 0; i < audio.size(); ++i) {
        const auto id = std::to_string(i + 1);
        sql::Statement t(c, "INSERT INTO tracks(id, path, content_hash, size, mtime, duration, format, codec, "
                            "sample_rate, channels, title) VALUES(?, ?, ?, ?, ?, 0.5, 'wav', 'pcm_s16le', 22050, 1, ?)");
        t.bind(1, std::int64_t(i + 1)).bind(2, libraryPath(audio[i])).bind(3, "6119d10f020fe1989b7e8d600b11b1f" + id);
        t.bind(4, std::int64_t(fs::file_size(audio[i]))).bind(5, fileMtime(audio[i])).bind(6, audio[i].stem().string());
        t.run();
        if (i < 2)  // the third track is in the library but not labelled
            c.exec("INSERT INTO label_members VALUES(1, " + id + ");"
                   "INSERT INTO track_labels(label_set_id, track_id, label, value) VALUES(1, " + id + ", '" +
                   (i == 0 ? "rock" : "jazz") + "', 1.0);"
                   "INSERT INTO splits VALUES('s', " + id + ", '" + (i == 0 ? "train" : "test") + "');");
    }
    c.exec("PRAGMA user_version = 2");
}

std::vector<fs::path> writeAudio(const fs::path& folder) {
    fs::create_directories(folder);
    std::vector<fs::path> files;
    for (int i = 0; i < 3; ++i) {
        files.push_back(folder / ("t" + std::to_string(i) + ".wav"));
        test::writeWav16(files.back(), test::sine(200.0 + 100 * i, 0.5, 22050), 22050);
    }
    return files;
}

}  // namespace

TEST(LibraryUpgrade, Version2LibraryOpensKeepsEverythingAndRehashesOnUse) {
    const auto dir = test::freshDir("library-upgrade");
    const auto audio = writeAudio(dir / "music");
    const auto file = dir / "lib.sqlite";
    writeVersion2Library(file, audio);
    {
        LibraryDatabase db(file);
        EXPECT_EQ(db.schemaVersion(), LibraryDatabase::kSchemaVersion);
        EXPECT_NE(db.upgradeNotice().find("3 track(s)"), std::string::npos) << db.upgradeNotice();
        EXPECT_NE(db.upgradeNotice().find(file.string()), std::string::npos) << db.upgradeNotice();
        ASSERT_EQ(db.trackCount(), 3);
        EXPECT_EQ(db.tracksWithoutContentHash(), 3);
        for (const auto& t : db.tracks()) EXPECT_FALSE(t.contentHash) << t.path;  // the sampled hash keys nothing
        EXPECT_EQ(db.track(1)->title, "t0");
        ASSERT_EQ(db.labelsOfTrack(1).size(), 1u);
        EXPECT_EQ(db.labelsOfTrack(1)[0].label, "rock");
        EXPECT_EQ(db.split("s").size(), 2u);
        ASSERT_EQ(db.runs().size(), 1u);
        EXPECT_EQ(db.runs()[0].name, "old run");

        // First use: the training set's tracks are hashed (whole file) and the hashes stored.
        const auto set = loadTrainingSet(db, "single:rock,jazz", "s");
        ASSERT_EQ(set.examples.size(), 2u);
        for (const auto& e : set.examples) {
            EXPECT_EQ(e.contentHash, hashFile(e.path)) << e.path;
            EXPECT_EQ(db.track(e.trackId)->contentHash, hashFile(e.path)) << e.path;
        }
        EXPECT_EQ(db.tracksWithoutContentHash(), 1);
    }
    LibraryDatabase db(file);
    EXPECT_TRUE(db.upgradeNotice().empty()) << "told again: " << db.upgradeNotice();
    // The next scan hashes the one track no training set used; nothing counts as changed.
    const auto report = scanFolder(db, dir / "music");
    EXPECT_EQ(report.rehashed, 1u);
    EXPECT_EQ(report.unchanged, 3u);
    EXPECT_EQ(report.added + report.changed + report.touched + report.vanished, 0u);
    EXPECT_EQ(db.track(3)->contentHash, hashFile(audio[2]));
    EXPECT_EQ(db.tracksWithoutContentHash(), 0);
    EXPECT_EQ(scanFolder(db, dir / "music").rehashed, 0u);
}

TEST(LibraryUpgrade, StoredHashIsTrustedOnlyWhileTheFileLooksTheSame) {
    const auto dir = test::freshDir("library-hash-current");
    const auto audio = writeAudio(dir / "music");
    LibraryDatabase db(dir / "lib.sqlite");
    scanFolder(db, dir / "music");
    auto track = *db.trackByPath(libraryPath(audio[0]));
    const auto stored = *track.contentHash;
    EXPECT_EQ(currentContentHash(track), stored);

    // Gone (moved, unmounted): the stored hash still names its cached features.
    fs::rename(audio[0], dir / "elsewhere.wav");
    EXPECT_EQ(currentContentHash(track), stored);

    // Edited since the scan (other size): the file is hashed now; the library keeps its record until a rescan.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    test::writeWav16(audio[0], test::sine(900.0, 0.7, 22050), 22050);
    EXPECT_EQ(currentContentHash(track), hashFile(audio[0]));
    EXPECT_NE(currentContentHash(track), stored);
    EXPECT_EQ(db.trackByPath(libraryPath(audio[0]))->contentHash, stored);
}
