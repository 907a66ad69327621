#include "core/extraction/Shard.h"

#include "core/util/Error.h"

#include <charconv>

namespace sonolab::extraction {

namespace {

bool parseNumber(std::string_view text, std::uint64_t& out) {
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && ptr == end && !text.empty();
}

}  // namespace

Shard Shard::parse(std::string_view text) {
    const auto slash = text.find('/');
    std::uint64_t k = 0, n = 0;
    if (slash == std::string_view::npos || !parseNumber(text.substr(0, slash), k) ||
        !parseNumber(text.substr(slash + 1), n) || n == 0 || k == 0 || k > n)
        throw Error("shard '" + std::string(text) + "'", "expected K/N with 1 <= K <= N (e.g. 1/4 .. 4/4)");
    return {k - 1, n};
}

std::string Shard::toString() const { return std::to_string(index + 1) + "/" + std::to_string(count); }

bool Shard::owns(std::uint64_t contentHash) const noexcept {
    // The content hash's final mixing spreads every input bit over the low bits: a plain modulo is balanced.
    return whole() || contentHash % count == index;
}

}  // namespace sonolab::extraction
