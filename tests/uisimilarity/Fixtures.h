#pragma once
// Shared fixtures of the browser tests: small libraries of generated WAV files (real files, real database) and where
// screenshots go.
#include "core/library/LibraryDatabase.h"
#include "core/similarity/CollectionSpaces.h"
#include "support/TestSupport.h"
#include "ui/playback/PlaybackService.h"
#include "ui/similarity/SimilarityBrowser.h"

#include <QSize>
#include <QString>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sonolab::test {

inline std::filesystem::path screenshotDir() {
    const char* tmp = std::getenv("SONOLAB_TEST_TMP");
    auto dir = std::filesystem::path(tmp ? tmp : "/tmp") / "uisimilarity-screenshots";
    std::filesystem::create_directories(dir);
    return dir;
}

// A tone with a second partial at 2.5 times its frequency (so no two tracks of a collection are identical).
inline std::vector<float> tone(double hz, double seconds, float partial = 0.08f) {
    auto s = sine(hz, seconds, 22050, 0.4f);
    const auto p = sine(hz * 2.5, seconds, 22050, partial);
    for (std::size_t i = 0; i < s.size(); ++i) s[i] += p[i];
    return s;
}

// A library in a fresh folder whose tracks are WAV files written next to it.
struct TrackLibrary {
    std::filesystem::path dir;
    std::shared_ptr<library::LibraryDatabase> db;
    std::map<std::string, std::int64_t> id;

    explicit TrackLibrary(const std::string& name)
        : dir(freshDir("uisimilarity-" + name)), db(std::make_shared<library::LibraryDatabase>(dir / "library.db")) {}

    std::int64_t add(const std::string& title, const std::vector<float>& samples, const std::string& artist,
                     const std::string& group, const std::string& labelSet, const std::vector<std::string>& labels) {
        const auto path = dir / (title + ".wav");
        writeWav16(path, samples, 22050);
        library::TrackRecord r;
        r.path = path.generic_string();
        r.title = title;
        r.artist = artist;
        r.group = group;
        r.durationSeconds = double(samples.size()) / 22050;
        id[title] = db->upsertTrack(r);
        for (const auto& l : labels) db->setLabel(labelSet, id[title], l, 1.0, "test");
        return id[title];
    }
    QString path(const std::string& title) const { return QString::fromStdString((dir / (title + ".wav")).generic_string()); }

    // A hand-made space (no windows) with these vectors.
    similarity::CollectionSpace space(const std::string& name,
                                      const std::vector<std::pair<std::string, std::vector<float>>>& vectors) const {
        similarity::CollectionSpace s;
        s.name = name;
        for (const auto& [title, v] : vectors) s.vectors.append(id.at(title), v);
        return s;
    }
};

// Six 8 s tracks: three low tones, three high tones; "low 1" and "low 2" are clips of one source track (group).
struct Collection : TrackLibrary {
    explicit Collection(const std::string& name) : TrackLibrary(name) {
        db->createLabelSet("style", library::LabelKind::Single, {"low", "high"}, "test");
        const struct {
            const char* title;
            double hz;
            const char* style;
            const char* group;
            const char* artist;
        } tracks[] = {{"low 1", 220, "low", "session-a", "Ann"},  {"low 2", 233, "low", "session-a", "Ann"},
                      {"low 3", 262, "low", "", "Bob"},           {"high 1", 1760, "high", "", "Cat"},
                      {"high 2", 1865, "high", "", "Cat"},        {"high 3", 2093, "high", "", "Dan"}};
        for (const auto& t : tracks)
            add(t.title, tone(t.hz, 8.0, float(0.05 + t.hz / 40000.0)), t.artist, t.group, "style", {t.style});
    }

    // The low tracks near (0, 0), the high ones near (10, 0).
    similarity::CollectionSpace handSpace() const {
        return space("hand", {{"low 1", {0, 0}}, {"low 2", {0.1f, 0}}, {"low 3", {0.5f, 0}},
                              {"high 1", {10, 0}}, {"high 2", {10, 1}}, {"high 3", {11, 0}}});
    }
};

// Low and high tones, plus "mixed": 4.5 s of a high tone, then 3.5 s of the low query's own tone.
struct MixedCollection : TrackLibrary {
    static constexpr double kSwitch = 4.5;

    explicit MixedCollection(const std::string& name) : TrackLibrary(name) {
        db->createLabelSet("style", library::LabelKind::Multi, {"tone", "low", "high", "mixed"}, "test");
        add("low", tone(262, 8), "Artist low", "", "style", {"tone", "low"});
        add("low b", tone(277, 8), "Artist low b", "", "style", {"tone", "low"});
        add("high", tone(1760, 8), "Artist high", "", "style", {"tone", "high"});
        add("high b", tone(1865, 8), "Artist high b", "", "style", {"tone", "high"});
        auto mixed = tone(1661, kSwitch);
        const auto tail = tone(262, 8 - kSwitch);
        mixed.insert(mixed.end(), tail.begin(), tail.end());
        add("mixed", mixed, "Artist mixed", "", "style", {"tone", "mixed"});
    }

    similarity::CollectionSpace handSpace() const {
        return space("hand", {{"low", {0, 0}}, {"low b", {1, 0}}, {"high", {10, 0}}, {"high b", {10, 2}}, {"mixed", {5, 5}}});
    }
};

// A browser over a collection, with the app's output (the null device under CTest) for it and for whatever other
// view a test adds.
template <typename TrackCollection>
struct BrowserOn {
    TrackCollection c;
    ui::PlaybackService playback;
    ui::SimilarityBrowser browser;

    BrowserOn(const std::string& name, QSize size, int neighbours) : c(name) {
        browser.resize(size);
        browser.setLibrary(c.db);
        browser.setPlayback(&playback);
        browser.setNeighbourCount(neighbours);
    }
};

}  // namespace sonolab::test
