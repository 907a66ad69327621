#include "ui/player/ColourMap.h"

#include <algorithm>
#include <cmath>

namespace sonolab::ui {

namespace {

// Degree-6 polynomial fits of matplotlib's viridis and magma (Matt Zucconi's fits, within ~1% of the published
// 256-entry tables): c0 + c1 t + ... + c6 t^6 per channel. The table is filled from them once per ColourMap.
using Coefficients = std::array<std::array<double, 3>, 7>;

constexpr Coefficients kViridis{{
    {0.2777273272234177, 0.005407344544966578, 0.3340998053353061},
    {0.1050930431085774, 1.404613529898575, 1.384590162594685},
    {-0.3308618287255563, 0.214847559468213, 0.09509516302823659},
    {-4.634230498983486, -5.799100973351585, -19.33244095627987},
    {6.228269936347081, 14.17993336680509, 56.69055260068105},
    {4.776384997670288, -13.74514537774601, -65.35303263337234},
    {-5.435455855934631, 4.645852612178535, 26.3124352495832},
}};

constexpr Coefficients kMagma{{
    {-0.002136485053939582, -0.000749655052795221, -0.005386127855323933},
    {0.2516605407371642, 0.6775232436837668, 2.494026599312351},
    {8.353717279216625, -3.577719514958484, 0.3144679030132573},
    {-27.66873308576866, 14.26473078096533, -13.64921318813922},
    {52.17613981234068, -27.94360607168351, 12.94416944238394},
    {-50.76852536473588, 29.04658282127291, 4.23415299384598},
    {18.65570506591883, -11.48977351997711, -5.601961508734096},
}};

QRgb evaluate(const Coefficients& c, double t) {
    std::array<int, 3> rgb{};
    for (int ch = 0; ch < 3; ++ch) {
        double v = 0;
        for (int k = 6; k >= 0; --k) v = v * t + c[static_cast<std::size_t>(k)][static_cast<std::size_t>(ch)];
        rgb[static_cast<std::size_t>(ch)] = static_cast<int>(std::lround(std::clamp(v, 0.0, 1.0) * 255.0));
    }
    return qRgb(rgb[0], rgb[1], rgb[2]);
}

}  // namespace

ColourMap::ColourMap(ColourMapKind kind) : kind_(kind) {
    for (int i = 0; i < 256; ++i) {
        double t = i / 255.0;
        QRgb colour = 0;
        switch (kind) {
        case ColourMapKind::Viridis: colour = evaluate(kViridis, t); break;
        case ColourMapKind::Magma: colour = evaluate(kMagma, t); break;
        case ColourMapKind::Greys: colour = qRgb(i, i, i); break;
        }
        table_[static_cast<std::size_t>(i)] = colour;
    }
}

QRgb ColourMap::atFraction(float value) const {
    if (!(value > 0.0f)) return table_[0];  // also NaN
    if (value >= 1.0f) return table_[255];
    return table_[static_cast<std::size_t>(value * 255.0f + 0.5f)];
}

QString ColourMap::name(ColourMapKind kind) {
    switch (kind) {
    case ColourMapKind::Viridis: return QStringLiteral("Viridis");
    case ColourMapKind::Magma: return QStringLiteral("Magma");
    case ColourMapKind::Greys: return QStringLiteral("Greys");
    }
    return {};
}

std::vector<ColourMapKind> ColourMap::all() { return {ColourMapKind::Viridis, ColourMapKind::Magma, ColourMapKind::Greys}; }

}  // namespace sonolab::ui
