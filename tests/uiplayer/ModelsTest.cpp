// The non-visual parts of the player: the shared time viewport, frequency axes, the growing sample store and the
// tile cache (rendering on workers, LRU under a memory cap).
#include "Fixtures.h"

#include "ui/player/FrequencyScale.h"
#include "ui/player/SampleStore.h"
#include "ui/player/SpectrogramTileCache.h"
#include "ui/player/TimeViewport.h"

#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <thread>

using namespace sonolab;
using namespace sonolab::ui;

TEST(TimeViewport, ZoomKeepsTheAnchorAndClampsToTheTrack) {
    TimeViewport vp;
    vp.setWidth(1000);
    vp.setDuration(100.0);
    EXPECT_TRUE(vp.fitted());
    EXPECT_DOUBLE_EQ(vp.secondsPerPixel(), 0.1);
    vp.zoomBy(4.0, 250);  // anchor at 25 s
    EXPECT_FALSE(vp.fitted());
    EXPECT_DOUBLE_EQ(vp.secondsPerPixel(), 0.025);
    EXPECT_NEAR(vp.xToSeconds(250), 25.0, 1e-9);
    vp.scrollTo(-5);
    EXPECT_EQ(vp.start(), 0.0);
    vp.scrollTo(1000);
    EXPECT_LE(vp.end(), 100.0 + vp.visibleSeconds() * 0.1 + 1e-9);
    // Zooming out past the track snaps back to the whole track, which then follows a growing duration.
    vp.zoomBy(0.01, 500);
    EXPECT_TRUE(vp.fitted());
    vp.setDuration(200.0);
    EXPECT_DOUBLE_EQ(vp.secondsPerPixel(), 0.2);
}

TEST(TimeViewport, FollowPagesOrCentres) {
    TimeViewport vp;
    vp.setWidth(100);
    vp.setDuration(100.0);
    vp.setView(0, 0.1);  // 10 s visible
    vp.follow(5.0, false);
    EXPECT_EQ(vp.start(), 0.0);  // on screen: no page turn
    vp.follow(12.0, false);
    EXPECT_LE(vp.start(), 12.0);
    EXPECT_GT(vp.end(), 12.0 + 5.0);  // the new page starts just before the cursor
    vp.follow(50.0, true);
    EXPECT_NEAR(vp.xToSeconds(50), 50.0, 1e-9);  // centred
}

TEST(FrequencyScale, RowsAndFrequenciesRoundTripOnEveryAxis) {
    for (auto kind : {FrequencyScaleKind::Linear, FrequencyScaleKind::Log, FrequencyScaleKind::Mel}) {
        FrequencyScale scale(kind, 0, 11025);
        for (double hz : {50.0, 440.0, 1000.0, 5000.0, 11000.0})
            EXPECT_NEAR(scale.hzAtY(scale.yOfHz(hz, 400), 400), hz, hz * 1e-9) << FrequencyScale::name(kind).toStdString();
        // Higher frequencies are higher up (smaller y).
        EXPECT_LT(scale.yOfHz(2000, 400), scale.yOfHz(1000, 400));
        auto ticks = scale.ticks(8);
        EXPECT_GE(ticks.size(), 3u);
        EXPECT_TRUE(std::is_sorted(ticks.begin(), ticks.end()));
    }
    // Mel follows the Slaney scale: linear to 1 kHz, so 500 Hz is halfway to 1 kHz.
    FrequencyScale mel(FrequencyScaleKind::Mel, 0, 1000);
    EXPECT_NEAR(mel.toUnit(500), 0.5, 1e-9);
    FrequencyScale log(FrequencyScaleKind::Log, 0, 10000);
    EXPECT_EQ(log.minHz(), FrequencyScale::kMinLogHz);
    EXPECT_NEAR(log.toUnit(std::sqrt(20.0 * 10000.0)), 0.5, 1e-9);  // geometric middle
}

TEST(SampleStore, SegmentsFillInAnyOrderAndReadersSeeOnlyDecodedFrames) {
    const std::int64_t n = 300000;
    SampleStore store(1000, {{0, 100000}, {100000, 100000}, {200000, -1}}, n);
    std::vector<float> signal(static_cast<std::size_t>(n));
    for (std::size_t i = 0; i < signal.size(); ++i) signal[i] = static_cast<float>(i % 1000) / 1000.0f;
    auto feed = [&](int segment, std::int64_t first, std::int64_t count) {
        for (std::int64_t i = 0; i < count; i += 7777)
            store.append(segment, std::span<const float>(signal).subspan(static_cast<std::size_t>(first + i),
                                                                          static_cast<std::size_t>(std::min<std::int64_t>(7777, count - i))));
        store.finishSegment(segment);
    };
    std::thread late([&] { feed(2, 200000, 100000); });
    late.join();
    EXPECT_FALSE(store.covered(0, 10));
    EXPECT_TRUE(store.covered(200000, 300000));
    EXPECT_FALSE(store.finished());
    EXPECT_EQ(store.frames(), n);
    std::thread first([&] { feed(0, 0, 100000); }), middle([&] { feed(1, 100000, 100000); });
    first.join();
    middle.join();
    EXPECT_TRUE(store.finished());
    EXPECT_TRUE(store.covered(0, n));
    EXPECT_TRUE(store.covered(n - 10, n + 5000));  // past the end counts as silence once finished
    std::vector<float> back(static_cast<std::size_t>(n + 10));
    store.read(-5, back);
    EXPECT_EQ(back[0], 0.0f);
    for (std::int64_t i = 0; i < n; i += 997) EXPECT_EQ(back[static_cast<std::size_t>(i + 5)], signal[static_cast<std::size_t>(i)]);
    EXPECT_EQ(back.back(), 0.0f);
}

TEST(SpectrogramTileCache, RendersOnWorkersAndEvictsLeastRecentlyUsedTilesUnderItsCap) {
    const int rate = 8000;
    auto store = std::make_shared<SampleStore>(rate, std::vector<SampleStore::SegmentPlan>{{0, -1}}, 0);
    auto tone = test::sine(1000.0, 60.0, rate);
    store->append(0, tone);
    store->finishSegment(0);

    SpectrogramTileCache cache;
    SpectrogramSettings settings;
    settings.nFft = 256;
    settings.hop = 64;
    settings.scale = FrequencyScaleKind::Linear;
    cache.setSettings(settings);
    cache.setSamples(store);
    const int height = 64;
    EXPECT_EQ(cache.request(0, 0, height), nullptr);  // never blocks: nothing yet
    EXPECT_EQ(cache.pendingCount(), 1);
    std::shared_ptr<const SpectrogramTile> tile;
    ASSERT_TRUE(QTest::qWaitFor([&] { return (tile = cache.request(0, 0, height)) != nullptr; }, 5000));
    ASSERT_TRUE(tile->complete());
    // 1000 Hz on a linear 0..4000 Hz axis: the loudest row of a column is a quarter of the way up.
    int loudest = 0;
    for (int r = 1; r < height; ++r)
        if (tile->levelAt(100, r) > tile->levelAt(100, loudest)) loudest = r;
    EXPECT_NEAR(loudest, settings.frequencyScale(rate).rowOfHz(1000, height), 1);
    EXPECT_NEAR(tile->levelAt(100, loudest), -6.0, 1.6);  // amplitude 0.5

    // A cap of about three tiles: requesting six keeps the three most recently used.
    cache.setMemoryLimit(tile->bytes() * 3 + 100);
    for (int i = 1; i < 6; ++i) {
        cache.request(0, i, height);
        ASSERT_TRUE(QTest::qWaitFor([&] { return cache.peek(0, i, height) != nullptr; }, 5000));
    }
    EXPECT_LE(cache.memoryUsed(), cache.memoryLimit());
    EXPECT_EQ(cache.peek(0, 0, height), nullptr);
    EXPECT_NE(cache.peek(0, 5, height), nullptr);
    EXPECT_NE(cache.peek(0, 4, height), nullptr);

    // Zoom levels: columns twice as far apart every two levels; the level for a zoom never has columns wider than a pixel.
    EXPECT_DOUBLE_EQ(SpectrogramTileCache::columnHop(settings, 2), 128.0);
    EXPECT_EQ(SpectrogramTileCache::levelFor(settings, 10.0), 0);
    for (double fpp : {65.0, 100.0, 1000.0, 12345.0}) {
        int level = SpectrogramTileCache::levelFor(settings, fpp);
        EXPECT_LE(SpectrogramTileCache::columnHop(settings, level), fpp);
        EXPECT_GT(SpectrogramTileCache::columnHop(settings, level + 1), fpp);
    }
}

TEST(SpectrogramTileCache, TileOfAGrowingFileFillsInAsSamplesArrive) {
    const int rate = 8000;
    auto store = std::make_shared<SampleStore>(rate, std::vector<SampleStore::SegmentPlan>{{0, -1}}, 8000 * 10);
    auto tone = test::sine(500.0, 10.0, rate);
    store->append(0, std::span<const float>(tone).first(8000 * 2));  // 2 s of 10
    SpectrogramTileCache cache;
    SpectrogramSettings settings;
    settings.nFft = 256;
    settings.hop = 128;
    cache.setSettings(settings);
    cache.setSamples(store);
    // Tile 0 at level 4 spans 256 columns of 512 frames = 16.4 s: all of the file.
    cache.request(4, 0, 32);
    std::shared_ptr<const SpectrogramTile> partial;
    ASSERT_TRUE(QTest::qWaitFor([&] { return (partial = cache.peek(4, 0, 32)) != nullptr; }, 5000));
    EXPECT_FALSE(partial->complete());
    EXPECT_GT(partial->validColumns, 20);
    EXPECT_LT(partial->validColumns, 40);  // ~2 s / 64 ms
    store->append(0, std::span<const float>(tone).subspan(8000 * 2));
    store->finishSegment(0);
    cache.request(4, 0, 32);  // newer data: re-rendered, only the missing columns
    ASSERT_TRUE(QTest::qWaitFor([&] { auto t = cache.peek(4, 0, 32); return t && t->complete(); }, 5000));
    auto full = cache.peek(4, 0, 32);
    // Columns computed before stay as they were.
    for (int r = 0; r < 32; ++r) EXPECT_EQ(full->levelAt(5, r), partial->levelAt(5, r));
}
