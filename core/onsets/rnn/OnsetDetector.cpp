#include "core/onsets/rnn/OnsetDetector.h"

#include "core/audio/AudioDecoder.h"
#include "core/audio/Resample.h"
#include "core/ml/OnsetRnnModel.h"
#include "core/onsets/rnn/TunedPeakPickingFile.h"
#include "core/util/Error.h"

namespace sonolab::onsets {

OnsetMethod OnsetMethod::parse(std::string_view text) {
    OnsetMethod m;
    if (text == "flux") return m;
    if (text.starts_with("rnn:") && text.size() > 4) {
        m.kind = Kind::Rnn;
        m.run = std::filesystem::path(std::string(text.substr(4)));
        return m;
    }
    throw Error("onset method", "'" + std::string(text) + "' is neither 'flux' nor 'rnn:RUN' (a trained run folder)");
}

std::string OnsetMethod::toString() const { return kind == Kind::Flux ? "flux" : "rnn:" + run.string(); }

OnsetDetector::OnsetDetector(const OnsetMethod& method, OnsetDetectorParams params)
    : method_(method), params_(std::move(params)) {
    if (method_.kind != OnsetMethod::Kind::Rnn) return;
    model_ = std::make_shared<const ml::OnsetRnnModel>(ml::OnsetRnnModel::load(method_.run));
    if (!params_.runPeakPicking) return;
    if (const auto tuned = readTunedPeaks(method_.run)) {
        params_.rnnPeaks.threshold = tuned->threshold;
        params_.rnnPeaks.smooth = tuned->smooth;
    }
}

OnsetDetector::OnsetDetector(std::shared_ptr<const ml::OnsetRnnModel> model, OnsetDetectorParams params)
    : method_{OnsetMethod::Kind::Rnn, {}}, params_(std::move(params)), model_(std::move(model)) {
    if (!model_) throw Error("onset detector", "no model given");
}

OnsetDetector::~OnsetDetector() = default;
OnsetDetector::OnsetDetector(OnsetDetector&&) noexcept = default;
OnsetDetector& OnsetDetector::operator=(OnsetDetector&&) noexcept = default;

OnsetDetection OnsetDetector::detect(const std::filesystem::path& file, const Progress* progress) const {
    const int rate = method_.kind == OnsetMethod::Kind::Flux ? params_.flux.sampleRate : params_.rnnFeatures.spectrogram.sampleRate;
    const auto audio = audio::decode(file, {.sampleRate = rate, .mono = true}, progress);
    try {
        return detect(audio.samples, audio.sampleRate);
    } catch (const Error& e) {
        throw fileError(file, e.what());
    }
}

OnsetDetection OnsetDetector::detect(std::span<const float> mono, int sampleRate) const {
    const int rate = method_.kind == OnsetMethod::Kind::Flux ? params_.flux.sampleRate : params_.rnnFeatures.spectrogram.sampleRate;
    if (sampleRate <= 0) throw Error("onset detector", "sample rate must be > 0");
    if (sampleRate != rate) {
        audio::AudioBuffer in{sampleRate, 1, std::vector<float>(mono.begin(), mono.end())};
        const auto out = audio::resample(in, rate, true);
        return detect(out.samples, out.sampleRate);
    }
    OnsetDetection d;
    d.durationSeconds = double(mono.size()) / rate;
    if (method_.kind == OnsetMethod::Kind::Flux) {
        d.method = "flux";
        d.fps = params_.flux.fps;
        d.activation = spectralFlux(mono, params_.flux);
        d.threshold = params_.fluxPeaks.threshold;
        d.times = pickFluxOnsets(d.activation, d.fps, params_.fluxPeaks);
        return d;
    }
    auto r = detectFromFeatures(rnnOnsetFeatures(mono, params_.rnnFeatures));
    r.durationSeconds = d.durationSeconds;
    return r;
}

OnsetDetection OnsetDetector::detectFromFeatures(const Matrix& features) const {
    if (!model_) throw Error("onset detector", "detection from features needs the recurrent method");
    features.requireLayout(Layout::FramesByBins, "onset detector");
    OnsetDetection d;
    d.method = method_.toString();
    d.fps = params_.rnnFeatures.spectrogram.fps;
    d.activation = model_->predict(features.values().data(), features.frames(), features.bins());
    auto peaks = params_.rnnPeaks;
    peaks.fps = d.fps;
    d.threshold = peaks.threshold;
    d.times = pickOnsets(d.activation, peaks);
    d.durationSeconds = double(features.frames()) / d.fps;
    return d;
}

OnsetDetection detectOnsets(const std::filesystem::path& file, const OnsetMethod& method, const Progress* progress) {
    return OnsetDetector(method).detect(file, progress);
}

OnsetDetection detectOnsets(std::span<const float> mono, int sampleRate, const OnsetMethod& method) {
    return OnsetDetector(method).detect(mono, sampleRate);
}

}  // namespace sonolab::onsets
