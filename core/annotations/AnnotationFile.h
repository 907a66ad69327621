#pragma once
// Annotation files in any of the formats Sonolab reads and writes, chosen by name (--format) or by extension:
//   audacity  Audacity label track         .txt    (AudacityLabels.h)
//   sv-csv    Sonic Visualiser layer CSV   .csv    (SvCsv.h; tab-separated .tsv read too)
//   jams      JAMS document                .jams   (Jams.h)
//   onsets    one time per line            .onsets (OnsetsFile.h)
#include "core/annotations/Annotation.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonolab::annotations {

enum class Format { Audacity, SvCsv, Jams, Onsets };

// "audacity", "sv-csv", "jams", "onsets"; nothing for another name.
std::optional<Format> parseFormat(std::string_view name);
std::string_view formatName(Format format);
// The names above, in that order (option checks, help texts).
std::vector<std::string> formatNames();
// ".txt", ".csv", ".jams", ".onsets".
std::string_view fileExtension(Format format);
// By extension (case-insensitive); nothing for another extension.
std::optional<Format> formatOfFile(const std::filesystem::path& file);

// The annotations of a file (one, except for JAMS documents that hold several); `format` defaults to the one of
// the extension. Throws Error naming the file (and line) for unreadable or malformed files and unknown extensions.
std::vector<Annotation> readAnnotationFile(const std::filesystem::path& file, std::optional<Format> format = {});

// Onset ground truth from any annotation file: the onset annotation of a JAMS document (else its beats), the event
// times of the other formats; ascending.
std::vector<double> readOnsetTimes(const std::filesystem::path& file);

struct WriteOptions {
    double duration = 0;         // of the audio, seconds (JAMS file_metadata.duration; 0 = the end of the last event)
    std::string title;           // JAMS file_metadata.title
    std::string tools = "Sonolab";  // JAMS annotation_metadata.annotation_tools
    char delimiter = ',';        // sv-csv
};

// The text of the file. The one-layer formats (audacity, sv-csv, onsets) take the events of every annotation in
// time order; .onsets keeps their times only.
std::string formatAnnotations(const std::vector<Annotation>& annotations, Format format, const WriteOptions& options = {});
// Written atomically.
void writeAnnotationFile(const std::filesystem::path& file, const std::vector<Annotation>& annotations, Format format,
                         const WriteOptions& options = {});

// Several layers at once (a prediction timeline's top labels and each class's values). JAMS holds them all in one
// document; Audacity label tracks and SV layers are one layer per file, so there the first layer goes to `file` and
// layer i > 0 to STEM.NAME_i.EXT beside it (NAME_i with '/' and other path characters replaced), as both tools import
// them one file at a time. The onsets format keeps the first layer only. Returns the files written, `file` first.
struct NamedLayer {
    std::string name;
    Annotation annotation;
};
std::vector<std::filesystem::path> writeAnnotationLayers(const std::filesystem::path& file,
                                                         const std::vector<NamedLayer>& layers, Format format,
                                                         const WriteOptions& options = {});

}  // namespace sonolab::annotations
