#pragma once
// Maps frequency to a vertical position for the spectrogram's linear, logarithmic or mel axis.
// Unit position 0 is minHz (bottom), 1 is maxHz (top). Pixel row r of a view h rows high covers unit positions
// [1 - (r+1)/h, 1 - r/h], so row 0 is the top.
#include <QString>

#include <vector>

namespace sonolab::ui {

enum class FrequencyScaleKind { Linear, Log, Mel };

class FrequencyScale {
public:
    // Log needs minHz > 0: a minHz below kMinLogHz is raised to it.
    FrequencyScale(FrequencyScaleKind kind, double minHz, double maxHz);

    static constexpr double kMinLogHz = 20.0;

    FrequencyScaleKind kind() const { return kind_; }
    double minHz() const { return minHz_; }
    double maxHz() const { return maxHz_; }

    double toUnit(double hz) const;
    double fromUnit(double unit) const;

    // Frequency at a (fractional) row position; row + 0.5 is a pixel row's centre, row its top edge.
    double hzAtY(double y, int height) const { return fromUnit(1.0 - y / height); }
    double yOfHz(double hz, int height) const { return (1.0 - toUnit(hz)) * height; }
    // The pixel row whose span contains hz.
    int rowOfHz(double hz, int height) const;

    // Frequencies worth a labelled tick between minHz and maxHz, roughly `wanted` of them.
    std::vector<double> ticks(int wanted) const;

    static QString name(FrequencyScaleKind kind);

private:
    double warp(double hz) const;
    double unwarp(double w) const;

    FrequencyScaleKind kind_;
    double minHz_, maxHz_;
    double warpedMin_, warpedMax_;
};

// "440 Hz", "1.5 kHz"
QString formatHz(double hz);

}  // namespace sonolab::ui
