#pragma once
// Onset detection from a file or samples, the one entry point the CLI and the player's onset overlay use:
//
//   auto d = sonolab::onsets::detectOnsets("song.flac", OnsetMethod::parse("flux"));      // or "rnn:runs/onsets"
//   d.times        onset times in seconds
//   d.activation   the detection function (spectral flux, or the network's onset probability) at d.fps
//   d.threshold    where peak picking cuts it (to draw as a line; relative to the moving average for flux)
//
// flux: the tutorial's part 3a (log-filtered spectrogram at 100 fps, positive differences summed; madmom
// peak_picking with threshold 1.25, pre_max 1, post_max 5, pre_avg 15, post_avg 0 frames).
// rnn:RUN: features of rnnOnsetFeatures() through a trained OnsetRnnModel (RUN = a run folder or its
// onset-rnn.pt), then OnsetPeakPicking (combine 0.03 s) with the threshold and smoothing chosen on validation data
// when the run was trained (onset-peaks.txt beside the model, TunedPeakPickingFile.h), else threshold 0.35 and
// smooth 0.07 s.
// Audio is decoded / resampled to 44.1 kHz mono first. Errors: sonolab::Error naming the file.
#include "core/onsets/OnsetFeatures.h"
#include "core/onsets/OnsetPeakPicking.h"
#include "core/util/Progress.h"

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sonolab::ml {
class OnsetRnnModel;
}

namespace sonolab::onsets {

struct OnsetMethod {
    enum class Kind { Flux, Rnn };
    Kind kind = Kind::Flux;
    std::filesystem::path run;  // Rnn: run folder or model file

    // "flux" | "rnn:PATH". Throws sonolab::Error on anything else.
    static OnsetMethod parse(std::string_view text);
    std::string toString() const;
};

struct OnsetDetection {
    std::vector<double> times;
    std::vector<float> activation;
    double fps = 100.0;
    float threshold = 0.0f;
    std::string method;
    double durationSeconds = 0.0;
};

struct OnsetDetectorParams {
    OnsetSpectrogramParams flux;               // part 3a features (sampleRate/fps are taken from here)
    PeakPickingParams fluxPeaks;               // part 3a peak picking (frames)
    RnnOnsetFeatureParams rnnFeatures;         // part 3b features
    OnsetPeakPickingParams rnnPeaks;           // part 3b peak picking (seconds)
    // rnn:RUN: take threshold and smoothing from the run's onset-peaks.txt when it has one; false: rnnPeaks as given.
    bool runPeakPicking = true;
};

// Holds a loaded model so many files can be processed without reloading it. Not thread-safe; one per thread.
class OnsetDetector {
public:
    explicit OnsetDetector(const OnsetMethod& method, OnsetDetectorParams params = {});
    // Uses an already trained model (e.g. straight after training, or one fold of cross-validation).
    OnsetDetector(std::shared_ptr<const ml::OnsetRnnModel> model, OnsetDetectorParams params = {});
    ~OnsetDetector();
    OnsetDetector(OnsetDetector&&) noexcept;
    OnsetDetector& operator=(OnsetDetector&&) noexcept;

    OnsetDetection detect(const std::filesystem::path& file, const Progress* progress = nullptr) const;
    // mono samples at any rate (resampled to the features' rate when it differs)
    OnsetDetection detect(std::span<const float> mono, int sampleRate) const;
    // For the recurrent method: the network's activation from precomputed features (rnnOnsetFeatures()).
    OnsetDetection detectFromFeatures(const Matrix& features) const;

    const OnsetMethod& method() const { return method_; }
    const OnsetDetectorParams& params() const { return params_; }

private:
    OnsetMethod method_;
    OnsetDetectorParams params_;
    std::shared_ptr<const ml::OnsetRnnModel> model_;
};

OnsetDetection detectOnsets(const std::filesystem::path& file, const OnsetMethod& method = {},
                            const Progress* progress = nullptr);
OnsetDetection detectOnsets(std::span<const float> mono, int sampleRate, const OnsetMethod& method = {});

}  // namespace sonolab::onsets
