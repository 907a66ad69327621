#pragma once
// Caches, checkpoints and databases of results are written atomically: to a temporary file in the same folder,
// flushed to disk, then renamed over the target. A killed process leaves either the old file or the new one.
#include <cstddef>
#include <filesystem>
#include <span>
#include <string_view>

namespace sonolab {

void writeFileAtomically(const std::filesystem::path& target, std::span<const std::byte> bytes);
void writeFileAtomically(const std::filesystem::path& target, std::string_view text);

// For writers that produce a file themselves (e.g. a library that takes a path): returns a temporary
// path beside target; call commitAtomically() once it is complete and closed.
std::filesystem::path temporaryPathFor(const std::filesystem::path& target);
void commitAtomically(const std::filesystem::path& temporary, const std::filesystem::path& target);

}  // namespace sonolab
