// The player as a user meets it: the waveform draws the file, clicks seek, keys drive playback and zoom, a bad file
// shows an error naming it and the window keeps working, and long files are decoded in parallel segments exactly.
#include "Fixtures.h"

#include "core/audio/AudioDecoder.h"
#include "ui/app/MainWindow.h"
#include "ui/app/MessageBanner.h"
#include "ui/playback/PlaybackService.h"
#include "ui/player/AudioDocument.h"
#include "ui/player/PlayerWidget.h"
#include "ui/player/SpectrogramView.h"
#include "ui/player/TimeViewport.h"
#include "ui/player/TransportBar.h"
#include "ui/player/WaveformView.h"

#include <QDockWidget>
#include <QFile>
#include <QMenu>
#include <QWheelEvent>
#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

using namespace sonolab;
using namespace sonolab::ui;

namespace {

bool waitLoaded(PlayerWidget& player) {
    return QTest::qWaitFor([&] { return player.document()->isOpen() && !player.document()->loading(); }, 15000);
}

}  // namespace

TEST(WaveformView, DrawsTheSineBetweenItsPeaks) {
    QString file = test::sineWav("waveform", 440.0, 3.0, 22050, 0.5f);
    PlayerWidget player;
    player.resize(900, 700);
    player.show();
    player.openFile(file);
    ASSERT_TRUE(waitLoaded(player));
    auto* wave = player.waveform();
    wave->update();
    ASSERT_TRUE(QTest::qWaitFor([&] { return wave->paintedColumns() > wave->dataRect().width() * 9 / 10; }, 5000))
        << wave->paintedColumns();
    QImage image = wave->grab().toImage();
    const QRect data = wave->dataRect();
    const double mid = data.top() + data.height() / 2.0, half = data.height() / 2.0 - 2.0;
    int x = static_cast<int>(wave->xOf(1.5));
    auto isWave = [&](double amplitude) {
        QColor c = image.pixelColor(x, static_cast<int>(std::lround(mid - amplitude * half)));
        return c.blue() > 200 && c.red() < 160;  // the waveform's light blue, not the dark background or grid
    };
    EXPECT_TRUE(isWave(0.4));
    EXPECT_TRUE(isWave(-0.4));
    EXPECT_FALSE(isWave(0.75));  // the sine's amplitude is 0.5
    EXPECT_FALSE(isWave(-0.75));
    // Past the end of the track nothing is drawn.
    player.viewport()->setView(2.0, player.viewport()->secondsPerPixel());
    QTest::qWait(50);
    image = wave->grab().toImage();
    int after = static_cast<int>(wave->xOf(3.2));
    if (after < data.right()) {
        QColor c = image.pixelColor(after, static_cast<int>(mid - 0.3 * half));
        EXPECT_LT(c.blue(), 150);
    }
}

TEST(PlayerWidget, ClickSeeksAndKeysMoveTheCursorAndZoom) {
    QString file = test::sineWav("keys", 440.0, 10.0);
    PlayerWidget player;
    player.resize(1000, 700);
    player.show();
    player.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&player));
    player.openFile(file);
    ASSERT_TRUE(waitLoaded(player));
    EXPECT_NEAR(player.durationSeconds(), 10.0, 1e-3);

    auto* view = player.spectrogram();
    QSignalSpy moved(&player, &PlayerWidget::positionChanged);
    QTest::mouseClick(view, Qt::LeftButton, {}, QPoint(static_cast<int>(std::lround(view->xOf(6.0))), 50));
    double pixel = player.viewport()->secondsPerPixel();
    EXPECT_NEAR(player.positionSeconds(), 6.0, pixel);
    EXPECT_EQ(moved.count(), 1);
    EXPECT_NEAR(view->cursorSeconds(), player.positionSeconds(), 1e-9);
    EXPECT_NEAR(player.waveform()->cursorSeconds(), player.positionSeconds(), 1e-9);
    EXPECT_TRUE(player.transport()->positionText().startsWith(QStringLiteral("0:06"))) << player.transport()->positionText().toStdString();

    // Clicking the waveform seeks too.
    auto* wave = player.waveform();
    QTest::mouseClick(wave, Qt::LeftButton, {}, QPoint(static_cast<int>(std::lround(wave->xOf(2.5))), 30));
    EXPECT_NEAR(player.positionSeconds(), 2.5, pixel);

    view->setFocus();
    QTest::keyClick(view, Qt::Key_End);
    EXPECT_NEAR(player.positionSeconds(), 10.0, 1e-3);
    QTest::keyClick(view, Qt::Key_Home);
    EXPECT_EQ(player.positionSeconds(), 0.0);
    QTest::keyClick(view, Qt::Key_Right);
    EXPECT_NEAR(player.positionSeconds(), player.viewport()->visibleSeconds() / 10, 1e-6);
    QTest::keyClick(view, Qt::Key_Left);
    EXPECT_NEAR(player.positionSeconds(), 0.0, 1e-9);

    // Ctrl+= / Ctrl+- zoom about the centre, Ctrl+0 fits the whole track again.
    double fitted = player.viewport()->secondsPerPixel();
    EXPECT_TRUE(player.viewport()->fitted());
    QTest::keyClick(view, Qt::Key_Equal, Qt::ControlModifier);
    EXPECT_NEAR(player.viewport()->secondsPerPixel(), fitted / 2, fitted * 1e-9);
    EXPECT_FALSE(player.viewport()->fitted());
    QTest::keyClick(view, Qt::Key_Minus, Qt::ControlModifier);
    QTest::keyClick(view, Qt::Key_Equal, Qt::ControlModifier);
    QTest::keyClick(view, Qt::Key_Equal, Qt::ControlModifier);
    EXPECT_NEAR(player.viewport()->secondsPerPixel(), fitted / 4, fitted * 1e-9);
    QTest::keyClick(view, Qt::Key_0, Qt::ControlModifier);
    EXPECT_TRUE(player.viewport()->fitted());

    // The wheel zooms about the pointer: the time under it stays put.
    QPoint at(static_cast<int>(view->xOf(7.0)), 40);
    double before = view->secondsAt(at.x());
    QWheelEvent wheel(at, view->mapToGlobal(at), QPoint(), QPoint(0, 240), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(view, &wheel);
    EXPECT_LT(player.viewport()->secondsPerPixel(), fitted);
    EXPECT_NEAR(view->secondsAt(at.x()), before, player.viewport()->secondsPerPixel());
    // Seeking to a time outside the zoomed view brings the view along.
    player.seek(0.5);
    EXPECT_LE(player.viewport()->start(), 0.5);
    EXPECT_GE(player.viewport()->end(), 0.5);
}

TEST(PlayerWidget, SpaceStartsPlaybackOnTheNullDevice) {
    QString file = test::sineWav("space", 440.0, 5.0, 44100);
    PlaybackService playback;
    PlayerWidget player(nullptr, &playback);
    if (!player.playbackAvailable())
        GTEST_SKIP() << "no audio output (not even ALSA's null device): " << player.playbackUnavailableReason().toStdString();
    player.resize(900, 600);
    player.show();
    player.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&player));
    player.openFile(file);
    ASSERT_TRUE(waitLoaded(player));
    player.spectrogram()->setFocus();
    QTest::keyClick(player.spectrogram(), Qt::Key_Space);
    // The null device consumes frames much faster than real time: count frames, not seconds.
    ASSERT_TRUE(QTest::qWaitFor([&] { return playback.framesPlayed() > 44100; }, 10000)) << playback.framesPlayed();
    // And the whole file plays to its end: the cursor ends at the end.
    ASSERT_TRUE(QTest::qWaitFor([&] { return !player.isPlaying(); }, 10000));
    EXPECT_GE(playback.framesPlayed(), 5 * 44100 - 4096);
}

TEST(PlayerWidget, NoAudioDeviceLeavesEverythingElseWorking) {
    QString file = test::sineWav("nodevice", 440.0, 2.0);
    PlayerWidget player;  // no playback service: what a window without any output device gets
    EXPECT_FALSE(player.playbackAvailable());
    EXPECT_FALSE(player.playbackUnavailableReason().isEmpty());
    player.resize(800, 600);
    player.show();
    QSignalSpy status(&player, &PlayerWidget::statusMessage);
    player.openFile(file);
    ASSERT_TRUE(waitLoaded(player));
    player.togglePlayPause();
    EXPECT_FALSE(player.isPlaying());
    EXPECT_EQ(status.count(), 1);
    player.seek(1.0);
    EXPECT_NEAR(player.positionSeconds(), 1.0, 1e-9);
    ASSERT_TRUE(QTest::qWaitFor([&] { return player.spectrogram()->complete(); }, 15000));
}

TEST(MainWindow, BadFilesShowAnErrorNamingTheFileAndTheWindowStaysUsable) {
    auto dir = test::freshDir("uiplayer-bad");
    auto textFile = dir / "notes.mp3";
    std::ofstream(textFile) << "this is not audio, just text renamed to .mp3\n";
    auto empty = dir / "empty.wav";
    std::ofstream(empty).flush();
    MainWindow window(MainWindow::Options{.playback = false, .restoreLayout = false});
    window.show();
    auto* player = window.player();

    for (auto bad : {textFile, empty, dir / "missing.flac"}) {
        QSignalSpy failed(player, &PlayerWidget::fileFailed);
        window.openFile(QString::fromStdString(bad.string()));
        ASSERT_TRUE(failed.wait(10000)) << bad;
        QString message = window.banner()->text();
        EXPECT_TRUE(message.contains(QString::fromStdString(bad.filename().string()))) << message.toStdString();
        EXPECT_TRUE(window.banner()->isVisible());
    }
    // A good file afterwards opens normally and clears the error.
    QString good = test::sineWav("bad-then-good", 1000.0, 2.0);
    window.openFile(good);
    ASSERT_TRUE(QTest::qWaitFor([&] { return player->spectrogram()->complete(); }, 15000));
    EXPECT_FALSE(window.banner()->isVisible());
    EXPECT_NEAR(player->durationSeconds(), 2.0, 1e-3);
    EXPECT_TRUE(window.windowTitle().contains(QStringLiteral("bad-then-good.wav")));
}

TEST(MainWindow, PanelsDockAndTabsAppearBesideThePlayer) {
    MainWindow window(MainWindow::Options{.playback = false, .restoreLayout = false});
    window.show();
    auto* a = new QWidget;
    auto* b = new QWidget;
    auto* dockA = window.addPanel(a, QStringLiteral("Library"), Qt::LeftDockWidgetArea);
    auto* dockB = window.addPanel(b, QStringLiteral("Neighbours"), Qt::LeftDockWidgetArea);
    EXPECT_EQ(dockA->widget(), a);
    EXPECT_EQ(window.dockWidgetArea(dockB), Qt::LeftDockWidgetArea);
    QApplication::processEvents();
    EXPECT_EQ(window.tabifiedDockWidgets(dockA).size(), 1) << int(window.dockWidgetArea(dockA));
    EXPECT_EQ(window.panelsMenu()->actions().size(), 2);
    auto* page = new QWidget;
    int index = window.addTab(page, QStringLiteral("Training"));
    EXPECT_EQ(index, 1);
    window.showTab(page);
    EXPECT_TRUE(page->isVisible());
    EXPECT_FALSE(window.player()->isVisible());
    // Opening a file brings the player back to the front.
    window.openFile(test::sineWav("tabs", 440.0, 1.0));
    EXPECT_TRUE(window.player()->isVisible());
    // A folder goes to the folder handler (the library panel's, once registered).
    QString opened;
    window.setFolderHandler([&](const QString& path) { opened = path; });
    auto folder = test::freshDir("uiplayer-folder");
    window.openFile(QString::fromStdString(folder.string()));
    EXPECT_EQ(opened, QString::fromStdString(folder.string()));
}

TEST(AudioDocument, ParallelSegmentsDecodeExactlyWhatOneDecoderDoes) {
    // 90 s: long enough to be split. A chirp-free but non-periodic signal (two sines) so misplaced segments would show.
    const int rate = 22050;
    auto a = test::sine(440.0, 90.0, rate, 0.3f), b = test::sine(97.0, 90.0, rate, 0.3f);
    for (std::size_t i = 0; i < a.size(); ++i) a[i] += b[i] * static_cast<float>(i) / static_cast<float>(a.size());
    auto path = test::freshDir("uiplayer-segments") / "two.wav";
    test::writeWav16(path, a, rate);

    AudioDocument doc;
    QSignalSpy finished(&doc, &AudioDocument::finished);
    doc.open(QString::fromStdString(path.string()), 3);
    ASSERT_TRUE(finished.wait(20000));
    ASSERT_FALSE(doc.hasFailed()) << doc.errorMessage().toStdString();
    auto store = doc.samples();
    EXPECT_EQ(store->segmentCount(), 3);
    auto reference = audio::decode(path, audio::DecodeOptions{.mono = true});
    ASSERT_EQ(store->frames(), static_cast<std::int64_t>(reference.frames()));
    std::vector<float> got(reference.frames());
    store->read(0, got);
    double worst = 0;
    for (std::size_t i = 0; i < got.size(); ++i) worst = std::max(worst, double(std::abs(got[i] - reference.samples[i])));
    EXPECT_EQ(worst, 0.0);
    EXPECT_TRUE(store->covered(0, store->frames()));
    // Peaks across segment boundaries agree with the samples.
    // PeakSummary widens each pixel to its bucket grid (4096 frames here): the result lies between the exact
    // min/max of the pixel and that of the pixel widened by one bucket on each side.
    auto peaks = doc.peaks(0, double(store->frames()), 90);
    const auto& r = reference.samples;
    for (int p = 0; p < 90; ++p) {
        auto begin = r.begin() + p * rate, end = begin + rate;
        auto [mn, mx] = std::minmax_element(begin, end);
        auto wideBegin = r.begin() + std::max(0, p * rate - 4096);
        auto wideEnd = r.begin() + std::min<long>(long(r.size()), long(p + 1) * rate + 4096);
        auto [wmn, wmx] = std::minmax_element(wideBegin, wideEnd);
        const auto& got = peaks[static_cast<std::size_t>(p)];
        ASSERT_TRUE(got.valid()) << p;
        EXPECT_LE(got.min, *mn) << p;
        EXPECT_GE(got.min, *wmn) << p;
        EXPECT_GE(got.max, *mx) << p;
        EXPECT_LE(got.max, *wmx) << p;
    }
}
