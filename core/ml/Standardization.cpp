#include "core/ml/Standardization.h"

#include "core/util/Error.h"

namespace sonolab::ml {

std::string_view toString(StandardizationMode mode) {
    switch (mode) {
        case StandardizationMode::None: return "none";
        case StandardizationMode::Global: return "global";
        case StandardizationMode::PerBand: return "per_band";
        case StandardizationMode::PerElement: return "per_element";
    }
    return "none";
}

StandardizationMode parseStandardizationMode(std::string_view text) {
    if (text == "none") return StandardizationMode::None;
    if (text == "global") return StandardizationMode::Global;
    if (text == "per_band" || text == "band") return StandardizationMode::PerBand;
    if (text == "per_element" || text == "element") return StandardizationMode::PerElement;
    throw Error("standardisation '" + std::string(text) + "'", "expected none, global, per_band or per_element");
}

void Standardization::apply(FeatureMatrix& m) const { apply(m.mutableValues().data(), shapeOf(m)); }

void Standardization::apply(float* v, InputShape s) const {
    if (empty()) return;
    switch (mode) {
        case StandardizationMode::None: return;
        case StandardizationMode::Global: {
            const float mu = mean[0], k = scale[0];
            for (std::size_t i = 0; i < s.size(); ++i) v[i] = (v[i] - mu) * k;
            return;
        }
        case StandardizationMode::PerBand: {
            if (s.bands != mean.size())
                throw Error("standardisation", "fitted on " + std::to_string(mean.size()) + " bands, input has " +
                                                   std::to_string(s.bands));
            for (std::size_t b = 0; b < s.bands; ++b) {
                const float mu = mean[b], k = scale[b];
                float* row = v + b * s.frames;
                for (std::size_t f = 0; f < s.frames; ++f) row[f] = (row[f] - mu) * k;
            }
            return;
        }
        case StandardizationMode::PerElement: {
            if (s.size() != mean.size())
                throw Error("standardisation", "per-element statistics fitted on " + std::to_string(mean.size()) +
                                                   " values, input has " + std::to_string(s.size()));
            for (std::size_t i = 0; i < s.size(); ++i) v[i] = (v[i] - mean[i]) * scale[i];
            return;
        }
    }
}

}  // namespace sonolab::ml
