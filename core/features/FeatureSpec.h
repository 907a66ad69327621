#pragma once
// What was computed: a feature kind plus every parameter that changes the numbers. Its canonical text
// ("kind;key=value;..." with keys sorted, numbers printed in shortest round-trip form) is hashed to name the cache
// folder, so two specs share cached results exactly when they would compute the same thing.
#include <cstdint>
#include <map>
#include <string>

namespace sonolab::features {

struct FeatureSpec {
    std::string kind;                           // "logmel", "mfcc", "rp", "ssd", "rh", "onsets", ...
    std::map<std::string, std::string> params;  // sorted by key

    FeatureSpec& set(const std::string& key, const std::string& value);
    FeatureSpec& set(const std::string& key, const char* value) { return set(key, std::string(value)); }
    FeatureSpec& set(const std::string& key, double value);
    FeatureSpec& set(const std::string& key, int value) { return set(key, static_cast<double>(value)); }
    FeatureSpec& set(const std::string& key, bool value) { return set(key, std::string(value ? "true" : "false")); }

    // Typed reads with a default when the key is absent; throws Error when present but not a number.
    double number(const std::string& key, double fallback) const;
    std::string text(const std::string& key, const std::string& fallback) const;

    std::string canonical() const;
    std::uint64_t hash() const;
    std::string hashHex() const;
    // Inverse of canonical(); throws Error on malformed text.
    static FeatureSpec parse(const std::string& canonicalText);

    bool operator==(const FeatureSpec&) const = default;
};

}  // namespace sonolab::features
