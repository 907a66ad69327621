#pragma once
// Onset data sets on disk:
//  - the ISMIR 2012 onset layout as published: DIR/audio/NAME.flac (any audio extension), DIR/annotations/onsets/
//    NAME.onsets (one time in seconds per line; further columns ignored), DIR/splits/*.fold (one NAME per line;
//    each file is one fold, in file-name order);
//  - any folder tree where an audio file X.ext has its annotations beside it in X.onsets (folds are then assigned
//    round-robin over the sorted names, so they are reproducible).
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace sonolab::onsets {

struct OnsetItem {
    std::string name;                 // base name: what fold files and reports refer to
    std::filesystem::path audio;
    std::filesystem::path annotations;
    std::vector<double> onsets;       // seconds, ascending
};

struct OnsetDataset {
    std::filesystem::path root;
    std::vector<OnsetItem> items;                 // sorted by name
    std::vector<std::vector<std::size_t>> folds;  // indices into items; every item in exactly one fold
    bool ismirLayout = false;
};

// Reads one .onsets file (blank lines and lines starting with '#' skipped); throws Error naming the file and line.
std::vector<double> readOnsetsFile(const std::filesystem::path& file);
// Writes one time per line (6 decimals), atomically.
void writeOnsetsFile(const std::filesystem::path& file, const std::vector<double>& onsets);

// Loads either layout; `folds` is used when the data set has no splits (0 = one fold). Audio without annotations is
// skipped; annotations without audio and fold entries naming unknown files throw Error.
OnsetDataset loadOnsetDataset(const std::filesystem::path& dir, std::size_t folds = 8);

bool isAudioFileName(const std::filesystem::path& file);

}  // namespace sonolab::onsets
