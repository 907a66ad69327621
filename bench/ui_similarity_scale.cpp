// The similarity browser and its map over a large collection (issue 14: usable with 100,000 tracks):
//   bench_ui_similarity_scale [--items N] [--dim D] [--queries Q] [--draws R]
// Builds a library of N tracks (no audio: paths only, a genre label each) and a synthetic space of N clustered
// D-dimensional vectors (music embeddings gather around styles), hands both to a SimilarityBrowser as the app does
// (setLibrary, addSpace), and times, with the medians of repeated runs:
//   - the browser's own steps: reading the library, taking the space (exact search at once; the HNSW graph, for a
//     collection this large, on a worker), the PCA map (worker), the graph ready;
//   - a query as a click makes it: selectTrack() (index search with the browser's filters, the neighbour list, the
//     map's selection), with an optional label filter too;
//   - the map's paint into an offscreen QImage: first paint after a change of view (the collection layer is drawn),
//     a repaint with the view unchanged (hover, the current neighbour), and after a zoom.
// Runs offscreen (QT_QPA_PLATFORM=offscreen is set unless the caller chose a platform). Speed only: never a test.
#include "core/library/LibraryDatabase.h"
#include "core/similarity/CollectionSpaces.h"
#include "core/similarity/ExactIndex.h"
#include "ui/similarity/CollectionMap.h"
#include "ui/similarity/SimilarityBrowser.h"

#include "UiTiming.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QImage>

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

using namespace sonolab;
using bench::median;
using bench::timeMs;
using bench::Timing;

namespace {

struct Options {
    std::size_t items = 100000, dim = 40, queries = 50, draws = 20;
};

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i];
        const auto value = std::size_t(std::stoull(argv[i + 1]));
        if (key == "--items") o.items = value;
        else if (key == "--dim") o.dim = value;
        else if (key == "--queries") o.queries = value;
        else if (key == "--draws") o.draws = value;
    }
    return o;
}


const std::vector<std::string> kGenres = {"rock", "pop", "jazz", "classical", "electronic", "hiphop",
                                          "metal", "folk", "reggae", "blues", "country", "soul"};

// A library of n tracks with a genre label each (the style its vector is drawn around).
std::shared_ptr<library::LibraryDatabase> makeLibrary(const std::filesystem::path& file, std::size_t n,
                                                      std::vector<library::TrackId>& ids) {
    std::filesystem::remove(file);
    auto db = std::make_shared<library::LibraryDatabase>(file);
    std::vector<library::TrackRecord> records(n);
    for (std::size_t i = 0; i < n; ++i) {
        records[i].path = "/music/artist" + std::to_string(i % 5000) + "/track" + std::to_string(i) + ".mp3";
        records[i].title = "Track " + std::to_string(i);
        records[i].artist = "Artist " + std::to_string(i % 5000);
        records[i].durationSeconds = 30;
    }
    ids = db->upsertTracks(records);
    db->createLabelSet("genre", library::LabelKind::Single, kGenres, "bench");
    std::vector<library::LibraryDatabase::LabelValue> values;
    for (std::size_t i = 0; i < n; ++i) values.push_back({ids[i], kGenres[i % kGenres.size()], 1.0});
    db->addLabels("genre", ids, values, "bench");
    return db;
}

// Vectors around one centre per genre plus finer clusters (artists), z-scored scale like the handcrafted spaces.
similarity::CollectionSpace makeSpace(const std::vector<library::TrackId>& ids, std::size_t dim) {
    std::mt19937 rng(5);
    std::normal_distribution<float> g;
    std::vector<std::vector<float>> genre(kGenres.size(), std::vector<float>(dim)), artist(5000, std::vector<float>(dim));
    for (auto& c : genre)
        for (float& x : c) x = 1.5f * g(rng);
    for (auto& c : artist)
        for (float& x : c) x = 0.7f * g(rng);
    similarity::CollectionSpace space;
    space.name = "synthetic";
    space.vectors = similarity::EmbeddingMatrix(dim);
    std::vector<float> v(dim);
    for (std::size_t i = 0; i < ids.size(); ++i) {
        for (std::size_t j = 0; j < dim; ++j) v[j] = genre[i % kGenres.size()][j] + artist[i % 5000][j] + 0.5f * g(rng);
        space.vectors.append(ids[i], v);
    }
    return space;
}

}  // namespace

int main(int argc, char** argv) {
    if (!std::getenv("QT_QPA_PLATFORM")) setenv("QT_QPA_PLATFORM", "offscreen", 1);
    QApplication app(argc, argv);
    const Options o = parse(argc, argv);
    const auto dir = std::filesystem::temp_directory_path() / ("sonolab-bench-similarity-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::vector<library::TrackId> ids;
    std::shared_ptr<library::LibraryDatabase> db;
    const double libraryMs = timeMs([&] { db = makeLibrary(dir / "lib.sqlite", o.items, ids); });
    auto space = makeSpace(ids, o.dim);
    std::printf("bench similarity: %zu tracks, %zu dimensions (library written in %.0f ms)\n", o.items, o.dim, libraryMs);

    const similarity::EmbeddingMatrix vectors = space.vectors;  // for the exact-search reference below
    ui::SimilarityBrowser browser;
    browser.resize(1400, 900);
    const double setLibraryMs = timeMs([&] { browser.setLibrary(db); });
    const double addSpaceMs = timeMs([&] { browser.addSpace(std::move(space)); });
    browser.show();  // after the space: shown without one, the browser would build its default space from the audio
    QElapsedTimer ready;
    ready.start();
    while (browser.isBuilding()) QApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    const double readyMs = double(ready.nsecsElapsed()) / 1e6;
    browser.setColourBy("genre");
    std::printf("  setLibrary (read %zu tracks + labels)   %8.1f ms\n", o.items, setLibraryMs);
    std::printf("  addSpace (exact index, track list)     %8.1f ms\n", addSpaceMs);
    std::printf("  map + HNSW graph on workers, ready in  %8.1f ms\n", readyMs);

    // The browser's path: what a click on a track does, with the HNSW graph in place.
    std::mt19937 rng(3);
    Timing query, filtered, exact;
    for (std::size_t i = 0; i < o.queries; ++i) query([&] { browser.selectTrack(ids[rng() % ids.size()]); });
    if (browser.neighbourIds().size() != 10) std::printf("  (the browser listed %zu neighbours, not 10)\n", browser.neighbourIds().size());
    browser.setExcludeSameArtist(true);
    for (std::size_t i = 0; i < o.queries; ++i) filtered([&] { browser.selectTrack(ids[rng() % ids.size()]); });
    browser.setExcludeSameArtist(false);
    // Until the graph is ready the browser searches exactly; the same search, alone.
    const similarity::ExactIndex exactIndex(vectors, similarity::Metric::Euclidean);
    for (std::size_t i = 0; i < o.queries; ++i)
        exact([&] { exactIndex.search(vectors.row(rng() % vectors.rows()), 11); });
    query.print("query: selectTrack (HNSW), k=10");
    filtered.print("query: selectTrack, other artists only");
    exact.print("exact search alone (before the graph)");

    ui::CollectionMap& map = *browser.map();
    QApplication::processEvents();
    QImage image(map.size(), QImage::Format_ARGB32_Premultiplied);
    Timing first, again, zoomed;
    for (std::size_t i = 0; i < o.draws; ++i) {
        map.resetView();  // a change of view: the collection layer is drawn anew
        image.fill(Qt::white);
        first([&] { map.render(&image); });
        const auto nb = browser.neighbourIds();
        map.setCurrentNeighbour(nb.empty() ? -1 : nb[i % nb.size()]);
        again([&] { map.render(&image); });
        map.zoomAt(QPointF(map.width() / 2.0, map.height() / 2.0), 3.0);
        zoomed([&] { map.render(&image); });
    }
    std::printf("  map: %zu points, %dx%d\n", map.points().size(), map.width(), map.height());
    first.print("map paint after a change of view");
    again.print("map repaint, same view (hover, neighbour)");
    zoomed.print("map paint zoomed 3x");
    image.fill(Qt::white);
    map.resetView();
    map.render(&image);
    image.save(QString::fromStdString((dir / "map.png").string()));
    std::printf("  (last frame: %s)\n", (dir / "map.png").string().c_str());
    std::filesystem::remove_all(dir / "lib.sqlite");
    return 0;
}
