#include "core/ml/ModelSpec.h"

#include "core/util/Error.h"
#include "core/util/Text.h"

#include <charconv>

namespace sonolab::ml {

ModelSpec ModelSpec::parse(std::string_view text) {
    ModelSpec spec;
    auto colon = text.find(':');
    spec.architecture = trim(text.substr(0, colon));
    if (spec.architecture.empty()) throw Error("model '" + std::string(text) + "'", "no architecture name");
    if (colon == std::string_view::npos) return spec;
    std::string_view rest = text.substr(colon + 1);
    while (!rest.empty()) {
        auto comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        auto eq = item.find('=');
        if (eq == std::string_view::npos)
            throw Error("model '" + std::string(text) + "'", "parameter '" + std::string(item) + "' is not key=value");
        spec.params[trim(item.substr(0, eq))] = trim(item.substr(eq + 1));
        if (comma == std::string_view::npos) break;
        rest = rest.substr(comma + 1);
    }
    return spec;
}

std::string ModelSpec::toString() const {
    std::string s = architecture;
    char sep = ':';
    for (const auto& [k, v] : params) {
        s += sep;
        s += k + "=" + v;
        sep = ',';
    }
    return s;
}

double ModelSpec::number(const std::string& key, double fallback) const {
    auto it = params.find(key);
    if (it == params.end()) return fallback;
    try {
        std::size_t used = 0;
        double v = std::stod(it->second, &used);
        if (used != it->second.size()) throw std::invalid_argument("trailing");
        return v;
    } catch (const std::exception&) {
        throw Error("model '" + toString() + "'", "parameter " + key + "='" + it->second + "' is not a number");
    }
}

std::string ModelSpec::text(const std::string& key, const std::string& fallback) const {
    auto it = params.find(key);
    return it == params.end() ? fallback : it->second;
}

}  // namespace sonolab::ml
