#include "core/dsp/Window.h"

#include "core/util/Error.h"

#include <cmath>
#include <numbers>

namespace sonolab::dsp {

std::vector<float> makeWindow(WindowType type, int length, bool periodic) {
    if (length < 1) throw Error("window", "window length must be at least 1, got " + std::to_string(length));
    std::vector<float> w(static_cast<std::size_t>(length));
    if (length == 1) {
        w[0] = 1.0f;
        return w;
    }
    const double denom = periodic ? length : length - 1;
    for (int n = 0; n < length; ++n) {
        const double x = 2.0 * std::numbers::pi * n / denom;
        double v = 1.0;
        switch (type) {
            case WindowType::Hann: v = 0.5 - 0.5 * std::cos(x); break;
            case WindowType::Hamming: v = 0.54 - 0.46 * std::cos(x); break;
            case WindowType::Blackman: v = 0.42 - 0.5 * std::cos(x) + 0.08 * std::cos(2 * x); break;
            case WindowType::Rectangular: v = 1.0; break;
        }
        w[static_cast<std::size_t>(n)] = static_cast<float>(v);
    }
    return w;
}

}  // namespace sonolab::dsp
