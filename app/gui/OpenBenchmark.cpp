#include "OpenBenchmark.h"

#include "core/audio/AudioDecoder.h"
#include "ui/app/MainWindow.h"
#include "ui/player/AudioDocument.h"
#include "ui/player/PlayerWidget.h"
#include "ui/player/SpectrogramView.h"
#include "ui/player/WaveformView.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <vector>

namespace sonolab::app {

namespace {

struct OpenTiming {
    double firstPixels = -1;
    double complete = -1;
};

OpenTiming timeOneOpen(const QString& file, int segments) {
    ui::MainWindow window(ui::MainWindow::Options{.playback = false, .restoreLayout = false});
    window.resize(1200, 760);
    window.show();
    QApplication::processEvents();
    auto* player = window.player();
    player->setDecodeSegments(segments);

    OpenTiming timing;
    QElapsedTimer clock;
    QEventLoop loop;
    auto first = [&] {
        if (timing.firstPixels < 0) timing.firstPixels = clock.nsecsElapsed() / 1e9;
    };
    QObject::connect(player->spectrogram(), &ui::SpectrogramView::firstPixels, &loop, first);
    QObject::connect(player->waveform(), &ui::WaveformView::firstPixels, &loop, first);
    QObject::connect(player->spectrogram(), &ui::SpectrogramView::completed, &loop, [&] {
        timing.complete = clock.nsecsElapsed() / 1e9;
        loop.quit();
    });
    QObject::connect(player, &ui::PlayerWidget::fileFailed, &loop, [&](const QString&, const QString& message) {
        std::fprintf(stderr, "sonolab: %s\n", qPrintable(message));
        loop.quit();
    });
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    clock.start();
    window.openFile(file);
    loop.exec();
    return timing;
}

double median(std::vector<double> v) {
    if (v.empty()) return -1;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

}  // namespace

int runOpenBenchmark(const QString& file, int repeats) {
    repeats = std::max(1, repeats);
    std::filesystem::path path(file.toStdU16String());
    double duration = 0;
    std::vector<double> decodeTimes;
    try {
        duration = audio::probe(path).durationSeconds;
        for (int i = 0; i < std::max(2, repeats / 2); ++i) {
            QElapsedTimer clock;
            clock.start();
            auto buffer = audio::decode(path, audio::DecodeOptions{.mono = true});
            decodeTimes.push_back(clock.nsecsElapsed() / 1e9);
            duration = buffer.durationSeconds();
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sonolab: %s\n", e.what());
        return 1;
    }
    double decode = median(decodeTimes);
    std::printf("file: %s (%.1f s of audio), %d cores, window 1200x760, whole track in view\n",
                qPrintable(QFileInfo(file).fileName()), duration, QThread::idealThreadCount());
    std::printf("baseline: decode alone, 1 thread, mono, native rate: %.3f s (%.0fx real time)\n", decode, duration / decode);

    for (int segments : {0, 1}) {
        std::vector<double> first, complete;
        timeOneOpen(file, segments);  // warm-up (fonts, thread pools, page cache)
        for (int i = 0; i < repeats; ++i) {
            auto t = timeOneOpen(file, segments);
            if (t.complete < 0) {
                std::fprintf(stderr, "sonolab: the views did not complete\n");
                return 1;
            }
            first.push_back(t.firstPixels);
            complete.push_back(t.complete);
        }
        double f = median(first), c = median(complete);
        std::printf("open (%s): first pixels %.3f s, complete %.3f s  (median of %d; complete = %.2fx the 1-thread decode)\n",
                    segments == 0 ? "parallel segments" : "1 decoder thread", f, c, repeats, c / decode);
    }
    return 0;
}

}  // namespace sonolab::app
