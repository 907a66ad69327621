// The library panel over a large collection (issue 15, "Load": 100,000 tracks scroll, sort and search without a
// stall over 50 ms on the GUI thread; a scan of 100,000 files keeps the window responsive):
//   bench_ui_library_scale [--items N] [--scan FILES] [--rounds R]
// Builds a library of N tracks (paths, titles, artists, a genre label each and a split; no audio), opens it in a
// LibraryPanel as the app does and times, on the GUI thread:
//   - opening: openLibrary() itself, the longest event-loop stall while the table is read on its worker, and the
//     time until the rows are shown;
//   - sorting by every column, both ways (a header click);
//   - searching: typing a query one key at a time, and clearing it;
//   - scrolling: a page down (scroll bar moved, viewport painted) over the whole table, and a jump to the end;
//   - a label edit on one row, and a read after another program's commit (the external-change reload);
//   - with --scan FILES: a scan of that many small WAV files in the background, the longest stall while it runs and
//     the one after it (the table reading the new tracks).
// A stall is measured as a 2 ms timer's lateness: what a click or a repaint waits for. Runs offscreen
// (QT_QPA_PLATFORM=offscreen unless the caller chose a platform). Speed only: never a test.
#include "core/library/LibraryDatabase.h"
#include "ui/library/LibraryPanel.h"
#include "ui/library/TrackTableModel.h"

#include "UiTiming.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QScrollBar>
#include <QTableView>
#include <QTimer>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

using namespace sonolab;
using bench::Timing;

namespace {

struct Options {
    std::size_t items = 100000, scan = 0, rounds = 3;
};

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i];
        const auto value = std::size_t(std::stoull(argv[i + 1]));
        if (key == "--items") o.items = value;
        else if (key == "--scan") o.scan = value;
        else if (key == "--rounds") o.rounds = value;
    }
    return o;
}

const std::vector<std::string> kGenres = {"rock", "pop", "jazz", "classical", "electronic", "hiphop",
                                          "metal", "folk", "reggae", "blues", "country", "soul"};

void makeLibrary(const std::filesystem::path& file, std::size_t n) {
    std::filesystem::remove(file);
    library::LibraryDatabase db(file);
    std::vector<library::TrackRecord> records(n);
    for (std::size_t i = 0; i < n; ++i) {
        // Unsorted names (a hash of i) so that every sort really moves rows.
        const std::size_t h = (i * 2654435761u) % 1000003u;
        records[i].path = "/music/Artist " + std::to_string(h % 5000) + "/Album " + std::to_string(h % 900) +
                          "/track " + std::to_string(h) + ".mp3";
        records[i].title = "Track " + std::to_string(h);
        records[i].artist = (h % 3 ? "Artist " : "artist ") + std::to_string(h % 5000);
        records[i].durationSeconds = double(30 + h % 400);
    }
    const auto ids = db.upsertTracks(records);
    db.createLabelSet("genre", library::LabelKind::Single, kGenres, "bench");
    std::vector<library::LibraryDatabase::LabelValue> values;
    std::vector<library::SplitAssignment> split;
    for (std::size_t i = 0; i < n; ++i) {
        values.push_back({ids[i], kGenres[i % kGenres.size()], 1.0});
        split.push_back({ids[i], i % 10 < 8 ? library::SplitPart::Train : library::SplitPart::Test});
    }
    db.addLabels("genre", ids, values, "bench");
    db.writeSplit("genre", split);
}

// Small valid WAV files (0.05 s of 8 kHz mono silence), as many as asked, for the scan.
void makeFiles(const std::filesystem::path& dir, std::size_t n) {
    const int rate = 8000, samples = 400, bytes = samples * 2;
    std::string wav;
    auto u32 = [&wav](std::uint32_t v) { wav.append(reinterpret_cast<const char*>(&v), 4); };
    auto u16 = [&wav](std::uint16_t v) { wav.append(reinterpret_cast<const char*>(&v), 2); };
    wav += "RIFF";
    u32(36 + bytes);
    wav += "WAVEfmt ";
    u32(16), u16(1), u16(1), u32(rate), u32(rate * 2), u16(2), u16(16);
    wav += "data";
    u32(bytes);
    wav.append(std::size_t(bytes), '\0');
    for (std::size_t i = 0; i < n; ++i) {
        const auto sub = dir / std::to_string(i / 1000);
        if (i % 1000 == 0) std::filesystem::create_directories(sub);
        std::ofstream(sub / ("f" + std::to_string(i) + ".wav"), std::ios::binary) << wav;
    }
}

// The event loop's longest lateness while it runs until done() (or a time limit): a 2 ms timer's delay.
struct StallWatch {
    double worstMs = 0, totalMs = 0;
    void runUntil(const std::function<bool()>& done, int limitMs = 600000) {
        QElapsedTimer clock, since;
        clock.start();
        since.start();
        QTimer tick;
        tick.setTimerType(Qt::PreciseTimer);
        tick.setInterval(2);
        QObject::connect(&tick, &QTimer::timeout, [&] {
            worstMs = std::max(worstMs, double(since.nsecsElapsed()) / 1e6 - 2.0);
            since.restart();
        });
        tick.start();
        while (!done() && clock.elapsed() < limitMs) QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
        totalMs = double(clock.nsecsElapsed()) / 1e6;
    }
};

}  // namespace

int main(int argc, char** argv) {
    if (!std::getenv("QT_QPA_PLATFORM")) setenv("QT_QPA_PLATFORM", "offscreen", 1);
    QApplication app(argc, argv);
    const Options o = parse(argc, argv);
    const auto dir = std::filesystem::temp_directory_path() / ("sonolab-bench-library-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / "library.sqlite";
    QElapsedTimer t;
    t.start();
    makeLibrary(file, o.items);
    std::printf("library of %zu tracks written in %.1f s\n", o.items, double(t.elapsed()) / 1e3);

    ui::LibraryPanel panel;
    panel.setExternalChangeInterval(0);  // the bench triggers the reads itself
    panel.resize(1400, 800);
    panel.show();
    auto* view = panel.view();
    auto* model = panel.model();

    Timing open, shownAt, openStall;
    for (std::size_t r = 0; r < o.rounds; ++r) {
        QElapsedTimer whole;
        whole.start();
        open([&] { panel.openLibrary(file); });
        StallWatch watch;
        watch.runUntil([&] { return !model->loading(); });
        openStall.wall.push_back(watch.worstMs), openStall.cpu.push_back(0);
        shownAt.wall.push_back(double(whole.nsecsElapsed()) / 1e6), shownAt.cpu.push_back(0);
    }
    std::printf("%d rows shown\n", model->rowCount());
    std::printf("opening (GUI thread)\n");
    open.print("openLibrary() call");
    openStall.print("longest stall while the rows are read");
    shownAt.print("until the rows are shown");

    std::printf("sorting (a header click)\n");
    for (int column = 0; column < ui::TrackTableModel::ColumnCount; ++column) {
        Timing sort;
        for (std::size_t r = 0; r < o.rounds; ++r)
            for (auto order : {Qt::AscendingOrder, Qt::DescendingOrder})
                sort([&] {
                    view->sortByColumn(column, order);
                    view->viewport()->repaint();
                });
        sort.print(model->headerData(column, Qt::Horizontal).toString().toUtf8().constData());
    }
    view->sortByColumn(ui::TrackTableModel::Title, Qt::AscendingOrder);

    std::printf("searching (one key at a time, then cleared)\n");
    Timing key, clear;
    for (std::size_t r = 0; r < o.rounds; ++r) {
        const QString query = QStringLiteral("artist 1234");
        for (int n = 1; n <= query.size(); ++n)
            key([&] {
                panel.searchBox()->setText(query.left(n));
                view->viewport()->repaint();
            });
        clear([&] {
            panel.searchBox()->clear();
            view->viewport()->repaint();
        });
    }
    key.print("a key typed");
    clear.print("the search cleared");

    std::printf("scrolling\n");
    Timing page, end;
    auto* bar = view->verticalScrollBar();
    for (int v = 0; v <= bar->maximum(); v += std::max(1, bar->maximum() / 200))
        page([&] {
            bar->setValue(v);
            view->viewport()->repaint();
        });
    for (std::size_t r = 0; r < o.rounds; ++r) {
        end([&] {
            view->scrollToBottom();
            view->viewport()->repaint();
        });
        end([&] {
            view->scrollToTop();
            view->viewport()->repaint();
        });
    }
    page.print("a step of the scroll bar (200 over the table)");
    end.print("to the end and back");

    std::printf("editing and others' commits\n");
    Timing edit, reloadCall, reloadStall, reloadShown;
    for (std::size_t r = 0; r < o.rounds; ++r) {
        view->selectRow(int(r) * 7);
        edit([&] { panel.setLabelsOfSelection({QStringLiteral("favourite"), QStringLiteral("r%1").arg(r)}); });
        {
            library::LibraryDatabase other(file);
            library::TrackRecord record;
            record.path = "/music/new/" + std::to_string(r) + ".mp3";
            record.title = "New " + std::to_string(r);
            other.upsertTrack(record);
        }
        QElapsedTimer whole;
        whole.start();
        reloadCall([&] { model->reload(); });
        StallWatch watch;
        watch.runUntil([&] { return !model->loading(); });
        reloadStall.wall.push_back(watch.worstMs), reloadStall.cpu.push_back(0);
        reloadShown.wall.push_back(double(whole.nsecsElapsed()) / 1e6), reloadShown.cpu.push_back(0);
    }
    edit.print("labels of one selected track set");
    reloadCall.print("reload() call");
    reloadStall.print("longest stall while the rows are read again");
    reloadShown.print("until they are shown");

    if (o.scan > 0) {
        const auto music = dir / "music";
        t.restart();
        makeFiles(music, o.scan);
        std::printf("scan of %zu files (written in %.1f s)\n", o.scan, double(t.elapsed()) / 1e3);
        bool finished = false;
        int progressReports = 0;
        QObject::connect(&panel, &ui::LibraryPanel::jobFinished, [&finished](bool, const QString&) { finished = true; });
        QObject::connect(&panel, &ui::LibraryPanel::jobProgress, [&progressReports](int, int, const QString&) {
            ++progressReports;
        });
        // The same watch over an idle window first: on a shared machine the event loop is late on its own.
        StallWatch idle;
        QElapsedTimer idleClock;
        idleClock.start();
        idle.runUntil([&] { return idleClock.elapsed() > 10000; });
        std::printf("  idle window for 10 s: longest stall %.2f ms (the machine's own noise)\n", idle.worstMs);
        panel.startScan(QString::fromStdString(music.string()));
        StallWatch during;
        during.runUntil([&] { return finished; });
        StallWatch after;
        after.runUntil([&] { return !model->loading(); });
        std::printf("  scan took %.1f s, %d progress reports shown, longest stall during it %.2f ms\n",
                    during.totalMs / 1e3, progressReports, during.worstMs);
        std::printf("  then %.1f s until the %d rows are shown, longest stall %.2f ms\n", after.totalMs / 1e3,
                    model->rowCount(), after.worstMs);
    }
    std::filesystem::remove_all(dir);
    return 0;
}
