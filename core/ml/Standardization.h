#pragma once
// Feature standardisation (z-score), always fitted on the training split only and stored with the model so
// prediction applies exactly what training saw.
#include "core/ml/FeatureMatrix.h"

#include <string>
#include <vector>

namespace sonolab::ml {

enum class StandardizationMode {
    None,        // identity
    Global,      // one mean/std over every value
    PerBand,     // one mean/std per band (row), over all frames: works with crops of any length (default)
    PerElement,  // one mean/std per (band, frame) cell: the tutorial's attribute-wise StandardScaler, fixed shape only
};

struct Standardization {
    StandardizationMode mode = StandardizationMode::None;
    InputShape shape;          // bands (and frames for PerElement) it was fitted on
    std::vector<float> mean;   // 1, bands, or bands*frames values by mode
    std::vector<float> scale;  // 1/std (std floored at 1e-6), same size as mean

    // Applies in place to a matrix (or a crop of it: PerElement needs the fitted frame count).
    void apply(FeatureMatrix& m) const;
    void apply(float* values, InputShape shape) const;
    bool empty() const { return mode == StandardizationMode::None || mean.empty(); }
};

std::string_view toString(StandardizationMode mode);
StandardizationMode parseStandardizationMode(std::string_view text);  // none|global|per_band|per_element

}  // namespace sonolab::ml
