// The player and the similarity browser share the app's one audio output (PlaybackService) on ALSA's null device,
// driven in turn as a user would: each view shows and plays only its own sound. The browser playing a neighbour
// leaves the player's cursor where it was and its transport not playing; Space in the player then plays the
// player's own track from its cursor; a map preview over the player gives the output back to the player's file, at
// its position, in the state it was in (paused, or playing).
#include "Fixtures.h"

#include "core/audio/AudioBuffer.h"
#include "ui/player/AudioDocument.h"
#include "ui/player/PlayerWidget.h"
#include "ui/player/SpectrogramView.h"
#include "ui/player/TransportBar.h"
#include "ui/player/WaveformView.h"
#include "ui/similarity/CollectionMap.h"
#include "ui/similarity/HoverPreview.h"

#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

#include <gtest/gtest.h>

using namespace sonolab;

namespace {

// The player's own track: long enough (10 minutes) that it cannot play out during a test, even on the null device,
// which consumes frames faster than real time.
QString longTrack() {
    const auto path = test::freshDir("uisimilarity-shared-long") / "long.wav";
    test::writeWav16(path, test::sine(330.0, 600.0, 8000, 0.3f), 8000);
    return QString::fromStdString(path.generic_string());
}

// The browser over six tones and the player beside it, on one output.
struct Views : test::BrowserOn<test::Collection> {
    ui::PlayerWidget player{nullptr, &playback};

    explicit Views(const std::string& name) : BrowserOn(name, {1100, 600}, 3) {
        player.setGeometry(0, 700, 900, 500);  // beside the browser, not over it: pointer events reach the one meant
        browser.move(0, 0);
        browser.addSpace(c.handSpace());
        browser.selectTrack(c.id["high 1"]);
    }

    bool openInPlayer(const QString& file) {
        player.show();
        player.openFile(file);
        return QTest::qWaitFor([&] { return player.document()->isOpen() && !player.document()->loading(); }, 20000);
    }
    // What the player shows as its cursor, in all three places.
    void expectPlayerCursor(double seconds) const {
        EXPECT_NEAR(player.positionSeconds(), seconds, 1e-9);
        EXPECT_NEAR(player.spectrogram()->cursorSeconds(), seconds, 1e-9);
        EXPECT_NEAR(player.waveform()->cursorSeconds(), seconds, 1e-9);
    }
};

}  // namespace

TEST(SharedOutput, BrowserNeighbourLeavesThePlayerWhereItWasAndSpacePlaysThePlayersOwnTrack) {
    Views v("shared-neighbour");
    if (!v.playback.available()) GTEST_SKIP() << "no audio output: " << v.playback.unavailableReason().toStdString();
    const QString mine = longTrack();
    ASSERT_TRUE(v.openInPlayer(mine));

    // The player plays its track, and the browser then plays a neighbour.
    v.player.seek(100.0);
    v.player.togglePlayPause();
    ASSERT_TRUE(v.player.isPlaying());
    ASSERT_TRUE(QTest::qWaitFor([&] { return v.player.positionSeconds() > 100.0; }, 5000));
    v.browser.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&v.browser));
    QSignalSpy started(&v.browser, &ui::SimilarityBrowser::playbackStarted);
    auto* table = v.browser.neighbourTable();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(table->model()->index(0, 1)).center());
    ASSERT_EQ(started.count(), 1);
    const auto neighbour = v.browser.neighbourIds().front();
    std::string title;
    for (const auto& [t, id] : v.c.id)
        if (id == neighbour) title = t;
    EXPECT_EQ(v.playback.file(), v.c.path(title));
    EXPECT_EQ(v.browser.playingTrack(), neighbour);

    // The player is no longer playing, shows so, and its cursor stays where the listener last heard its track while
    // the neighbour plays on (the output's position reports are the browser's now).
    EXPECT_FALSE(v.player.isPlaying());
    EXPECT_FALSE(v.player.transport()->isPlaying());
    const double left = v.player.positionSeconds();
    EXPECT_GT(left, 100.0);
    const auto framesBefore = v.playback.framesPlayed();
    ASSERT_TRUE(QTest::qWaitFor([&] { return v.playback.framesPlayed() > framesBefore + 4000; }, 5000));
    QTest::qWait(100);  // several position reports
    v.expectPlayerCursor(left);
    EXPECT_FALSE(v.player.transport()->isPlaying());

    // Space in the player plays the player's track from its cursor, not the neighbour.
    v.player.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&v.player));
    v.player.spectrogram()->setFocus();
    QTest::keyClick(v.player.spectrogram(), Qt::Key_Space);
    EXPECT_TRUE(v.playback.owns(&v.player));
    EXPECT_EQ(v.playback.file(), mine);
    EXPECT_TRUE(v.player.isPlaying());
    EXPECT_TRUE(v.player.transport()->isPlaying());
    EXPECT_GE(v.playback.positionSeconds(), left - 1e-3);
    EXPECT_LT(v.playback.positionSeconds(), left + 300);  // its own track: the other sounds last 8 s at most
    EXPECT_EQ(v.browser.playingTrack(), -1);

    // Stop in the browser's hands does nothing to the player's sound.
    EXPECT_FALSE(v.playback.stop(&v.browser));
    EXPECT_TRUE(v.player.isPlaying());
    v.player.stop();
    EXPECT_FALSE(v.player.isPlaying());
    v.expectPlayerCursor(0.0);
}

TEST(SharedOutput, MapPreviewThenLeavingGivesThePausedPlayerBackItsFileAndPosition) {
    Views v("shared-preview");
    if (!v.playback.available()) GTEST_SKIP() << "no audio output: " << v.playback.unavailableReason().toStdString();
    const QString mine = longTrack();
    ASSERT_TRUE(v.openInPlayer(mine));
    // Played a little, then paused: the cursor is where the listener stopped hearing it.
    v.player.seek(42.0);
    v.player.togglePlayPause();
    ASSERT_TRUE(QTest::qWaitFor([&] { return v.player.positionSeconds() > 42.0; }, 5000));
    v.player.togglePlayPause();
    ASSERT_FALSE(v.player.isPlaying());
    const double paused = v.player.positionSeconds();
    EXPECT_NEAR(v.playback.positionSeconds(), paused, 1e-9);

    ASSERT_TRUE(QTest::qWaitFor([&] { return !v.browser.map()->points().empty(); }, 10000));  // projected
    v.browser.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&v.browser));
    auto* map = v.browser.map();
    auto* preview = v.browser.preview();
    // What the views show at the moment the preview starts.
    bool playerPlayingDuringPreview = true, ownerWasPreview = false;
    QObject::connect(preview, &ui::HoverPreview::previewStarted, &v.browser, [&] {
        playerPlayingDuringPreview = v.player.isPlaying() || v.player.transport()->isPlaying();
        ownerWasPreview = v.playback.owner() == preview;
    });
    QSignalSpy started(preview, &ui::HoverPreview::previewStarted);
    QSignalSpy stopped(preview, &ui::HoverPreview::previewStopped);
    QTest::mouseMove(map, QPoint(5, map->height() - 5));
    QTest::mouseMove(map, map->widgetPosition(v.c.id["low 3"]).toPoint());
    EXPECT_EQ(map->hoveredTrack(), v.c.id["low 3"]);
    ASSERT_TRUE(started.wait(5000));
    EXPECT_TRUE(ownerWasPreview);
    EXPECT_FALSE(playerPlayingDuringPreview);
    v.expectPlayerCursor(paused);

    // Moving away stops the preview (unless it played out already): the player's file is back where it paused, not
    // playing, and Space goes on from there.
    QTest::mouseMove(map, QPoint(5, map->height() - 5));
    ASSERT_TRUE(stopped.count() == 1 || stopped.wait(5000));
    EXPECT_TRUE(v.playback.owns(&v.player));
    EXPECT_EQ(v.playback.file(), mine);
    EXPECT_FALSE(v.player.isPlaying());
    EXPECT_FALSE(v.player.transport()->isPlaying());
    EXPECT_NEAR(v.playback.positionSeconds(), paused, 1e-3);
    v.expectPlayerCursor(paused);
    v.player.togglePlayPause();
    EXPECT_TRUE(v.player.isPlaying());
    EXPECT_GE(v.playback.positionSeconds(), paused - 1e-3);
    EXPECT_LT(v.playback.positionSeconds(), paused + 300);  // its own track: the other sounds last 8 s at most
    v.player.stop();
}

TEST(SharedOutput, APreviewOverAPlayingPlayerResumesItsPlaying) {
    Views v("shared-resume");
    if (!v.playback.available()) GTEST_SKIP() << "no audio output: " << v.playback.unavailableReason().toStdString();
    const QString mine = longTrack();
    ASSERT_TRUE(v.openInPlayer(mine));
    v.player.seek(200.0);
    v.player.togglePlayPause();
    ASSERT_TRUE(v.player.isPlaying());
    const double before = v.playback.positionSeconds();

    // A preview is lent the output over the playing player (as HoverPreview does, without waiting for a decode).
    QObject preview;
    auto clip = std::make_shared<audio::AudioBuffer>();
    clip->sampleRate = 22050;
    clip->channels = 1;
    clip->samples = test::sine(880.0, 0.5, 22050, 0.2f);
    ASSERT_TRUE(v.playback.startPreview(&preview, clip));
    EXPECT_EQ(v.playback.owner(), &preview);
    EXPECT_TRUE(v.playback.isPreviewing());
    EXPECT_FALSE(v.player.isPlaying());
    EXPECT_FALSE(v.player.transport()->isPlaying());
    // The player's transport cannot steer the preview's sound.
    EXPECT_FALSE(v.playback.pause(&v.player));

    v.playback.stopPreview(&preview);
    EXPECT_TRUE(v.playback.owns(&v.player));
    EXPECT_EQ(v.playback.file(), mine);
    EXPECT_TRUE(v.player.isPlaying());
    EXPECT_TRUE(v.player.transport()->isPlaying());
    EXPECT_GE(v.playback.positionSeconds(), before - 1e-3);
    EXPECT_LT(v.playback.positionSeconds(), before + 300);  // its own track: the other sounds last 8 s at most
    // Its cursor follows again.
    const double now = v.player.positionSeconds();
    ASSERT_TRUE(QTest::qWaitFor([&] { return v.player.positionSeconds() > now; }, 5000));
    v.player.stop();

    // A view that goes away takes its sound with it; a preview interrupted by it has nothing to go back to.
    {
        QObject gone;
        ASSERT_TRUE(v.playback.load(&gone, v.c.path("low 1")));
        v.playback.play(&gone);
    }
    EXPECT_EQ(v.playback.owner(), nullptr);
    EXPECT_FALSE(v.player.isPlaying());
}
