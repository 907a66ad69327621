#include "core/features/FeatureSpec.h"

#include "core/util/ContentHash.h"
#include "core/util/Error.h"
#include "core/util/Text.h"

#include <charconv>
#include <cmath>
#include <cstddef>
#include <span>

namespace sonolab::features {

FeatureSpec& FeatureSpec::set(const std::string& key, const std::string& value) {
    if (key.empty() || key.find_first_of(";=") != std::string::npos || value.find_first_of(";=") != std::string::npos)
        throw Error("feature spec", "keys and values may not be empty or contain ';' or '=': " + key + "=" + value);
    params[key] = value;
    return *this;
}

FeatureSpec& FeatureSpec::set(const std::string& key, double value) {
    if (!std::isfinite(value)) throw Error("feature spec", "parameter " + key + " is not finite");
    if (value == 0) value = 0;  // -0 and 0 are the same parameter
    return set(key, shortestText(value));
}

double FeatureSpec::number(const std::string& key, double fallback) const {
    auto it = params.find(key);
    if (it == params.end()) return fallback;
    double v = 0;
    auto r = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
    if (r.ec != std::errc() || r.ptr != it->second.data() + it->second.size())
        throw Error("feature spec", "parameter " + key + " is not a number: " + it->second);
    return v;
}

std::string FeatureSpec::text(const std::string& key, const std::string& fallback) const {
    auto it = params.find(key);
    return it == params.end() ? fallback : it->second;
}

std::string FeatureSpec::canonical() const {
    std::string s = kind;
    for (const auto& [k, v] : params) s += ";" + k + "=" + v;
    return s;
}

std::uint64_t FeatureSpec::hash() const {
    const auto c = canonical();
    return contentHash(std::as_bytes(std::span(c.data(), c.size())), 0x5350454355ULL);
}

std::string FeatureSpec::hashHex() const { return sonolab::hashHex(hash()); }

FeatureSpec FeatureSpec::parse(const std::string& text) {
    FeatureSpec s;
    std::size_t pos = text.find(';');
    s.kind = text.substr(0, pos);
    if (s.kind.empty()) throw Error("feature spec", "no kind in '" + text + "'");
    while (pos != std::string::npos) {
        const std::size_t next = text.find(';', pos + 1);
        const std::string item = text.substr(pos + 1, next == std::string::npos ? std::string::npos : next - pos - 1);
        const std::size_t eq = item.find('=');
        if (eq == std::string::npos) throw Error("feature spec", "malformed parameter '" + item + "'");
        s.set(item.substr(0, eq), item.substr(eq + 1));
        pos = next;
    }
    return s;
}

}  // namespace sonolab::features
