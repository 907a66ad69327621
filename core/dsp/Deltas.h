#pragma once
// Delta features as librosa.feature.delta: a Savitzky-Golay derivative of polynomial order `order` over `width`
// frames (odd, >= 3) along time, with mode "interp" at the edges (the polynomial fitted to the first/last `width`
// frames is differentiated there). When a feature has fewer frames than width, edges use the nearest frame instead.
#include "core/dsp/Spectrogram.h"

namespace sonolab::dsp {

struct DeltaParams {
    int width = 9;
    int order = 1;  // 1: delta, 2: delta-delta (second derivative, as librosa, not delta of delta)
};

// (frames, bins) in, same shape out.
Spectrogram deltas(const Spectrogram& features, const DeltaParams& params = {});

}  // namespace sonolab::dsp
