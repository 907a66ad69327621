// Onsets in the player as a user meets them: detection on a generated click train draws a marker at each click's
// pixel column over both views (and stays aligned when zooming), a click near a marker seeks exactly to the onset,
// . and , step between onsets, a .onsets file beside the audio shows as annotations in their own colour, detections
// export one time per line, and everything is cleared when another track is opened.
#include "Fixtures.h"

#include "core/onsets/OnsetDataset.h"
#include "ui/playback/PlaybackService.h"
#include "ui/player/AudioDocument.h"
#include "ui/player/OnsetBar.h"
#include "ui/player/OnsetController.h"
#include "ui/player/OnsetDetectionJob.h"
#include "ui/player/OnsetOverlay.h"
#include "ui/player/OnsetTrack.h"
#include "ui/player/PlayerWidget.h"
#include "ui/player/SpectrogramView.h"
#include "ui/player/TimeViewport.h"
#include "ui/player/WaveformView.h"

#include <QAction>
#include <QCheckBox>
#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

using namespace sonolab;
using namespace sonolab::ui;

namespace {

const std::vector<double> kClicks{0.30, 0.55, 0.93, 1.20, 1.61, 1.85, 2.32, 2.70, 2.95, 3.41};


std::filesystem::path clickWav(const std::filesystem::path& dir, const std::string& name = "clicks", double seconds = 4.0) {
    const auto path = dir / (name + ".wav");
    test::writeWav16(path, test::clickTrain(kClicks, seconds, 44100), 44100);
    return path;
}

QString q(const std::filesystem::path& p) { return QString::fromStdString(p.string()); }

bool waitLoaded(PlayerWidget& player) {
    return QTest::qWaitFor([&] { return player.document()->isOpen() && !player.document()->loading(); }, 15000);
}

bool waitDetected(PlayerWidget& player) {
    return QTest::qWaitFor([&] { return player.onsets()->track()->hasDetection() && !player.onsets()->busy(); }, 30000);
}

bool waitSpectrogram(PlayerWidget& player) {
    player.spectrogram()->update();
    return QTest::qWaitFor([&] { return player.spectrogram()->complete(); }, 15000);
}

bool sameColour(QColor a, QColor b) { return a.red() == b.red() && a.green() == b.green() && a.blue() == b.blue(); }

int column(const TimelineView& view, double t) { return int(std::floor(view.xOf(t))); }

// Opens a fresh player on `file` with onsets switched on and waits for the detection.
void openAndDetect(PlayerWidget& player, const QString& file) {
    player.resize(1100, 700);
    player.show();
    player.onsetBar()->setShowOnsets(true);
    player.openFile(file);
    ASSERT_TRUE(waitLoaded(player));
    ASSERT_TRUE(waitDetected(player)) << player.onsetBar()->summary().toStdString();
}

}  // namespace

TEST(OnsetOverlay, DetectedClickTrainIsDrawnAtEachClicksColumnInBothViews) {
    const auto dir = test::freshDir("uiplayer-onset-markers");
    PlayerWidget player;
    openAndDetect(player, q(clickWav(dir)));
    const auto* track = player.onsets()->track();
    ASSERT_EQ(track->detected().size(), kClicks.size());
    for (std::size_t i = 0; i < kClicks.size(); ++i) EXPECT_NEAR(track->detected()[i], kClicks[i], 0.011) << i;
    EXPECT_EQ(track->detection().method, "flux");
    EXPECT_EQ(track->detection().activation.size(), track->detection().threshold.size());
    // Every onset passed peak picking, so its frame reaches the drawn threshold curve.
    for (double t : track->detected()) {
        const auto f = std::size_t(std::llround(t * track->detection().fps));
        EXPECT_GE(track->detection().activation[f], track->detection().threshold[f]) << t;
    }
    EXPECT_TRUE(player.onsetBar()->summary().contains(QStringLiteral("10 onsets")));

    auto checkViews = [&](const char* when) {
        ASSERT_TRUE(waitSpectrogram(player));
        for (TimelineView* view : {static_cast<TimelineView*>(player.waveform()), static_cast<TimelineView*>(player.spectrogram())}) {
            const QImage image = view->grab().toImage();
            const QRect data = view->dataRect();
            int drawn = 0;
            for (double t : track->detected()) {
                const int x = column(*view, t);
                if (x < data.left() || x > data.right()) continue;
                ++drawn;
                // Below the notch, where only the line is: the marker's exact colour in the onset's column, and
                // not in the columns 3 px to either side.
                const int y = data.top() + data.height() / 3;
                EXPECT_TRUE(sameColour(image.pixelColor(x, y), OnsetOverlay::detectedColour()))
                    << when << " t=" << t << " x=" << x << " " << image.pixelColor(x, y).name().toStdString();
                EXPECT_FALSE(sameColour(image.pixelColor(x + 3, y), OnsetOverlay::detectedColour())) << when << " t=" << t;
                EXPECT_FALSE(sameColour(image.pixelColor(x - 3, y), OnsetOverlay::detectedColour())) << when << " t=" << t;
            }
            EXPECT_GT(drawn, 0) << when;
            // Half-way between two onsets no column has the marker colour.
            const int between = column(*view, (track->detected()[3] + track->detected()[4]) / 2);
            if (between > data.left() && between < data.right()) {
                for (int y = data.top(); y <= data.bottom(); ++y)
                    ASSERT_FALSE(sameColour(image.pixelColor(between, y), OnsetOverlay::detectedColour())) << when;
            }
        }
    };
    checkViews("fitted");
    // Zoomed in 6x and scrolled: the markers move with the time axis.
    player.viewport()->setView(0.8, player.viewport()->secondsPerPixel() / 6);
    QTest::qWait(20);
    checkViews("zoomed");
    player.viewport()->fitAll();

    // The detection curve: orange pixels on the waveform with the curve on, none with it off.
    auto orange = [&] {
        const QImage image = player.waveform()->grab().toImage();
        int n = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = player.waveform()->dataRect().left(); x < image.width(); ++x) {
                const QColor c = image.pixelColor(x, y);
                n += c.red() > 200 && c.green() > 100 && c.green() < 170 && c.blue() < 100;
            }
        return n;
    };
    EXPECT_GT(orange(), 40);
    player.onsets()->track()->setCurveVisible(false);
    EXPECT_EQ(orange(), 0);
    // Hiding onsets removes the markers.
    player.onsetBar()->setShowOnsets(false);
    const QImage hidden = player.waveform()->grab().toImage();
    const int x = column(*player.waveform(), track->detected()[0]);
    EXPECT_FALSE(sameColour(hidden.pixelColor(x, player.waveform()->dataRect().height() / 3), OnsetOverlay::detectedColour()));
}

TEST(OnsetOverlay, ClickNearAMarkerSeeksExactlyToItAndKeysStepBetweenOnsets) {
    const auto dir = test::freshDir("uiplayer-onset-seek");
    PlayerWidget player;
    openAndDetect(player, q(clickWav(dir)));
    player.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&player));
    const auto times = player.onsets()->track()->detected();
    ASSERT_GE(times.size(), 5u);
    auto* wave = player.waveform();
    const int y = wave->dataRect().center().y();

    // 3 px right of the 3rd onset: snaps to it exactly.
    QTest::mouseClick(wave, Qt::LeftButton, {}, QPoint(column(*wave, times[2]) + 3, y));
    EXPECT_DOUBLE_EQ(player.positionSeconds(), times[2]);
    EXPECT_DOUBLE_EQ(wave->cursorSeconds(), times[2]);
    // 3 px left of the 5th onset, on the spectrogram.
    auto* spec = player.spectrogram();
    QTest::mouseClick(spec, Qt::LeftButton, {}, QPoint(column(*spec, times[4]) - 3, spec->dataRect().center().y()));
    EXPECT_DOUBLE_EQ(player.positionSeconds(), times[4]);
    // Far from any marker: an ordinary seek to the time under the pointer.
    const int farX = column(*wave, (times[0] + times[1]) / 2);
    QTest::mouseClick(wave, Qt::LeftButton, {}, QPoint(farX, y));
    EXPECT_NEAR(player.positionSeconds(), wave->secondsAt(farX), 1e-9);
    for (double t : times) EXPECT_GT(std::abs(player.positionSeconds() - t), 0.02);

    // Hovering a marker names it.
    QTest::mouseMove(wave, QPoint(column(*wave, times[1]) + 2, y));
    QTest::qWait(10);
    EXPECT_TRUE(wave->hoverText().contains(QStringLiteral("onset 2 of %1 at ").arg(times.size()))) << wave->hoverText().toStdString();
    EXPECT_TRUE(wave->toolTip().contains(formatTime(times[1])));

    // . and , from the start.
    spec->setFocus();
    player.seek(0);
    QTest::keyClick(spec, Qt::Key_Period);
    EXPECT_DOUBLE_EQ(player.positionSeconds(), times[0]);
    QTest::keyClick(spec, Qt::Key_Period);
    EXPECT_DOUBLE_EQ(player.positionSeconds(), times[1]);
    QTest::keyClick(spec, Qt::Key_Comma);
    EXPECT_DOUBLE_EQ(player.positionSeconds(), times[0]);
    QTest::keyClick(spec, Qt::Key_Comma);  // nothing before the first onset
    EXPECT_DOUBLE_EQ(player.positionSeconds(), times[0]);
}

TEST(OnsetOverlay, SidecarAnnotationsShowInTheirOwnColourAndClearWithTheTrack) {
    const auto dir = test::freshDir("uiplayer-onset-sidecar");
    const auto wav = clickWav(dir, "song");
    // Ground truth beside the audio, one time per line (with a comment line, as hand-made files have).
    {
        std::ofstream out(dir / "song.onsets");
        out << "# hand annotated\n";
        for (double t : kClicks) out << t << "\n";
    }
    PlayerWidget player;
    player.resize(1100, 700);
    player.show();
    player.openFile(q(wav));
    ASSERT_TRUE(waitLoaded(player));
    auto* track = player.onsets()->track();
    ASSERT_EQ(track->annotations(), kClicks);
    EXPECT_FALSE(track->hasDetection());  // onsets are off: annotations only
    EXPECT_TRUE(player.onsetBar()->summary().contains(QStringLiteral("10 annotations (song.onsets)")));

    auto* wave = player.waveform();
    QImage image = wave->grab().toImage();
    const QRect data = wave->dataRect();
    for (double t : kClicks) {
        const int x = column(*wave, t);
        EXPECT_TRUE(sameColour(image.pixelColor(x, data.top() + data.height() / 2), OnsetOverlay::annotationColour())) << t;
        EXPECT_FALSE(sameColour(image.pixelColor(x + 3, data.top() + data.height() / 2), OnsetOverlay::annotationColour())) << t;
    }
    // A click near an annotation snaps to it too.
    QTest::mouseClick(wave, Qt::LeftButton, {}, QPoint(column(*wave, kClicks[6]) + 2, data.center().y()));
    EXPECT_DOUBLE_EQ(player.positionSeconds(), kClicks[6]);

    // Detection on top: detections take the upper part, annotations the lower part of each view.
    player.onsetBar()->setShowOnsets(true);
    ASSERT_TRUE(waitDetected(player));
    player.seek(0);  // the cursor's red line would cover one of the markers
    image = wave->grab().toImage();
    const int upper = data.top() + data.height() / 5, lower = data.bottom() - data.height() / 5;
    for (double t : track->detected()) EXPECT_TRUE(sameColour(image.pixelColor(column(*wave, t), upper), OnsetOverlay::detectedColour())) << t;
    for (double t : kClicks) EXPECT_TRUE(sameColour(image.pixelColor(column(*wave, t), lower), OnsetOverlay::annotationColour())) << t;

    // Another track without annotations: everything of the first one is gone.
    const auto other = test::freshDir("uiplayer-onset-sidecar-other");
    player.onsetBar()->setShowOnsets(false);
    player.openFile(q(clickWav(other, "other", 2.0)));
    EXPECT_FALSE(track->hasDetection());
    EXPECT_TRUE(track->annotations().empty());
    ASSERT_TRUE(waitLoaded(player));
    EXPECT_TRUE(player.onsetBar()->summary().isEmpty()) << player.onsetBar()->summary().toStdString();
}

TEST(OnsetOverlay, FindsAnnotationsInTheIsmirLayoutAndExportsDetections) {
    const auto dir = test::freshDir("uiplayer-onset-layout");
    std::filesystem::create_directories(dir / "audio");
    std::filesystem::create_directories(dir / "annotations" / "onsets");
    const auto wav = clickWav(dir / "audio", "take1");
    onsets::writeOnsetsFile(dir / "annotations" / "onsets" / "take1.onsets", {0.3, 0.55});
    EXPECT_EQ(OnsetTrack::sidecarFor(q(wav)), q(dir / "annotations" / "onsets" / "take1.onsets"));
    EXPECT_TRUE(OnsetTrack::sidecarFor(q(dir / "missing.wav")).isEmpty());

    PlayerWidget player;
    openAndDetect(player, q(wav));
    EXPECT_EQ(player.onsets()->track()->annotations(), (std::vector<double>{0.3, 0.55}));

    const auto out = dir / "take1.flux.onsets";
    ASSERT_TRUE(player.onsets()->exportTo(q(out)));
    std::ifstream in(out);
    std::vector<double> lines;
    for (double t; in >> t;) lines.push_back(t);
    const auto& detected = player.onsets()->track()->detected();
    ASSERT_EQ(lines.size(), detected.size());
    for (std::size_t i = 0; i < lines.size(); ++i) EXPECT_NEAR(lines[i], detected[i], 1e-6);
    // Nothing to export is said, not written.
    player.onsets()->track()->clearDetection();
    QSignalSpy status(player.onsets(), &OnsetController::statusMessage);
    EXPECT_FALSE(player.onsets()->exportTo(q(dir / "none.onsets")));
    EXPECT_FALSE(std::filesystem::exists(dir / "none.onsets"));
    EXPECT_EQ(status.count(), 1);
}

TEST(OnsetDetectionJob, BadRunFolderFailsWithAMessageAndCancelDropsTheResult) {
    const auto dir = test::freshDir("uiplayer-onset-job");
    const QString wav = q(clickWav(dir, "long", 30.0));
    OnsetDetectionJob job;
    QSignalSpy failed(&job, &OnsetDetectionJob::failed);
    QSignalSpy finished(&job, &OnsetDetectionJob::finished);
    QSignalSpy cancelled(&job, &OnsetDetectionJob::cancelled);
    job.start(wav, onsets::OnsetMethod::parse("rnn:" + (dir / "no-such-run").string()));
    ASSERT_TRUE(QTest::qWaitFor([&] { return !job.running(); }, 15000));
    ASSERT_EQ(failed.count(), 1);
    EXPECT_TRUE(failed.at(0).at(1).toString().contains(QStringLiteral("no-such-run"))) << failed.at(0).at(1).toString().toStdString();

    job.start(wav, onsets::OnsetMethod::parse("flux"));
    EXPECT_TRUE(job.running());
    job.cancel();
    EXPECT_FALSE(job.running());
    EXPECT_EQ(cancelled.count(), 1);
    QTest::qWait(1500);  // the worker finishes or stops; its result must not arrive
    EXPECT_EQ(finished.count(), 0);

    job.start(wav, onsets::OnsetMethod::parse("flux"));
    ASSERT_TRUE(QTest::qWaitFor([&] { return !job.running(); }, 30000));
    ASSERT_EQ(finished.count(), 1);
    const auto d = finished.at(0).at(1).value<OnsetTrack::Detection>();
    EXPECT_EQ(d.times.size(), kClicks.size());

    // A job destroyed mid-run (the window closes) waits for its workers, a cancelled one included.
    auto doomed = std::make_unique<OnsetDetectionJob>();
    doomed->start(wav, onsets::OnsetMethod::parse("flux"));
    doomed->start(wav, onsets::OnsetMethod::parse("flux"));
    doomed.reset();
    QTest::qWait(50);
}

TEST(OnsetOverlay, ClickToggleIsOffWithoutPlayback) {
    PlayerWidget player;
    EXPECT_FALSE(player.onsetBar()->clickBox()->isEnabled());
    EXPECT_FALSE(player.onsets()->navigationActions().at(2)->isEnabled());
    EXPECT_FALSE(player.onsetBar()->clickBox()->toolTip().isEmpty());
}

TEST(OnsetOverlay, ClickToggleReachesThePlaybackEngine) {
    const auto dir = test::freshDir("uiplayer-onset-clicks");
    PlaybackService playback;
    PlayerWidget player(nullptr, &playback);
    if (!player.playbackAvailable()) GTEST_SKIP() << player.playbackUnavailableReason().toStdString();
    openAndDetect(player, q(clickWav(dir)));
    EXPECT_FALSE(playback.clicksEnabled());
    player.onsetBar()->clickBox()->click();
    EXPECT_TRUE(playback.clicksEnabled());
    const auto actions = player.onsets()->navigationActions();
    ASSERT_EQ(actions.size(), 3);
    EXPECT_TRUE(actions[2]->isChecked());
    actions[2]->trigger();
    EXPECT_FALSE(playback.clicksEnabled());
    EXPECT_FALSE(player.onsetBar()->clicks());

    // The clicks belong to the player's track: another view's sound plays without them, and they come back when the
    // player plays its own track again.
    player.onsetBar()->clickBox()->click();
    ASSERT_TRUE(playback.clicksEnabled());
    QObject other;
    ASSERT_TRUE(playback.load(&other, player.currentFile()));
    EXPECT_FALSE(playback.clicksEnabled());
    player.togglePlayPause();
    EXPECT_TRUE(playback.owns(&player));
    EXPECT_TRUE(playback.clicksEnabled());
    player.stop();
}
