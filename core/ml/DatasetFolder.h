#pragma once
// A training set as plain files, so training can run where only libtorch is (a GPU server): `export-dataset` writes
// it from the library, `train --data DIR` reads it. Layout:
//   DIR/dataset.txt     key=value lines: format, name, task ("single:a,b"), features (feature spec), window_frames
//   DIR/examples.tsv    part \t id \t group \t file \t targets (comma-separated), one example per line
//   DIR/features/*.npy  float32 [bands, frames] per example
// The manifest files are written last and atomically, so an interrupted export is never read as complete.
#include "core/ml/Dataset.h"
#include "core/util/TaskSpec.h"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace sonolab::ml {

struct DatasetFolderInfo {
    std::string name;
    TaskSpec task;
    std::string featureSpec;        // how the features were computed (stored with trained models)
    std::size_t windowFrames = 0;   // the crop length the features were made for (0 = whole examples)
};

struct DatasetFolder {
    DatasetFolderInfo info;
    Dataset train, validation, test;  // examples read into memory
};

// Writes the parts given as (name, dataset) pairs; names are "train", "validation" or "test".
void writeDatasetFolder(const std::filesystem::path& dir, const DatasetFolderInfo& info,
                        const std::vector<std::pair<std::string, const Dataset*>>& parts);

// Reads a folder written by writeDatasetFolder. Throws sonolab::Error naming the file (and line) on bad input.
DatasetFolder readDatasetFolder(const std::filesystem::path& dir);

bool isDatasetFolder(const std::filesystem::path& dir);

}  // namespace sonolab::ml
