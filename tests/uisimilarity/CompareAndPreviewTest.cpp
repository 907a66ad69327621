// The browser's "why do they match" and "preview by ear" offscreen, on real generated WAV files: the query's and a
// neighbour's spectrograms with the matched window framed where the neighbour really holds the query's sound, a
// click on a spectrogram playing from there, and hovering a map dot previewing that track on the ALSA null device.
#include "Fixtures.h"

#include "ui/playback/PlaybackService.h"
#include "ui/player/AudioDocument.h"
#include "ui/similarity/CollectionMap.h"
#include "ui/similarity/ComparisonPanel.h"
#include "ui/similarity/HoverPreview.h"
#include "ui/similarity/MatchSpectrogramView.h"
#include "ui/similarity/SimilarityBrowser.h"

#include <QCheckBox>
#include <QImage>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>
#include <QToolTip>

#include <gtest/gtest.h>

#include <algorithm>

using namespace sonolab;
using test::MixedCollection;
using test::screenshotDir;

namespace {

// The row (in widget y) where a column range of a grabbed spectrogram is brightest, summed over the columns.
int brightestRow(const QImage& image, int x0, int x1, int top, int bottom) {
    int best = -1;
    double bestSum = -1;
    for (int y = top; y < bottom; ++y) {
        double sum = 0;
        for (int x = x0; x < x1; ++x) {
            const QColor c = image.pixelColor(x, y);
            sum += c.red() + c.green() + c.blue();
        }
        if (sum > bestSum) {
            bestSum = sum;
            best = y;
        }
    }
    return best;
}

int rowOf(const ui::SimilarityBrowser& browser, std::int64_t id) {
    const auto ids = browser.neighbourIds();
    auto it = std::find(ids.begin(), ids.end(), id);
    return it == ids.end() ? -1 : int(it - ids.begin());
}

}  // namespace

TEST(SimilarityComparison, SelectingATrackShowsBothSpectrogramsWithTheMatchedBand) {
    test::BrowserOn<MixedCollection> b("compare", {1300, 820}, 4);
    auto& [c, playback, browser] = b;
    QSignalSpy ready(&browser, &ui::SimilarityBrowser::spaceReady);
    QSignalSpy failed(&browser, &ui::SimilarityBrowser::spaceFailed);
    browser.requestSpace("mfcc");
    ASSERT_TRUE(ready.wait(120000)) << (failed.isEmpty() ? std::string("timeout") : failed.at(0).at(1).toString().toStdString());
    browser.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&browser));

    browser.selectTrack(c.id["low"]);
    auto* panel = browser.comparison();
    // Selecting a track compares it with its nearest neighbour at once.
    ASSERT_FALSE(browser.neighbourIds().empty());
    EXPECT_EQ(panel->trackId(ui::ComparisonPanel::Query), c.id["low"]);
    EXPECT_EQ(panel->trackId(ui::ComparisonPanel::Neighbour), browser.neighbourIds().front());

    // Pick "mixed" in the list: its band must sit where it holds the query's tone (after 4.5 s), not on the high part.
    const int row = rowOf(browser, c.id["mixed"]);
    ASSERT_GE(row, 0);
    browser.neighbourTable()->setCurrentCell(row, ui::SimilarityBrowser::Track);
    EXPECT_EQ(panel->trackId(ui::ComparisonPanel::Neighbour), c.id["mixed"]);
    auto* query = panel->view(ui::ComparisonPanel::Query);
    auto* neighbour = panel->view(ui::ComparisonPanel::Neighbour);
    ASSERT_TRUE(neighbour->band().has_value());
    ASSERT_TRUE(query->band().has_value());
    EXPECT_GE(neighbour->band()->startSeconds, MixedCollection::kSwitch - 0.1);
    EXPECT_LE(neighbour->band()->endSeconds(), 8.0 + 1e-6);
    EXPECT_NEAR(neighbour->band()->durationSeconds, 3.0, 0.05);
    EXPECT_GE(query->band()->startSeconds, 0.0);
    EXPECT_LE(query->band()->endSeconds(), 8.0 + 1e-6);

    // Both decoded and drawn (tiles render on worker threads).
    for (int i = 0; i < 600 && !panel->complete(); ++i) QTest::qWait(20);
    ASSERT_TRUE(panel->complete());
    EXPECT_EQ(panel->document(ui::ComparisonPanel::Query)->path().toStdString(), (c.dir / "low.wav").generic_string());
    EXPECT_EQ(panel->document(ui::ComparisonPanel::Neighbour)->path().toStdString(), (c.dir / "mixed.wav").generic_string());
    // Same frequency axis and colour range on both.
    EXPECT_TRUE(query->settings() == neighbour->settings());
    EXPECT_EQ(query->frequencyScale().maxHz(), neighbour->frequencyScale().maxHz());

    // The band is drawn at its time: its left edge is where the view puts its start time.
    const QRectF band = neighbour->bandRect();
    EXPECT_NEAR(band.left(), neighbour->xOf(neighbour->band()->startSeconds), 0.5);
    EXPECT_NEAR(band.left(), neighbour->xOf(4.46), 0.06 / neighbour->viewport()->secondsPerPixel());

    // What the user sees: inside the bands both spectrograms are brightest on the same row (the query's tone, same
    // scale); before the switch the neighbour is brightest elsewhere (its high tone).
    const QImage q = query->grab().toImage(), n = neighbour->grab().toImage();
    const QRect data = neighbour->dataRect();
    const QRectF qb = query->bandRect();
    const int inQuery = brightestRow(q, int(qb.left()) + 4, int(qb.right()) - 4, data.top() + 20, data.bottom());
    const int inBand = brightestRow(n, int(band.left()) + 4, int(band.right()) - 4, data.top() + 20, data.bottom());
    const int before = brightestRow(n, int(neighbour->xOf(0.5)), int(neighbour->xOf(4.0)), data.top() + 20, data.bottom());
    EXPECT_NEAR(inBand, inQuery, 3);
    EXPECT_LT(before, inBand - 10);  // higher frequency = nearer the top
    // Outside the band the neighbour is dimmed; inside it is not.
    const QColor dimmed = n.pixelColor(int(neighbour->xOf(2.0)), before);
    const QColor lit = n.pixelColor(int(band.center().x()), inBand);
    EXPECT_GT(lit.red() + lit.green() + lit.blue(), dimmed.red() + dimmed.green() + dimmed.blue());
    browser.grab().save(QString::fromStdString((screenshotDir() / "comparison.png").string()));

    // A click on the neighbour's spectrogram plays it from there.
    if (!playback.available()) GTEST_SKIP() << "no audio output: " << playback.unavailableReason().toStdString();
    QSignalSpy started(&browser, &ui::SimilarityBrowser::playbackStarted);
    QTest::mouseClick(neighbour, Qt::LeftButton, {}, QPoint(int(neighbour->xOf(2.0)), data.center().y()));
    ASSERT_EQ(started.count(), 1);
    EXPECT_EQ(started.at(0).at(0).toLongLong(), c.id["mixed"]);
    EXPECT_NEAR(started.at(0).at(1).toDouble(), 2.0, 2 * neighbour->viewport()->secondsPerPixel());
    for (int i = 0; i < 200 && playback.framesPlayed() == 0; ++i) QTest::qWait(10);
    EXPECT_GT(playback.framesPlayed(), 0);
    EXPECT_TRUE(playback.stop(&browser));
}

TEST(SimilarityPreview, HoveringAMapPointPreviewsThatTrackAndLeavingStops) {
    test::BrowserOn<MixedCollection> b("preview", {1200, 700}, 10);
    auto& [c, playback, browser] = b;
    browser.addSpace(c.handSpace());
    QSignalSpy mapped(&browser, &ui::SimilarityBrowser::mapReady);
    ASSERT_TRUE(mapped.count() > 0 || mapped.wait(10000));
    browser.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&browser));
    if (!playback.available()) GTEST_SKIP() << "no audio output: " << playback.unavailableReason().toStdString();

    auto* map = browser.map();
    auto* preview = browser.preview();
    QSignalSpy started(preview, &ui::HoverPreview::previewStarted);
    QSignalSpy stopped(preview, &ui::HoverPreview::previewStopped);
    const QPoint dot = map->widgetPosition(c.id["high b"]).toPoint();
    QTest::mouseMove(map, QPoint(5, map->height() - 5));
    QTest::mouseMove(map, dot);
    EXPECT_EQ(map->hoveredTrack(), c.id["high b"]);
    // The tooltip names the track and its labels.
    EXPECT_TRUE(QToolTip::text().contains("Artist high b – high b")) << QToolTip::text().toStdString();
    EXPECT_TRUE(QToolTip::text().contains("high, tone")) << QToolTip::text().toStdString();  // most specific first
    EXPECT_EQ(started.count(), 0);  // not before the delay
    ASSERT_TRUE(started.wait(3000));
    EXPECT_EQ(started.at(0).at(0).toLongLong(), c.id["high b"]);
    // Without windows in this space the preview starts a third of the way in; it is a few seconds long.
    EXPECT_NEAR(started.at(0).at(1).toDouble(), 8.0 / 3, 1e-6);
    EXPECT_NEAR(playback.durationSeconds(), preview->params().seconds, 0.01);
    EXPECT_TRUE(playback.owns(preview));
    for (int i = 0; i < 200 && playback.framesPlayed() == 0; ++i) QTest::qWait(10);
    EXPECT_GT(playback.framesPlayed(), 0);
    EXPECT_EQ(preview->previewing(), c.id["high b"]);

    // Leaving the dot stops it.
    QTest::mouseMove(map, QPoint(5, map->height() - 5));
    EXPECT_EQ(map->hoveredTrack(), -1);
    ASSERT_EQ(stopped.count(), 1);
    EXPECT_EQ(stopped.at(0).at(0).toLongLong(), c.id["high b"]);
    EXPECT_EQ(preview->previewing(), -1);
    EXPECT_FALSE(playback.isPlaying(playback.owner()));

    // Passing over a dot quicker than the delay plays nothing.
    QTest::mouseMove(map, map->widgetPosition(c.id["low"]).toPoint());
    QTest::mouseMove(map, QPoint(5, map->height() - 5));
    QTest::qWait(preview->params().delayMs + 300);
    EXPECT_EQ(started.count(), 1);

    // Switched off, resting on a dot plays nothing.
    browser.hoverPreviewToggle()->setChecked(false);
    QTest::mouseMove(map, map->widgetPosition(c.id["low"]).toPoint());
    QTest::qWait(preview->params().delayMs + 300);
    EXPECT_EQ(started.count(), 1);
    browser.hoverPreviewToggle()->setChecked(true);
    QTest::mouseMove(map, QPoint(5, map->height() - 5));
    QTest::mouseMove(map, map->widgetPosition(c.id["low"]).toPoint());
    ASSERT_TRUE(started.wait(3000));
    EXPECT_EQ(started.at(1).at(0).toLongLong(), c.id["low"]);
    QTest::mouseMove(map, QPoint(5, map->height() - 5));
}
