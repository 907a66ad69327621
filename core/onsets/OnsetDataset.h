#pragma once
// Onset data sets on disk:
//  - the ISMIR 2012 onset layout as published: DIR/audio/NAME.flac (any audio extension), DIR/annotations/onsets/
//    NAME.onsets (one time in seconds per line; further columns ignored), DIR/splits/*.fold (one NAME per line;
//    each file is one fold, in file-name order);
//  - any folder tree where an audio file X.ext has its annotations beside it in X.onsets (folds are then assigned
//    round-robin over the sorted names, so they are reproducible).
// Instead of NAME.onsets, the ground truth may be any annotation file core/annotations reads: NAME.jams (its onset
// annotation, else its beats), a Sonic Visualiser layer NAME.csv / NAME.tsv or an Audacity label track NAME.txt
// (their event times). When one name has several, the first of .onsets, .jams, .csv, .tsv, .txt is used.
#include "core/annotations/OnsetsFile.h"

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace sonolab::onsets {

struct OnsetItem {
    std::string name;                 // base name: what fold files and reports refer to
    std::filesystem::path audio;
    std::filesystem::path annotations;  // the ground-truth file read (.onsets or another annotation format)
    std::vector<double> onsets;       // seconds, ascending
};

struct OnsetDataset {
    std::filesystem::path root;
    std::vector<OnsetItem> items;                 // sorted by name
    std::vector<std::vector<std::size_t>> folds;  // indices into items; every item in exactly one fold
    bool ismirLayout = false;
};

// The .onsets reader and writer are core/annotations' (OnsetsFile.h), the one owner of annotation formats.
using annotations::readOnsetsFile;
using annotations::writeOnsetsFile;

// Loads either layout; `folds` is used when the data set has no splits (0 = one fold). Audio without annotations is
// skipped; annotations without audio and fold entries naming unknown files throw Error.
OnsetDataset loadOnsetDataset(const std::filesystem::path& dir, std::size_t folds = 8);

bool isAudioFileName(const std::filesystem::path& file);

// The annotation file beside an audio file (same name, see the order above), or an empty path when it has none.
std::filesystem::path annotationsBeside(const std::filesystem::path& audio);

}  // namespace sonolab::onsets
