#pragma once
// What the spectrogram view shows: analysis (window size, hop, window function), frequency axis and colouring.
// Any change invalidates every cached tile.
#include "core/dsp/Window.h"
#include "ui/player/ColourMap.h"
#include "ui/player/FrequencyScale.h"

namespace sonolab::ui {

struct SpectrogramSettings {
    int nFft = 2048;
    int hop = 512;  // finest column spacing; zoomed out, columns are spaced wider (one per pixel or so)
    dsp::WindowType window = dsp::WindowType::Hann;
    FrequencyScaleKind scale = FrequencyScaleKind::Mel;  // what the models see; linear and log one click away
    double minHz = 0;      // the log axis starts at FrequencyScale::kMinLogHz at the lowest
    double maxHz = 0;      // 0 = Nyquist
    float rangeDb = 80;    // dynamic range: levels below topDb - rangeDb are the darkest colour
    // Level of the brightest colour; 0 dB = a full-scale sine. Music spreads its energy over many bins, so a mix
    // rarely reaches -10 dB in one bin: -20 uses the colour map's whole range for typical recordings.
    float topDb = -20;
    ColourMapKind colours = ColourMapKind::Viridis;

    bool operator==(const SpectrogramSettings&) const = default;

    FrequencyScale frequencyScale(int sampleRate) const {
        double nyquist = sampleRate / 2.0;
        return FrequencyScale(scale, minHz, maxHz > 0 ? std::min(maxHz, nyquist) : nyquist);
    }
};

}  // namespace sonolab::ui
