#pragma once
// Plain .onsets files (the ISMIR 2012 onset data set's format, and what the player exports): one time in seconds per
// line; further columns, blank lines and lines starting with '#' are ignored. The one reader and writer of the
// format: core/onsets (data sets) and the player go through these.
#include "core/annotations/Annotation.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace sonolab::annotations {

// Onset times, ascending; throws Error naming the file and line of a line that does not start with a time.
std::vector<double> parseOnsets(std::string_view text, const std::filesystem::path& file);
std::vector<double> readOnsetsFile(const std::filesystem::path& file);

// One time per line, 6 decimals.
std::string formatOnsets(const std::vector<double>& onsets);
// Written atomically.
void writeOnsetsFile(const std::filesystem::path& file, const std::vector<double>& onsets);

}  // namespace sonolab::annotations
