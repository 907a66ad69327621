#pragma once
// The model input of the pipeline tests that train or cache features: small and quick, 40 log-mel bands from a
// 512-point FFT at hop 256, and 40-frame windows (0.46 s at 22.05 kHz).
#include "core/pipeline/ModelFeatures.h"

namespace sonolab::test {

inline pipeline::ModelFeatures smallLogMel() {
    pipeline::ModelFeatures f;
    f.options.kind = "logmel";
    f.options.nFft = 512;
    f.options.hop = 256;
    f.options.nMels = 40;
    f.windowFrames = 40;
    return f;
}

}  // namespace sonolab::test
