#pragma once
// MagnaTagAtune as published: annotations_final.csv (tab-separated, quoted: clip_id, 188 tag columns of 0/1, mp3_path
// relative to the audio root) and optionally clip_info_final.csv (clip_id, track_number, title, artist, album, url,
// segmentStart, segmentEnd, original_url, mp3_path). Any extra non-tag column named as the group column (or called
// "group") gives each clip its group. The standard split follows the first folder of mp3_path: 0-9, a, b train;
// c validation; d, e, f test.
#include "core/datasets/LabelledCollection.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace sonolab::datasets {

struct MtatOptions {
    std::filesystem::path audioRoot;      // empty = the annotations file's folder
    std::filesystem::path clipInfo;       // empty = clip_info_final.csv beside the annotations, if it exists
    std::string groupColumn;              // empty = a column called "group" if present
    std::string labelSetName = "mtat";
};

// The standard split part for an mp3_path, or nullopt when its first folder is not one of 0-9, a-f.
std::optional<SplitPart> mtatPart(std::string_view mp3Path);

// Parses the files (no audio is touched). Malformed lines are collected in report.malformed, not thrown;
// a file that cannot be read or lacks clip_id/mp3_path columns throws sonolab::Error.
LabelledCollection readMtat(const std::filesystem::path& annotations, const MtatOptions& options, ImportReport& report);

}  // namespace sonolab::datasets
