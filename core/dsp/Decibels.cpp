#include "core/dsp/Decibels.h"

#include <algorithm>
#include <cmath>

namespace sonolab::dsp {

void powerToDb(std::span<float> values, const DecibelParams& p) {
    if (values.empty()) return;
    const float amin = p.amin > 0 ? p.amin : 1e-10f;
    float ref = p.ref;
    if (p.refIsMax) ref = *std::max_element(values.begin(), values.end());
    const double refDb = 10.0 * std::log10(std::max<double>(amin, std::abs(ref)));
    float top = -INFINITY;
    for (float& v : values) {
        v = 10.0f * std::log10(std::max(amin, v)) - static_cast<float>(refDb);
        top = std::max(top, v);
    }
    if (p.topDb > 0) {
        const float floor = top - p.topDb;
        for (float& v : values) v = std::max(v, floor);
    }
}

void amplitudeToDb(std::span<float> values, DecibelParams p) {
    if (values.empty()) return;
    if (p.refIsMax) {
        float m = 0;
        for (float v : values) m = std::max(m, std::abs(v));
        p.ref = m;
        p.refIsMax = false;
    }
    for (float& v : values) v = v * v;
    p.ref = p.ref * p.ref;
    p.amin = p.amin * p.amin;
    if (p.amin <= 0) p.amin = 1e-30f;
    powerToDb(values, p);
}

}  // namespace sonolab::dsp
