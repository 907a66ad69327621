#pragma once
// A fingerprint of a file's bytes: the key of the feature cache and how a rescan tells an edited file from a touched one.
// Files up to kFullHashLimit are hashed whole; larger ones by their size plus 1 MiB from the start, the middle and
// the end, so scanning a collection of long recordings costs a few MiB of reading per file, not the whole file.
#include <cstdint>
#include <filesystem>
#include <string>

namespace sonolab::library {

inline constexpr std::uintmax_t kFullHashLimit = 16u << 20;

// 32 hex digits (two independent 64-bit lanes). Throws sonolab::Error naming the file when it cannot be read.
std::string contentHash(const std::filesystem::path& file);

}  // namespace sonolab::library
