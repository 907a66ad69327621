#pragma once
// A generic CSV/TSV of labels: a path column plus either one label column (single-label; "a;b" or "a|b" in the column
// makes it multi-label) or several tag columns of 0/1 (multi-label). Optional group, title and artist columns.
// Without a header, a two-column file is read as "relative path<TAB>label" (GTZAN's filelist_wav_relpath_wclasses.txt).
#include "core/datasets/LabelledCollection.h"

#include <filesystem>
#include <string>

namespace sonolab::datasets {

struct CsvOptions {
    std::filesystem::path audioRoot;   // empty = the CSV file's folder; paths that are absolute stay as they are
    std::string pathColumn;            // empty = the first of path, file, filename, filepath, mp3_path, relpath, audio
    std::string labelColumn;           // empty = the first of label, labels, class, genre, category, tags
    std::string groupColumn;           // empty = none
    std::string labelSetName;          // empty = the CSV file's stem
    bool header = true;                // false forces "path, label" without a header; true detects one
};

LabelledCollection readCsvLabels(const std::filesystem::path& file, const CsvOptions& options, ImportReport& report);

}  // namespace sonolab::datasets
