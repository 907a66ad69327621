#include "core/extraction/FeatureKinds.h"

#include "core/audio/AudioDecoder.h"
#include "core/dsp/Chroma.h"
#include "core/dsp/LogMel.h"
#include "core/dsp/Mfcc.h"
#include "core/dsp/RhythmPatterns.h"
#include "core/dsp/SpectralDescriptors.h"
#include "core/onsets/OnsetFeatures.h"
#include "core/util/Error.h"

#include <algorithm>
#include <array>

namespace sonolab::extraction {

using features::FeatureSpec;

const std::vector<std::string>& featureKinds() {
    static const std::vector<std::string> kinds{"logmel", "mfcc", "chroma", "spectral", "rp", "ssd", "rh", "onsets"};
    return kinds;
}

namespace {
bool isRhythm(const std::string& k) { return k == "rp" || k == "ssd" || k == "rh"; }
}  // namespace

FeatureSpec specFor(const FeatureOptions& o) {
    const auto& kinds = featureKinds();
    if (std::find(kinds.begin(), kinds.end(), o.kind) == kinds.end())
        throw Error("features", "unknown feature kind '" + o.kind + "' (logmel, mfcc, chroma, spectral, rp, ssd, rh, onsets)");
    FeatureSpec s{.kind = o.kind};
    if (isRhythm(o.kind)) {
        // rp_extract with the tutorial's settings; every parameter recorded so a change makes a new cache entry.
        s.set("sr", 44100).set("bark_bands", 24).set("mod_ampl_limit", 60).set("skip_leadin_fadeout", 0);
        s.set("step_width", 1).set("peak_normalise", true).set("masking", true).set("fluct_weighting", true);
        return s;
    }
    if (o.kind == "onsets") {
        s.set("sr", 44100).set("fps", 100).set("frame_size", 2048).set("bands_per_octave", 12).set("fmin", 30);
        s.set("fmax", 17000).set("log_add", 1);
        return s;
    }
    if (o.sampleRate <= 0 || o.nFft < 16 || o.hop < 1) throw Error("features", "invalid sample rate, FFT size or hop");
    const float fmax = o.fmax > 0 ? o.fmax : o.sampleRate / 2.0f;
    if (o.fmin < 0 || o.fmin >= fmax || fmax > o.sampleRate / 2.0f + 1e-3f)
        throw Error("features", "need 0 <= fmin < fmax <= sr/2");
    s.set("sr", o.sampleRate).set("n_fft", o.nFft).set("hop", o.hop).set("window", "hann").set("center", true);
    if (o.kind == "logmel" || o.kind == "mfcc") {
        s.set("n_mels", o.nMels).set("fmin", double(o.fmin)).set("fmax", double(fmax)).set("htk", o.htk);
        s.set("norm", o.slaneyNorm ? "slaney" : "none").set("db_ref", 1).set("top_db", 80);
        if (o.kind == "mfcc") {
            if (o.nMfcc < 1 || o.nMfcc > o.nMels) throw Error("features", "--n-mfcc must be in 1..n-mels");
            s.set("n_mfcc", o.nMfcc);
        }
    } else if (o.kind == "spectral") {
        s.set("rolloff", 0.85).set("frame_length", 2048);
    } else if (o.kind == "chroma") {
        s.set("tuning", 0);
    }
    return s;
}

int decodeRateFor(const FeatureSpec& spec) { return static_cast<int>(spec.number("sr", 22050)); }

Matrix computeFeature(const FeatureSpec& spec, std::span<const float> mono) {
    const int sr = decodeRateFor(spec);
    const auto& k = spec.kind;
    if (isRhythm(k)) {
        dsp::RhythmPatterns rp({.sampleRate = sr,
                                .barkBands = static_cast<int>(spec.number("bark_bands", 24)),
                                .modAmplLimit = static_cast<int>(spec.number("mod_ampl_limit", 60)),
                                .skipLeadinFadeout = static_cast<int>(spec.number("skip_leadin_fadeout", 0)),
                                .stepWidth = static_cast<int>(spec.number("step_width", 1))});
        auto f = rp.compute(mono);
        const std::size_t B = static_cast<std::size_t>(rp.params().barkBands);
        const std::size_t M = static_cast<std::size_t>(rp.params().modAmplLimit);
        if (k == "rh") return Matrix::fromNpyShape(std::move(f.rh), std::array{M});
        // Our vectors are Fortran-ordered (rp_extract); the arrays are (bands, columns) in C order.
        auto toBandsByColumns = [B](const std::vector<float>& v, std::size_t cols) {
            std::vector<float> out(B * cols);
            for (std::size_t c = 0; c < cols; ++c)
                for (std::size_t b = 0; b < B; ++b) out[b * cols + c] = v[c * B + b];
            return out;
        };
        if (k == "rp") return Matrix(toBandsByColumns(f.rp, M), B, M, Layout::BinsByFrames);
        return Matrix(toBandsByColumns(f.ssd, 7), B, 7, Layout::BinsByFrames);
    }
    if (k == "onsets") {
        // The one onset detection function (core/onsets, madmom's chain), with every parameter the spec records.
        auto flux = onsets::spectralFlux(mono, {.sampleRate = sr,
                                                .fps = spec.number("fps", 100),
                                                .frameSize = static_cast<int>(spec.number("frame_size", 2048)),
                                                .bandsPerOctave = static_cast<int>(spec.number("bands_per_octave", 12)),
                                                .fmin = spec.number("fmin", 30),
                                                .fmax = spec.number("fmax", 17000),
                                                .logAdd = static_cast<float>(spec.number("log_add", 1))});
        const std::size_t n = flux.size();
        return Matrix(std::move(flux), 1, n, Layout::BinsByFrames);
    }
    const int nFft = static_cast<int>(spec.number("n_fft", 1024)), hop = static_cast<int>(spec.number("hop", 512));
    if (k == "logmel" || k == "mfcc") {
        const dsp::LogMelParams params{.mel = {.sampleRate = sr,
                                               .nFft = nFft,
                                               .nMels = static_cast<int>(spec.number("n_mels", 80)),
                                               .fmin = static_cast<float>(spec.number("fmin", 0)),
                                               .fmax = static_cast<float>(spec.number("fmax", 0)),
                                               .htk = spec.text("htk", "false") == "true",
                                               .slaneyNorm = spec.text("norm", "slaney") == "slaney"},
                                       .hop = hop};
        dsp::LogMel lm(params);
        auto mel = lm.compute(mono);
        // dsp computes one frame per row; the cache and the models take (bands, frames).
        if (k == "logmel") return mel.transposed();
        const dsp::Mfcc mfcc({.nMfcc = static_cast<int>(spec.number("n_mfcc", 20)), .logMel = params});
        return mfcc.fromLogMel(mel).transposed();
    }
    dsp::Stft stft({.nFft = nFft, .hop = hop});
    if (k == "chroma") return dsp::Chroma({.sampleRate = sr, .nFft = nFft}).compute(stft.power(mono)).transposed();
    if (k == "spectral") {
        auto S = stft.magnitude(mono);
        dsp::SpectralDescriptors d({.sampleRate = sr, .nFft = nFft});
        std::vector<std::vector<float>> rows{d.centroid(S), d.bandwidth(S), d.rolloff(S), d.flatness(S), d.flux(S),
                                             dsp::zeroCrossingRate(mono, {.frameLength = 2048, .hop = hop}),
                                             dsp::rms(mono, {.frameLength = 2048, .hop = hop})};
        const std::size_t frames = S.frames();
        std::vector<float> out(rows.size() * frames, 0.0f);
        for (std::size_t r = 0; r < rows.size(); ++r)
            for (std::size_t f = 0; f < frames && f < rows[r].size(); ++f) out[r * frames + f] = rows[r][f];
        return Matrix(std::move(out), rows.size(), frames, Layout::BinsByFrames);
    }
    throw Error("features", "unknown feature kind '" + k + "'");
}

Matrix computeFeatureForFile(const FeatureSpec& spec, const std::filesystem::path& file, double* audioSeconds) {
    auto buffer = audio::decode(file, {.sampleRate = decodeRateFor(spec), .mono = true});
    if (buffer.samples.empty()) throw fileError(file, "no audio samples decoded");
    if (audioSeconds) *audioSeconds = buffer.durationSeconds();
    try {
        return computeFeature(spec, buffer.samples);
    } catch (const Error& e) {
        throw fileError(file, e.what());
    }
}

}  // namespace sonolab::extraction
