#pragma once
// Plain records the library stores and returns. No SQLite types: the UI, the CLI and the trainer use these.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonolab::library {

using TrackId = std::int64_t;
using RunId = std::int64_t;

struct TrackRecord {
    TrackId id = 0;               // 0 until stored
    std::string path;             // absolute path as stored (generic form)
    // util/ContentHash of the whole file: the feature-cache key. nullopt = not known yet (a track of a library from
    // before schema 3, whose sampled hash was dropped): the next scan, or the first training set that uses the track,
    // hashes the file and stores it.
    std::optional<std::uint64_t> contentHash;
    std::int64_t sizeBytes = 0;
    std::int64_t mtime = 0;       // modification time, nanoseconds since the epoch of the file clock
    double durationSeconds = 0;
    std::string format;           // container, e.g. "mp3", "ogg", "wav"
    std::string codec;
    int sampleRate = 0;
    int channels = 0;
    std::string title;
    std::string artist;
    std::string album;
    std::string genre;
    std::string group;            // the source track / album / artist a clip belongs to; empty = none
};

enum class LabelKind { Binary, Single, Multi };
std::string_view toString(LabelKind kind);
LabelKind labelKindFromString(std::string_view text);  // throws sonolab::Error

struct LabelSetInfo {
    std::int64_t id = 0;
    std::string name;
    LabelKind kind = LabelKind::Multi;
    std::string source;                  // where the labels came from: "mtat:/path/annotations_final.csv", "user"
    std::vector<std::string> classes;    // ordered
    std::int64_t trackCount = 0;         // annotated tracks (members)
};

// One label value of one track in one label set.
struct TrackLabel {
    std::string labelSet;
    std::string label;
    double value = 1.0;
    std::string source;
};

enum class SplitPart { Train, Validation, Test };
std::string_view toString(SplitPart part);
SplitPart splitPartFromString(std::string_view text);  // throws sonolab::Error

struct SplitAssignment {
    TrackId track = 0;
    SplitPart part = SplitPart::Train;
};

struct SplitSummary {
    std::string name;
    std::int64_t train = 0, validation = 0, test = 0;
};

// A training run as the dashboard shows it. settings/metrics are JSON text owned by whoever writes them.
struct RunRecord {
    RunId id = 0;
    std::string name;
    std::string task;
    std::string model;
    std::string settingsJson = "{}";
    std::string metricsJson = "{}";
    std::string status;           // e.g. "running", "finished", "failed", "stopped"
    std::int64_t createdAt = 0;   // seconds since the Unix epoch; set by addRun() when 0
    std::string runDir;
};

struct RunPoint {
    std::string series;           // e.g. "train/loss", "validation/accuracy"
    std::int64_t step = 0;
    double value = 0;
};

struct SimilarityJudgement {
    std::int64_t id = 0;
    TrackId query = 0;
    TrackId neighbour = 0;
    bool similar = false;
};

}  // namespace sonolab::library
