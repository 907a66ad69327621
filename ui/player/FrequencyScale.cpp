#include "ui/player/FrequencyScale.h"

#include "core/dsp/MelFilterbank.h"

#include <algorithm>
#include <cmath>

namespace sonolab::ui {

FrequencyScale::FrequencyScale(FrequencyScaleKind kind, double minHz, double maxHz)
    : kind_(kind), minHz_(minHz), maxHz_(maxHz) {
    if (kind_ == FrequencyScaleKind::Log) minHz_ = std::max(minHz_, kMinLogHz);
    minHz_ = std::max(0.0, minHz_);
    if (maxHz_ <= minHz_) maxHz_ = minHz_ + 1.0;
    warpedMin_ = warp(minHz_);
    warpedMax_ = warp(maxHz_);
}

double FrequencyScale::warp(double hz) const {
    switch (kind_) {
    case FrequencyScaleKind::Linear: return hz;
    case FrequencyScaleKind::Log: return std::log2(std::max(hz, 1e-3));
    case FrequencyScaleKind::Mel: return dsp::hzToMelD(hz, false);  // Slaney, as librosa and the feature extractor
    }
    return hz;
}

double FrequencyScale::unwarp(double w) const {
    switch (kind_) {
    case FrequencyScaleKind::Linear: return w;
    case FrequencyScaleKind::Log: return std::exp2(w);
    case FrequencyScaleKind::Mel: return dsp::melToHzD(w, false);
    }
    return w;
}

double FrequencyScale::toUnit(double hz) const { return (warp(hz) - warpedMin_) / (warpedMax_ - warpedMin_); }

double FrequencyScale::fromUnit(double unit) const { return unwarp(warpedMin_ + unit * (warpedMax_ - warpedMin_)); }

int FrequencyScale::rowOfHz(double hz, int height) const {
    return std::clamp(static_cast<int>(std::floor(yOfHz(hz, height))), 0, height - 1);
}

std::vector<double> FrequencyScale::ticks(int wanted) const {
    std::vector<double> out;
    wanted = std::max(wanted, 2);
    if (kind_ == FrequencyScaleKind::Linear) {
        double raw = (maxHz_ - minHz_) / wanted;
        double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
        double step = magnitude;
        for (double m : {1.0, 2.0, 5.0, 10.0})
            if (m * magnitude >= raw) {
                step = m * magnitude;
                break;
            }
        for (double f = std::ceil(minHz_ / step) * step; f <= maxHz_ + 1e-9; f += step) out.push_back(f);
        return out;
    }
    // Log and mel: a 1-2-5 sequence per decade, thinned until about `wanted` remain, so labels do not collide.
    std::vector<double> candidates;
    for (double decade = 10; decade <= 100000; decade *= 10)
        for (double m : {1.0, 2.0, 5.0})
            if (double f = m * decade; f >= minHz_ && f <= maxHz_) candidates.push_back(f);
    if (kind_ == FrequencyScaleKind::Mel && minHz_ <= 0) candidates.insert(candidates.begin(), 0.0);
    // Keep those at least 1/(wanted) of the axis apart, walking from the top.
    double lastUnit = 2.0;
    for (auto it = candidates.rbegin(); it != candidates.rend(); ++it) {
        double u = toUnit(*it);
        if (lastUnit - u >= 0.9 / wanted) {
            out.push_back(*it);
            lastUnit = u;
        }
    }
    std::reverse(out.begin(), out.end());
    return out;
}

QString FrequencyScale::name(FrequencyScaleKind kind) {
    switch (kind) {
    case FrequencyScaleKind::Linear: return QStringLiteral("Linear");
    case FrequencyScaleKind::Log: return QStringLiteral("Log");
    case FrequencyScaleKind::Mel: return QStringLiteral("Mel");
    }
    return {};
}

QString formatHz(double hz) {
    if (hz >= 1000.0) {
        double k = hz / 1000.0;
        return QStringLiteral("%1 kHz").arg(k, 0, 'g', k >= 10 ? 3 : 2);
    }
    return QStringLiteral("%1 Hz").arg(std::lround(hz));
}

}  // namespace sonolab::ui
