// How quickly the window answers while a run trains on all cores, against the same window at rest, in one process:
//   bench_ui_responsiveness [SECONDS_PER_CONDITION] [ROUNDS]
// Conditions: idle; training at the window's priority (what the app did before runs trained below it); training
// below the window's priority (the default); training on all cores but one at the window's priority. Each condition
// measures
//   - event-loop lateness: a 10 ms timer's delay beyond its interval (what every click and repaint waits for);
//   - tab switch: a switch posted to the event loop as a click would be, timed to the end of the window's repaint.
// Run under a display (xvfb-run -a -s '-screen 0 1600x1000x24' ...) for the X server's share, or offscreen.
// The rounds interleave the conditions so that load from other processes falls on all of them alike.
#include "core/ml/ProcessSetup.h"
#include "core/similarity/CollectionSpaces.h"
#include "ui/app/MainWindow.h"
#include "ui/player/PlayerWidget.h"
#include "ui/similarity/SimilarityBrowser.h"
#include "ui/training/TrainingDashboard.h"
#include "ui/training/TrainingRunController.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace sonolab;

namespace {

// 40x80 noise patches of three classes with a class-dependent band: the tutorial CNN's input, enough arithmetic per
// batch to keep every core busy.
ui::PreparedData patches(int perClass) {
    const TaskSpec task = TaskSpec::parse("single:a,b,c");
    std::mt19937 rng(7);
    std::normal_distribution<float> noise;
    auto set = [&](const std::string& name, int n) {
        auto d = std::make_shared<ml::Dataset>(name, task);
        for (int i = 0; i < n; ++i)
            for (int c = 0; c < 3; ++c) {
                std::vector<float> values(40 * 80);
                for (std::size_t k = 0; k < values.size(); ++k) values[k] = noise(rng) + (int(k / 80) / 14 == c ? 1.f : 0.f);
                ml::FeatureMatrix m(std::move(values), 40, 80, Layout::BinsByFrames);
                std::vector<float> target(3, 0.f);
                target[std::size_t(c)] = 1.f;
                d->add({name + std::to_string(i) + "-" + std::to_string(c), {}, target}, std::move(m));
            }
        return d;
    };
    ui::PreparedData data;
    data.train = set("train", perClass);
    data.validation = set("validation", perClass / 4);
    return data;
}

struct Stats {
    std::vector<double> lateMs, switchMs;
};

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p * double(v.size() - 1) + 0.5))];
}

// Runs the event loop for `seconds`, probing lateness and switching tabs every 200 ms.
void measure(ui::MainWindow& window, const std::vector<QWidget*>& pages, double seconds, Stats& out) {
    QElapsedTimer clock;
    clock.start();
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    qint64 last = clock.nsecsElapsed();
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        out.lateMs.push_back(std::max(0.0, (now - last) / 1e6 - 10.0));
        last = now;
    });
    probe.start(10);
    std::size_t next = 0;
    QTimer switcher;
    QObject::connect(&switcher, &QTimer::timeout, [&] {
        const qint64 posted = clock.nsecsElapsed();
        QWidget* page = pages[next++ % pages.size()];
        QMetaObject::invokeMethod(&window, [&, posted, page] {
            window.showTab(page);
            window.repaint();
            out.switchMs.push_back((clock.nsecsElapsed() - posted) / 1e6);
        }, Qt::QueuedConnection);
    });
    switcher.start(200);
    QEventLoop loop;
    QTimer::singleShot(int(seconds * 1000), &loop, &QEventLoop::quit);
    loop.exec();
    // A switch posted in the last moment still reads this clock: deliver it before the clock goes.
    switcher.stop();
    probe.stop();
    QCoreApplication::sendPostedEvents();
}

}  // namespace

int main(int argc, char** argv) {
    ml::configureProcess();
    QApplication app(argc, argv);
    Q_INIT_RESOURCE(resources);  // the window icon, from sonolab_ui's resources
    const double seconds = argc > 1 ? std::atof(argv[1]) : 6.0;
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 2;
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());

    ui::MainWindow::Options options;
    options.playback = false;
    options.restoreLayout = false;
    ui::MainWindow window(options);
    auto* dashboard = new ui::TrainingDashboard(nullptr, false);
    const auto runs = std::filesystem::temp_directory_path() / "sonolab-bench-responsiveness";
    std::filesystem::remove_all(runs);
    dashboard->setRunsFolder(runs);
    dashboard->setJob(ui::datasetRunJob([](const ui::RunSettings&, const Progress&) { return patches(200); }), false);
    window.addTab(dashboard, "Training");
    auto* browser = new ui::SimilarityBrowser;
    similarity::CollectionSpace space;  // 2000 tracks: the map paints every dot
    space.name = "bench";
    std::mt19937 rng(3);
    std::normal_distribution<float> noise;
    for (int i = 0; i < 2000; ++i) {
        std::vector<float> v(16);
        for (auto& x : v) x = noise(rng) + float(i % 7);
        space.vectors.append(i + 1, v);
    }
    browser->addSpace(std::move(space));
    window.addTab(browser, "Similarity");
    window.resize(1600, 1000);
    window.show();
    const std::vector<QWidget*> pages{window.player(), dashboard, browser};
    QEventLoop settle;
    QTimer::singleShot(1500, &settle, &QEventLoop::quit);  // first paints, the map's projection
    settle.exec();

    struct Condition {
        std::string name;
        bool train;
        bool belowWindow;
        int threads;
    };
    const std::vector<Condition> conditions{
        {"idle", false, true, 0},
        {"training, all cores, window's priority", true, false, 0},
        {"training, all cores, below the window (default)", true, true, 0},
        {"training, cores - 1, window's priority", true, false, int(std::max(1u, cores - 1))},
    };
    std::map<std::string, Stats> stats;
    for (int round = 0; round < rounds; ++round)
        for (const Condition& c : conditions) {
            if (c.train) {
                ui::RunSettings s;
                s.name = QString::fromStdString(c.name);
                s.task = "single:a,b,c";
                s.model = "tutorial_cnn";
                s.config.epochs = 10000;
                s.config.batchSize = 32;
                s.config.threads = c.threads;
                s.config.windowFrames = 80;
                s.config.runDir = runs / (std::to_string(round) + "-" + std::to_string(&c - conditions.data()));
                dashboard->controller()->setBelowWindowPriority(c.belowWindow);
                if (!dashboard->startRun(s)) {
                    std::fprintf(stderr, "could not start: %s\n", qPrintable(dashboard->statusText()));
                    return 1;
                }
                // Past data preparation and the first batches: the cores are busy.
                QEventLoop warm;
                QTimer::singleShot(2000, &warm, &QEventLoop::quit);
                warm.exec();
            }
            measure(window, pages, seconds, stats[c.name]);
            if (c.train) {
                dashboard->stopRun();
                while (dashboard->controller()->isActive()) QApplication::processEvents(QEventLoop::AllEvents, 20);
            }
        }

    std::printf("%u cores, %d rounds x %.1f s per condition, platform %s\n", cores, rounds, seconds,
                qPrintable(QGuiApplication::platformName()));
    std::printf("%-50s %28s %34s\n", "", "event-loop lateness ms", "tab switch (post -> painted) ms");
    std::printf("%-50s %9s %9s %9s %11s %11s %11s\n", "condition", "median", "p95", "max", "median", "p95", "max");
    for (const Condition& c : conditions) {
        const Stats& s = stats[c.name];
        std::printf("%-50s %9.2f %9.2f %9.2f %11.2f %11.2f %11.2f\n", c.name.c_str(), percentile(s.lateMs, 0.5),
                    percentile(s.lateMs, 0.95), percentile(s.lateMs, 1.0), percentile(s.switchMs, 0.5),
                    percentile(s.switchMs, 0.95), percentile(s.switchMs, 1.0));
    }
    std::filesystem::remove_all(runs);
    return 0;
}
