#include "core/library/LibraryDatabase.h"
#include "core/library/Scanner.h"
#include "core/util/ContentHash.h"
#include "core/util/Error.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>
#include <unistd.h>

using namespace sonolab;
using namespace sonolab::library;
namespace fs = std::filesystem;

namespace {

void wav(const fs::path& path, double frequency, double seconds = 0.5, int rate = 22050, int channels = 1) {
    fs::create_directories(path.parent_path());
    auto mono = test::sine(frequency, seconds, rate);
    std::vector<float> interleaved;
    for (float s : mono)
        for (int c = 0; c < channels; ++c) interleaved.push_back(s);
    test::writeWav16(path, interleaved, rate, channels);
}

std::string lib(const fs::path& p) { return fs::absolute(p).lexically_normal().generic_string(); }

}  // namespace

TEST(Scanner, AddsAudioFilesWithProbedPropertiesAndListsUnreadableOnes) {
    const auto dir = test::freshDir("scan_basic");
    wav(dir / "a.wav", 440, 1.0, 22050, 1);
    wav(dir / "sub" / "deeper" / "b.WAV", 220, 0.5, 44100, 2);
    std::ofstream(dir / "notes.txt") << "not audio, ignored";
    std::ofstream(dir / "broken.mp3") << "this is not an mp3 file at all, just text pretending";
    std::ofstream(dir / "empty.ogg");
    LibraryDatabase db(dir / "lib.sqlite");
    std::vector<double> reported;
    Progress progress{.report = [&](double done, double, const std::string&) { reported.push_back(done); }};
    const auto report = scanFolder(db, dir, {}, &progress);
    EXPECT_EQ(report.filesSeen, 4u);
    EXPECT_EQ(report.added, 2u);
    ASSERT_EQ(report.unreadable.size(), 2u);
    for (const auto& p : report.unreadable) {
        EXPECT_TRUE(p.path == lib(dir / "broken.mp3") || p.path == lib(dir / "empty.ogg")) << p.path;
        EXPECT_FALSE(p.reason.empty());
    }
    EXPECT_FALSE(reported.empty());
    const auto a = db.trackByPath(lib(dir / "a.wav"));
    ASSERT_TRUE(a);
    EXPECT_NEAR(a->durationSeconds, 1.0, 0.01);
    EXPECT_EQ(a->sampleRate, 22050);
    EXPECT_EQ(a->channels, 1);
    EXPECT_EQ(a->format, "wav");
    EXPECT_EQ(a->title, "a");  // no tags: the file name
    EXPECT_EQ(a->contentHash, hashFile(dir / "a.wav"));
    const auto b = db.trackByPath(lib(dir / "sub" / "deeper" / "b.WAV"));
    ASSERT_TRUE(b);
    EXPECT_EQ(b->sampleRate, 44100);
    EXPECT_EQ(b->channels, 2);
}

TEST(Scanner, ReadsTitleAndArtistFromTags) {
    if (!test::haveProgram("ffmpeg")) GTEST_SKIP() << "ffmpeg not installed";
    const auto dir = test::freshDir("scan_tags");
    wav(dir / "src.wav", 330, 1.0);
    ASSERT_EQ(test::run("ffmpeg -v error -y -i " + (dir / "src.wav").string() +
                        " -metadata title='Night Train' -metadata artist='The Testers' -metadata album=Fixtures"
                        " -metadata genre=Jazz -c:a libmp3lame -b:a 64k " + (dir / "tagged.mp3").string()),
              0);
    fs::remove(dir / "src.wav");
    LibraryDatabase db(dir / "lib.sqlite");
    scanFolder(db, dir);
    const auto t = db.trackByPath(lib(dir / "tagged.mp3"));
    ASSERT_TRUE(t);
    EXPECT_EQ(t->title, "Night Train");
    EXPECT_EQ(t->artist, "The Testers");
    EXPECT_EQ(t->album, "Fixtures");
    EXPECT_EQ(t->genre, "Jazz");
    EXPECT_EQ(t->format, "mp3");
    EXPECT_NEAR(t->durationSeconds, 1.0, 0.1);
}

TEST(Scanner, RescanFindsNewChangedTouchedAndVanishedFiles) {
    const auto dir = test::freshDir("scan_rescan");
    const auto music = dir / "music";
    wav(music / "keep.wav", 100);
    wav(music / "edit.wav", 200);
    wav(music / "touch.wav", 300);
    wav(music / "gone.wav", 400);
    LibraryDatabase db(dir / "lib.sqlite");
    auto first = scanFolder(db, music);
    EXPECT_EQ(first.added, 4u);
    const auto editId = db.trackByPath(lib(music / "edit.wav"))->id;
    db.setCachedFeature(editId, "spec", "/cache/edit.npy");
    db.createLabelSet("tags", LabelKind::Multi, {"x"}, "t");
    db.setLabel("tags", editId, "x", 1, "user");

    // Keep mtimes apart even on coarse file systems.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    wav(music / "edit.wav", 250, 0.75);                        // new content
    const auto touchTime = fs::last_write_time(music / "touch.wav");
    fs::last_write_time(music / "touch.wav", touchTime + std::chrono::seconds(5));  // same bytes
    fs::remove(music / "gone.wav");
    wav(music / "new" / "fresh.wav", 500);

    const auto second = scanFolder(db, music);
    EXPECT_EQ(second.filesSeen, 4u);
    EXPECT_EQ(second.added, 1u);
    EXPECT_EQ(second.addedPaths, std::vector<std::string>{lib(music / "new" / "fresh.wav")});
    EXPECT_EQ(second.changed, 1u);
    EXPECT_EQ(second.changedPaths, std::vector<std::string>{lib(music / "edit.wav")});
    EXPECT_EQ(second.touched, 1u);
    EXPECT_EQ(second.unchanged, 1u);
    EXPECT_EQ(second.vanished, 1u);
    EXPECT_EQ(second.vanishedPaths, std::vector<std::string>{lib(music / "gone.wav")});
    EXPECT_EQ(db.trackCount(), 4);
    const auto edited = db.trackByPath(lib(music / "edit.wav"));
    EXPECT_EQ(edited->id, editId);  // same track: labels survive an edit
    EXPECT_NEAR(edited->durationSeconds, 0.75, 0.01);
    EXPECT_EQ(db.labelsOfTrack(editId).size(), 1u);
    EXPECT_FALSE(db.cachedFeature(editId, "spec"));  // stale features dropped
    EXPECT_EQ(db.trackByPath(lib(music / "touch.wav"))->mtime,
              std::chrono::duration_cast<std::chrono::nanoseconds>(
                  (touchTime + std::chrono::seconds(5)).time_since_epoch()).count());

    const auto third = scanFolder(db, music);
    EXPECT_EQ(third.unchanged, 4u);
    EXPECT_EQ(third.added + third.changed + third.touched + third.vanished, 0u);
}

TEST(Scanner, RescanOfOneFolderLeavesOtherFoldersAlone) {
    const auto dir = test::freshDir("scan_two_roots");
    wav(dir / "a" / "1.wav", 100);
    wav(dir / "ab" / "2.wav", 200);  // shares the prefix "a" but is another folder
    LibraryDatabase db(dir / "lib.sqlite");
    scanFolder(db, dir / "ab");
    const auto report = scanFolder(db, dir / "a");
    EXPECT_EQ(report.vanished, 0u);
    EXPECT_EQ(db.trackCount(), 2);
}

TEST(Scanner, CancelWritesNothing) {
    const auto dir = test::freshDir("scan_cancel");
    for (int i = 0; i < 20; ++i) wav(dir / ("f" + std::to_string(i) + ".wav"), 100 + i);
    LibraryDatabase db(dir / "lib.sqlite");
    Progress progress;
    progress.report = [&](double, double, const std::string&) { progress.cancel.cancel(); };
    EXPECT_THROW(scanFolder(db, dir, {}, &progress), Cancelled);
    EXPECT_EQ(db.trackCount(), 0);
}

TEST(Scanner, UnreadableFolderIsListedNotFatal) {
    if (geteuid() == 0) GTEST_SKIP() << "running as root: permissions do not stop reading";
    const auto dir = test::freshDir("scan_perm");
    wav(dir / "ok" / "a.wav", 100);
    wav(dir / "locked" / "b.wav", 100);
    fs::permissions(dir / "locked", fs::perms::none);
    LibraryDatabase db(dir / "lib.sqlite");
    const auto report = scanFolder(db, dir);
    fs::permissions(dir / "locked", fs::perms::owner_all);
    EXPECT_EQ(report.added, 1u);
    ASSERT_EQ(report.unreadable.size(), 1u);
    EXPECT_NE(report.unreadable[0].reason.find("cannot list"), std::string::npos);
}

TEST(Scanner, MissingRootIsAnError) {
    const auto dir = test::freshDir("scan_missing");
    LibraryDatabase db(dir / "lib.sqlite");
    try {
        scanFolder(db, dir / "nope");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("nope"), std::string::npos);
    }
}
