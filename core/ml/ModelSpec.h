#pragma once
// An architecture by name with its parameters, e.g. "compact_cnn", "compact_cnn:layers=3,filters=32,dropout=0.2",
// "short_chunk_resnet:channels=64". Parameters are strings parsed by the architecture; unknown ones are an error.
#include <map>
#include <string>
#include <string_view>

namespace sonolab::ml {

struct ModelSpec {
    std::string architecture;
    std::map<std::string, std::string> params;

    static ModelSpec parse(std::string_view text);  // "name[:k=v,k=v]"
    std::string toString() const;

    double number(const std::string& key, double fallback) const;  // throws sonolab::Error if not a number
    std::string text(const std::string& key, const std::string& fallback) const;
};

}  // namespace sonolab::ml
