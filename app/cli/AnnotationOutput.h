#pragma once
// `--format audacity|sv-csv|jams|onsets` and `--out` shared by the commands that write annotations (onsets,
// predict): one option text, one way to pick the format and one place that prints or writes the file.
#include "core/annotations/AnnotationFile.h"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace sonolab::cli {

// Adds --format with its allowed names; `what` starts the help text ("The onsets as an annotation file").
CLI::Option* addAnnotationFormatOption(CLI::App* cmd, std::string& format, const std::string& what);

// The format named by --format, else the one of `out`'s extension; throws Error when neither says.
annotations::Format chosenFormat(const std::string& format, const std::filesystem::path& out);

// Prints the file to stdout when `out` is empty, else writes it atomically.
void emitAnnotations(const std::vector<annotations::Annotation>& annotations, const std::string& format,
                     const std::filesystem::path& out, const annotations::WriteOptions& options);

}  // namespace sonolab::cli
