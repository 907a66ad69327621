// sonolab: the desktop app.
//   sonolab [FILE | FOLDER]            open an audio file (or a folder in the library panel)
//   sonolab --demo DIR                 open the demo collection in the library panel
//   sonolab FILE --screenshot OUT.png  open FILE, wait until the views are complete, save the window, quit
//   sonolab FILE --onsets flux|rnn:RUN show onsets detected with that method (with --screenshot: waits for them)
//   sonolab --bench-open FILE          time open -> first pixels -> complete, offscreen, and quit
//   sonolab --tab TITLE                show that tab first (with --screenshot: a picture of the Training tab)
#include "core/audio/CodecRuntime.h"
#include "core/ml/ProcessSetup.h"
#include "ui/app/MainWindow.h"
#include "ui/player/OnsetBar.h"
#include "ui/player/OnsetController.h"
#include "ui/player/PlayerWidget.h"

#include "FirstPaint.h"
#include "OpenBenchmark.h"
#include "PanelSetup.h"
#include "StartupTrace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QTabWidget>
#include <QThreadPool>
#include <QTimer>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <initializer_list>

namespace {

bool hasAnyOf(int argc, char** argv, std::initializer_list<const char*> options) {
    for (int i = 1; i < argc; ++i)
        for (const char* option : options)
            if (std::strcmp(argv[i], option) == 0) return true;
    return false;
}

// The command line: its options, and the parser that knows them.
struct CommandLine {
    QCommandLineParser parser;
    QCommandLineOption demo{QStringLiteral("demo"), QStringLiteral("Open the demo collection in DIR."), QStringLiteral("DIR")};
    QCommandLineOption screenshot{QStringLiteral("screenshot"),
                                  QStringLiteral("Save the window to PNG once the views are complete, then quit."),
                                  QStringLiteral("PNG")};
    QCommandLineOption size{QStringLiteral("size"), QStringLiteral("Window size, e.g. 1280x800."), QStringLiteral("WxH")};
    QCommandLineOption benchOpen{QStringLiteral("bench-open"),
                                 QStringLiteral("Benchmark: time open -> first pixels -> complete views (offscreen)."),
                                 QStringLiteral("FILE")};
    QCommandLineOption repeat{QStringLiteral("repeat"), QStringLiteral("Benchmark runs (default 5)."), QStringLiteral("N"),
                              QStringLiteral("5")};
    QCommandLineOption noPlayback{QStringLiteral("no-playback"), QStringLiteral("Do not open an audio device.")};
    QCommandLineOption onsets{QStringLiteral("onsets"), QStringLiteral("Detect and show onsets: flux or rnn:RUN."),
                              QStringLiteral("METHOD")};
    QCommandLineOption tab{QStringLiteral("tab"), QStringLiteral("Show the tab titled TITLE (e.g. Training, Similarity)."),
                           QStringLiteral("TITLE")};

    CommandLine() {
        parser.setApplicationDescription(QStringLiteral("Sonolab: explore music with deep learning."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addPositionalArgument(QStringLiteral("path"), QStringLiteral("An audio file to open, or a folder for the library."));
        parser.addOptions({demo, screenshot, size, benchOpen, repeat, noPlayback, onsets, tab});
    }
};

void nameApplication() {
    QCoreApplication::setOrganizationName(QStringLiteral("Sonolab"));
    QCoreApplication::setApplicationName(QStringLiteral("Sonolab"));
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0"));
}

// Any tab bar of the window: the main tabs and those inside panels (the Training tab's "Onset detector"). False when
// no tab has that title.
bool showTabTitled(QWidget& window, const QString& title) {
    bool shown = false;
    for (auto* tabs : window.findChildren<QTabWidget*>())
        for (int i = 0; i < tabs->count(); ++i)
            if (tabs->tabText(i).remove(QLatin1Char('&')) == title) {
                tabs->setCurrentIndex(i);
                shown = true;
                // A tab inside another tab's page: show the pages around it too.
                for (QWidget* page = tabs; page->parentWidget(); page = page->parentWidget())
                    if (auto* outer = qobject_cast<QTabWidget*>(page->parentWidget()->parentWidget());
                        outer && outer->indexOf(page) >= 0)
                        outer->setCurrentWidget(page);
            }
    return shown;
}

}  // namespace

int main(int argc, char** argv) {
    // --help and --version only print text: they are answered without a display (a QApplication needs one).
    if (hasAnyOf(argc, argv, {"-h", "--help", "--help-all", "-v", "--version"})) {
        QCoreApplication core(argc, argv);
        nameApplication();
        CommandLine command;
        command.parser.process(core);  // prints and exits
        return 0;
    }
    // The benchmark runs without a display; everything else needs one (or QT_QPA_PLATFORM=offscreen).
    if (hasAnyOf(argc, argv, {"--bench-open"}) && !std::getenv("QT_QPA_PLATFORM")) setenv("QT_QPA_PLATFORM", "offscreen", 1);
    // Allocator and libtorch settings for the whole process, once, before any thread starts; a run's `threads`
    // setting applies to that run's thread only (core/ml/ProcessSetup.h).
    sonolab::app::traceStartup("main");
    sonolab::ml::configureProcess();
    QApplication app(argc, argv);
    // The icon lives in sonolab_ui's resources; a static library's resources must be pulled in by name.
    sonolab::app::traceStartup("QApplication");
    Q_INIT_RESOURCE(resources);
    nameApplication();

    CommandLine command;
    auto& parser = command.parser;
    parser.process(app);

    if (parser.isSet(command.benchOpen)) return sonolab::app::runOpenBenchmark(parser.value(command.benchOpen), parser.value(command.repeat).toInt());

    sonolab::ui::MainWindow::Options options;
    options.playback = !parser.isSet(command.noPlayback) && !parser.isSet(command.screenshot);
    options.restoreLayout = !parser.isSet(command.screenshot) && !parser.isSet(command.size);
    sonolab::app::traceStartup("parsed");
    sonolab::ui::MainWindow window(options);
    sonolab::app::traceStartup("MainWindow");
    if (parser.isSet(command.size)) {
        auto parts = parser.value(command.size).split(QLatin1Char('x'));
        if (parts.size() == 2) window.resize(parts[0].toInt(), parts[1].toInt());
    }
    const sonolab::app::Panels panels = sonolab::app::setUpPanels(window);
    // A tab asked for on the command line is shown from the first paint, so its page must be there by then.
    const bool tabsFirst = parser.isSet(command.tab);
    if (tabsFirst) sonolab::app::fillTabs(window, panels, options.playback);
    sonolab::app::traceStartup("panels");
    window.show();
    sonolab::app::traceStartup("shown");
    sonolab::app::traceFirstPaint(window);
    // FFmpeg (the codec runtime) loads on a worker while the window paints (it mostly waits for the disk and the
    // dynamic linker, and the window's paint has one core), so the first file opens without the wait.
    QThreadPool::globalInstance()->start([] {
        try {
            sonolab::audio::codecRuntime();
        } catch (const std::exception&) {
            // Said when a file is opened: the player shows the sentence.
        }
    });
    // The hidden tabs' pages, decoding (two threads) and the library read start once the window is on screen, not
    // while it paints.
    const QStringList positional = parser.positionalArguments();
    sonolab::app::whenFirstPainted(window, [&window, &parser, &command, &options, panels, tabsFirst, positional] {
        if (!tabsFirst) sonolab::app::fillTabs(window, panels, options.playback);
        if (parser.isSet(command.demo)) window.openFolder(parser.value(command.demo));
        for (const QString& path : positional) window.openFile(path);
        if (parser.isSet(command.demo) && positional.isEmpty()) sonolab::app::openFirstTrackWhenReady(window);
        if (parser.isSet(command.tab)) {
            // Opening a file shows the player; the tab asked for wins, also over the demo's first track opening later.
            const QString title = parser.value(command.tab);
            showTabTitled(window, title);
            if (parser.isSet(command.demo) && positional.isEmpty())
                QObject::connect(window.player(), &sonolab::ui::PlayerWidget::fileOpened, &window,
                                 [&window, title] { showTabTitled(window, title); }, Qt::SingleShotConnection);
        }
    });
    if (parser.isSet(command.tab) && !showTabTitled(window, parser.value(command.tab)))
        std::fprintf(stderr, "sonolab: --tab: no tab titled %s\n", qPrintable(parser.value(command.tab)));
    if (parser.isSet(command.onsets)) {
        try {
            window.player()->onsetBar()->setMethod(parser.value(command.onsets));
            window.player()->onsetBar()->setShowOnsets(true);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "sonolab: --onsets: %s\n", e.what());
            return 2;
        }
    }

    if (parser.isSet(command.screenshot)) {
        const QString out = parser.value(command.screenshot);
        auto* player = window.player();
        auto save = [&window, out] {
            bool ok = window.grab().save(out);
            std::fprintf(ok ? stdout : stderr, "%s %s\n", ok ? "saved" : "could not save", qPrintable(out));
            QApplication::exit(ok ? 0 : 1);
        };
        // Saves once `ready` holds (polled every 100 ms, then one more paint), or after `limitMs` with what is there.
        auto saveWhen = [&window, save](std::function<bool()> ready, int limitMs) {
            auto* poll = new QTimer(&window);
            QObject::connect(poll, &QTimer::timeout, &window, [ready = std::move(ready), save, poll] {
                if (!ready()) return;
                poll->stop();
                QTimer::singleShot(300, save);
            });
            poll->start(100);
            QTimer::singleShot(limitMs, &window, save);
        };
        if (positional.isEmpty() && parser.value(command.tab) == QObject::tr("Similarity")) {
            // The browser builds its first space (features extracted once), its map and its score.
            saveWhen([&window] { return sonolab::app::similarityComplete(window); }, 60000);
        } else if (positional.isEmpty()) {
            QTimer::singleShot(1500, &window, save);
        } else {
            // Complete = decoded and every visible tile painted.
            saveWhen([player] { return sonolab::app::viewsComplete(*player) && !player->onsets()->busy(); }, 30000);
        }
    }
    return app.exec();
}
