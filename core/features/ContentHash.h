#pragma once
// A fast 64-bit hash of a file's bytes: the feature cache's key for "the same audio", so a renamed or moved file
// keeps its cached features and an edited one gets new ones. Four independent 64-bit lanes of multiply-rotate
// mixing (in the style of xxHash64) over 32-byte blocks run at several GB/s; the length is mixed in at the end.
// Not cryptographic.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

namespace sonolab::features {

std::uint64_t contentHash(std::span<const std::byte> bytes, std::uint64_t seed = 0);
// Reads the file in chunks (no full copy in memory). Throws Error naming the file when it cannot be read.
std::uint64_t hashFile(const std::filesystem::path& file);
// 16 lowercase hex digits.
std::string hashHex(std::uint64_t hash);

}  // namespace sonolab::features
