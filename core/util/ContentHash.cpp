#include "core/util/ContentHash.h"

#include "core/util/Error.h"

#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <vector>

namespace sonolab {
namespace {

constexpr std::uint64_t P1 = 0x9E3779B185EBCA87ULL, P2 = 0xC2B2AE3D27D4EB4FULL, P3 = 0x165667B19E3779F9ULL,
                        P4 = 0x85EBCA77C2B2AE63ULL, P5 = 0x27D4EB2F165667C5ULL;

inline std::uint64_t rotl(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
inline std::uint64_t round1(std::uint64_t acc, std::uint64_t in) { return rotl(acc + in * P2, 31) * P1; }
inline std::uint64_t load64(const std::byte* p) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}

}  // namespace

ContentHasher::ContentHasher(std::uint64_t seed) : v_{seed + P1 + P2, seed + P2, seed, seed - P1}, seed_(seed) {}

void ContentHasher::update(std::span<const std::byte> data) {
    total_ += data.size();
    std::size_t i = 0;
    if (pending_ > 0) {
        const std::size_t take = std::min<std::size_t>(32 - pending_, data.size());
        std::memcpy(buffer_.data() + pending_, data.data(), take);
        pending_ += take;
        i = take;
        if (pending_ < 32) return;
        block(buffer_.data());
        pending_ = 0;
    }
    for (; i + 32 <= data.size(); i += 32) block(data.data() + i);
    pending_ = data.size() - i;
    if (pending_) std::memcpy(buffer_.data(), data.data() + i, pending_);
}

std::uint64_t ContentHasher::finish() const {
    std::uint64_t h =
        total_ >= 32 ? rotl(v_[0], 1) + rotl(v_[1], 7) + rotl(v_[2], 12) + rotl(v_[3], 18) : seed_ + P5;
    if (total_ >= 32)
        for (auto v : v_) h = (h ^ round1(0, v)) * P1 + P4;
    h += total_;
    std::size_t i = 0;
    for (; i + 8 <= pending_; i += 8) h = rotl(h ^ round1(0, load64(buffer_.data() + i)), 27) * P1 + P4;
    for (; i < pending_; ++i) h = rotl(h ^ (std::uint64_t(buffer_[i]) * P5), 11) * P1;
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    h ^= h >> 32;
    return h;
}

void ContentHasher::block(const std::byte* p) {
    for (int l = 0; l < 4; ++l) v_[l] = round1(v_[l], load64(p + 8 * l));
}

std::uint64_t contentHash(std::span<const std::byte> bytes, std::uint64_t seed) {
    ContentHasher h(seed);
    h.update(bytes);
    return h.finish();
}

std::uint64_t hashFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw fileError(file, "cannot open file to hash it");
    ContentHasher h;
    std::vector<std::byte> buf(1 << 20);
    while (in) {
        in.read(reinterpret_cast<char*>(buf.data()), static_cast<std::streamsize>(buf.size()));
        const auto n = static_cast<std::size_t>(in.gcount());
        if (n == 0) break;
        h.update({buf.data(), n});
    }
    if (in.bad()) throw fileError(file, "read error while hashing");
    return h.finish();
}

std::string hashHex(std::uint64_t hash) {
    char s[17];
    std::snprintf(s, sizeof s, "%016llx", static_cast<unsigned long long>(hash));
    return s;
}

std::optional<std::uint64_t> parseHashHex(std::string_view hex) {
    if (hex.size() != 16) return std::nullopt;
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), value, 16);
    if (ec != std::errc{} || end != hex.data() + hex.size()) return std::nullopt;
    return value;
}

}  // namespace sonolab
