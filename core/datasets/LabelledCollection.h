#pragma once
// A data set's labels as read from its files, before anything touches the library: the common currency of the
// importers (MagnaTagAtune, class folders, CSV/TSV), the tag tools and the writer that stores a collection.
#include "core/library/LibraryTypes.h"
#include "core/util/Error.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sonolab::datasets {

using library::LabelKind;
using library::SplitPart;
using library::TrackId;

struct LabelledClip {
    std::string key;                   // clip_id, or the path as written in the source
    std::filesystem::path path;        // the audio file it names (resolved against the audio root)
    std::string group;                 // source track / album; empty = none
    std::vector<std::uint8_t> values;  // one 0/1 per class of the collection
    std::string title, artist, album;  // from the data set's metadata, when it has any
    std::optional<SplitPart> datasetPart;  // the data set's own split, when it defines one
    std::size_t line = 0;              // 1-based line in the source file; 0 when not from a text file
    TrackId track = 0;                 // set when loaded from the library
};

struct LabelledCollection {
    std::string name;                  // label set name in the library
    LabelKind kind = LabelKind::Multi;
    std::vector<std::string> classes;
    std::vector<LabelledClip> clips;
    std::string source;                // e.g. "mtat:/data/annotations_final.csv"

    std::size_t classIndex(const std::string& name) const;  // classes.size() when absent
    std::vector<std::size_t> classCounts() const;           // positives per class
};

struct MalformedLine {
    std::string file;
    std::size_t line = 0;
    std::string content;
    std::string problem;
};

struct ImportProblem {
    std::string path;
    std::string reason;
};

struct ImportReport {
    std::string labelSet;
    std::string source;
    std::size_t clips = 0;           // clips stored
    std::size_t tracksAdded = 0;     // new tracks
    std::size_t tracksReused = 0;    // tracks already in the library
    std::size_t positives = 0;       // label values stored
    std::vector<MalformedLine> malformed;
    std::vector<std::string> missingFiles;
    std::vector<std::string> duplicates;     // "line 12: 'x' repeats line 3"
    std::vector<ImportProblem> unreadable;   // audio files that exist but cannot be probed
    std::vector<std::string> skipped;        // informational (files without a class, etc.)
    std::string splitName;                   // the data set's own split, when written

    bool hasErrors() const { return !malformed.empty() || !missingFiles.empty() || !duplicates.empty() || !unreadable.empty(); }
    // Human-readable, at most maxItems per kind of problem.
    std::string describeProblems(std::size_t maxItems = 20) const;
};

// Thrown when an import is refused; nothing was written. The report lists every problem found.
class ImportError : public Error {
public:
    ImportError(std::string subject, ImportReport report)
        : Error(std::move(subject), "import refused, nothing was written:\n" + report.describeProblems()),
          report_(std::move(report)) {}
    const ImportReport& report() const noexcept { return report_; }

private:
    ImportReport report_;
};

}  // namespace sonolab::datasets
