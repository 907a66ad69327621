#include "core/dsp/Chroma.h"

#include "core/dsp/FrameProjection.h"
#include "core/util/Error.h"

#include <algorithm>
#include <cmath>

namespace sonolab::dsp {

Chroma::Chroma(ChromaParams p) : params_(p) {
    if (p.sampleRate <= 0 || p.nFft < 2 || p.nChroma < 1) throw Error("chroma", "invalid parameters");
    const int nFft = p.nFft, nc = p.nChroma, bins = nFft / 2 + 1;
    const double a440 = 440.0 * std::pow(2.0, p.tuning / nc);
    // Fractional pitch-class position of each FFT bin (bin 0 made up as 1.5 octaves below bin 1, as librosa).
    std::vector<double> frq(static_cast<std::size_t>(nFft));
    for (int k = 1; k < nFft; ++k) frq[k] = nc * std::log2((double(p.sampleRate) * k / nFft) / (a440 / 16.0));
    frq[0] = frq[1] - 1.5 * nc;
    std::vector<double> width(static_cast<std::size_t>(nFft));
    for (int k = 0; k + 1 < nFft; ++k) width[k] = std::max(frq[k + 1] - frq[k], 1.0);
    width[nFft - 1] = 1.0;
    std::vector<double> w(static_cast<std::size_t>(nc) * nFft);
    const double half = std::round(nc / 2.0);
    for (int c = 0; c < nc; ++c)
        for (int k = 0; k < nFft; ++k) {
            double d = std::fmod(frq[k] - c + half + 10.0 * nc, double(nc));
            if (d < 0) d += nc;
            d -= half;
            const double z = 2.0 * d / width[k];
            w[static_cast<std::size_t>(c) * nFft + k] = std::exp(-0.5 * z * z);
        }
    for (int k = 0; k < nFft; ++k) {  // L2-normalise each column
        double norm = 0;
        for (int c = 0; c < nc; ++c) norm += w[c * nFft + k] * w[c * nFft + k];
        norm = std::sqrt(norm);
        if (norm > 1e-300)
            for (int c = 0; c < nc; ++c) w[c * nFft + k] /= norm;
    }
    if (p.octwidth > 0)
        for (int k = 0; k < nFft; ++k) {
            const double z = (frq[k] / nc - p.ctroct) / p.octwidth;
            const double g = std::exp(-0.5 * z * z);
            for (int c = 0; c < nc; ++c) w[c * nFft + k] *= g;
        }
    const int shift = p.baseC ? 3 * (nc / 12) : 0;  // numpy.roll(w, -shift, axis=0)
    weights_.assign(static_cast<std::size_t>(nc) * bins, 0.0f);
    for (int c = 0; c < nc; ++c) {
        const int src = (c + shift) % nc;
        for (int k = 0; k < bins; ++k) weights_[static_cast<std::size_t>(c) * bins + k] = float(w[src * nFft + k]);
    }
}

Matrix Chroma::compute(const Matrix& power) const {
    Matrix out = projectFrames(power, weights_, static_cast<std::size_t>(params_.nChroma), "chroma");
    for (std::size_t f = 0; f < out.frames(); ++f) {
        auto fr = out.mutableRow(f);
        float mx = 0;
        for (float v : fr) mx = std::max(mx, std::abs(v));
        if (mx > 1e-30f)  // librosa leaves frames with a negligible norm as they are
            for (float& v : fr) v /= mx;
    }
    return out;
}

}  // namespace sonolab::dsp
