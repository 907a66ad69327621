#pragma once
// What a trainer needs from the library: for a task and a split, the tracks with their label vectors.
// Free of SQLite (and of the database class): the ML side sees plain vectors.
//
// Tasks are written in the one task grammar (core/util/TaskSpec.h). Which tracks a task takes:
//   binary:speech            every annotated track of the label set(s) that know the class "speech" (1 or 0)
//   single:a,b,c             only tracks with exactly one of them
//   multi:t1,t2,...          only tracks with at least one of them
//   "@set"                   restricts the lookup to that one label set
#include "core/util/TaskSpec.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonolab::library {

class LibraryDatabase;

struct TrainingExample {
    std::int64_t trackId = 0;
    std::string path;
    // The feature cache's key (util/ContentHash of the file), from the library: training and extraction read no audio
    // file whose features are cached under it. nullopt only when the file has no stored hash and cannot be read.
    std::optional<std::uint64_t> contentHash;
    std::vector<float> labels;   // binary: {0|1}; single: one-hot; multi: multi-hot (size = classes)
    std::string split;           // "train", "validation", "test", or "" when no split was asked for
    std::string group;           // source track/album; empty when unknown
};

struct TrainingSet {
    TaskSpec task;
    std::vector<std::string> classes;        // output names, in label-vector order
    std::vector<TrainingExample> examples;   // ordered by track id

    // The examples of one part ("train", "validation", "test").
    std::vector<TrainingExample> part(std::string_view split) const;
    // Positives per class over all examples (binary: {negatives, positives} is not given; just positives).
    std::vector<std::int64_t> positives() const;
};

// splitName empty = all examples, split left empty. A split that does not exist, or a task that matches no track,
// throws sonolab::Error. Tracks missing from the named split are left out. Each example's contentHash is
// library::currentContentHash (no file read when the library's is current); a track that had none yet (a library
// from before schema 3) is hashed here and the hash is written back to the library.
TrainingSet loadTrainingSet(LibraryDatabase& db, std::string_view taskSpec, std::string_view splitName);
TrainingSet loadTrainingSet(const std::filesystem::path& libraryFile, std::string_view taskSpec,
                            std::string_view splitName);

}  // namespace sonolab::library
