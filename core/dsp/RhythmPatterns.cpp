#include "core/dsp/RhythmPatterns.h"

#include "core/dsp/RealFft.h"
#include "core/dsp/Window.h"
#include "core/util/Error.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace sonolab::dsp {
namespace {

constexpr std::array<double, 24> kBarkEdges{100,  200,  300,  400,  510,  630,  770,  920,  1080, 1270, 1480,  1720,
                                            2000, 2320, 2700, 3150, 3700, 4400, 5300, 6400, 7700, 9500, 12000, 15500};
constexpr std::array<double, 7> kPhon{3, 20, 40, 60, 80, 100, 101};
constexpr std::array<double, 22> kLoudnFreq{31.62, 50,   70.7, 100,  141.4, 200,  316.2, 500,   707.1, 1000,  1414,
                                            1682,  2000, 2515, 3162, 3976,  5000, 7071,  10000, 11890, 14140, 15500};
// Equal-loudness contours (dB SPL) for 3, 20, 40, 60, 80 and 100 phon at kLoudnFreq.
constexpr double kEqLoudness[6][22] = {
    {55, 40, 32, 24, 19, 14, 10, 6, 4, 3, 2, 2, 0, -2, -5, -4, 0, 5, 10, 14, 25, 35},
    {66, 52, 43, 37, 32, 27, 23, 21, 20, 20, 20, 20, 19, 16, 13, 13, 18, 22, 25, 30, 40, 50},
    {76, 64, 57, 51, 47, 43, 41, 41, 40, 40, 40, 39.5, 38, 35, 33, 33, 35, 41, 46, 50, 60, 70},
    {89, 79, 74, 70, 66, 63, 61, 60, 60, 60, 60, 59, 56, 53, 52, 53, 56, 61, 65, 70, 80, 90},
    {103, 96, 92, 88, 85, 83, 81, 80, 80, 80, 80, 79, 76, 72, 70, 70, 75, 79, 83, 87, 95, 105},
    {118, 110, 107, 105, 103, 102, 101, 100, 100, 100, 100, 99, 97, 94, 90, 90, 95, 100, 103, 105, 108, 115}};

long long floorDiv(long long a, long long b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    const std::size_t n = v.size();
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n / 2), v.end());
    const double hi = v[n / 2];
    if (n % 2) return hi;
    const double lo = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n / 2));
    return (lo + hi) / 2;
}

}  // namespace

struct RhythmPatterns::Impl {
    RealFft fft;
    std::vector<float> window;
    double windowPower = 0;
    std::vector<int> bandOfBin;                    // -1: outside every band
    std::vector<double> spread;                    // bands x bands
    std::vector<std::array<double, 6>> loudnBark;  // per band: dB of each contour
    std::vector<double> fluct;                     // per modulation bin
    std::vector<double> cosTable, sinTable;        // modulation DFT, (modAmplLimit, fft2)
    int fft2 = 0;
    explicit Impl(int n) : fft(n) {}
};

RhythmPatterns::RhythmPatterns(RhythmPatternParams p) : params_(p) {
    switch (p.sampleRate) {
        case 11025: segmentSize_ = 1 << 16, fftSize_ = 256; break;
        case 22050: segmentSize_ = 1 << 17, fftSize_ = 512; break;
        case 44100: segmentSize_ = 1 << 18, fftSize_ = 1024; break;
        default:
            throw Error("rhythm patterns", "sample rate " + std::to_string(p.sampleRate) +
                                               " is not supported (11025, 22050 or 44100 Hz)");
    }
    if (p.barkBands < 2 || p.barkBands > 24) throw Error("rhythm patterns", "barkBands must be in 2..24");
    if (p.stepWidth < 1 || p.skipLeadinFadeout < 0) throw Error("rhythm patterns", "invalid segment stepping");
    impl_ = std::make_unique<Impl>(fftSize_);
    auto& I = *impl_;
    I.window = makeWindow(WindowType::Hann, fftSize_, false);
    for (float w : I.window) I.windowPower += double(w) * w;
    const int nFreq = fftSize_ / 2 + 1;
    I.bandOfBin.assign(nFreq, -1);
    for (int k = 0; k < nFreq; ++k) {
        const double f = double(p.sampleRate) / 2.0 * k / (nFreq - 1);  // numpy.linspace(0, sr/2, nFreq)
        for (int b = 0; b < p.barkBands; ++b) {
            const double lo = b == 0 ? 0.0 : kBarkEdges[b - 1];
            if (f >= lo && f < kBarkEdges[b]) {
                I.bandOfBin[k] = b;
                break;
            }
        }
    }
    const int B = p.barkBands;
    I.spread.resize(static_cast<std::size_t>(B) * B);
    for (int i = 0; i < B; ++i)
        for (int j = 0; j < B; ++j) {
            const double d = (i - j) + 0.474;
            I.spread[i * B + j] = std::pow(10.0, (15.81 + 7.5 * d - 17.5 * std::sqrt(1 + d * d)) / 10.0);
        }
    // Loudness contours interpolated (inverse-distance weights) at each Bark band's upper edge, as rp_extract does.
    I.loudnBark.resize(B);
    std::size_t j = 0;
    for (int b = 0; b < B; ++b) {
        const double f = kBarkEdges[b];
        while (j < kLoudnFreq.size() && f > kLoudnFreq[j]) ++j;
        const std::size_t jj = j == 0 ? 0 : j - 1;
        auto exact = std::find(kLoudnFreq.begin(), kLoudnFreq.end(), f);
        for (int c = 0; c < 6; ++c) {
            if (exact != kLoudnFreq.end()) {
                I.loudnBark[b][c] = kEqLoudness[c][exact - kLoudnFreq.begin()];
            } else {
                const double w1 = 1.0 / std::abs(kLoudnFreq[jj] - f), w2 = 1.0 / std::abs(kLoudnFreq[jj + 1] - f);
                I.loudnBark[b][c] = (kEqLoudness[c][jj] * w1 + kEqLoudness[c][jj + 1] * w2) / (w1 + w2);
            }
        }
        j = jj;  // rp_extract steps back one before the next band
    }
    const int frames = (segmentSize_ - fftSize_) / (fftSize_ / 2) + 1;
    I.fft2 = 2;
    while (I.fft2 < frames) I.fft2 *= 2;
    if (p.modAmplLimit < 1 || p.modAmplLimit >= I.fft2) throw Error("rhythm patterns", "modAmplLimit out of range");
    const double res = double(p.sampleRate) / segmentSize_;
    for (int m = 1; m <= p.modAmplLimit; ++m) {
        const double f = res * m;
        I.fluct.push_back(1.0 / (f / 4.0 + 4.0 / f));
        for (int n = 0; n < I.fft2; ++n) {
            const double a = 2.0 * std::numbers::pi * double(m) * n / I.fft2;
            I.cosTable.push_back(std::cos(a));
            I.sinTable.push_back(std::sin(a));
        }
    }
}

RhythmPatterns::~RhythmPatterns() = default;
RhythmPatterns::RhythmPatterns(RhythmPatterns&&) noexcept = default;
RhythmPatterns& RhythmPatterns::operator=(RhythmPatterns&&) noexcept = default;

double RhythmPatterns::modulationHz(int m) const { return double(m + 1) * params_.sampleRate / segmentSize_; }

std::vector<double> RhythmPatterns::sonogram(std::span<const float> seg, int* framesOut) {
    auto& I = *impl_;
    const int B = params_.barkBands, N = fftSize_, hop = N / 2;
    const int frames = static_cast<int>((static_cast<long long>(seg.size()) - N) / hop + 1);
    if (frames < 1) throw Error("rhythm patterns", "segment shorter than one FFT frame");
    std::vector<double> bark(static_cast<std::size_t>(B) * frames, 0.0);
    auto in = I.fft.input();
    const double scale = 1.0 / (I.windowPower * 2.0 * std::numbers::pi);
    for (int t = 0; t < frames; ++t) {
        for (int n = 0; n < N; ++n) in[n] = seg[static_cast<std::size_t>(t) * hop + n] * I.window[n];
        I.fft.execute();
        auto X = I.fft.output();
        for (int k = 0; k <= N / 2; ++k) {
            const int b = I.bandOfBin[k];
            if (b < 0) continue;
            const double re = X[k].real(), im = X[k].imag();
            // rp_extract doubles P[1:-2] of the full spectrum: every kept bin but DC.
            bark[static_cast<std::size_t>(b) * frames + t] += (re * re + im * im) * (k == 0 ? 1.0 : 2.0) * scale;
        }
    }
    std::vector<double> m = bark;
    if (params_.spectralMasking) {
        for (int i = 0; i < B; ++i)
            for (int t = 0; t < frames; ++t) {
                double acc = 0;
                for (int j = 0; j < B; ++j) acc += I.spread[i * B + j] * bark[static_cast<std::size_t>(j) * frames + t];
                m[static_cast<std::size_t>(i) * frames + t] = acc;
            }
    }
    if (params_.transformDb)
        for (double& v : m) v = 10.0 * std::log10(std::max(v, 1.0));
    if (params_.transformDb && params_.transformPhon) {
        for (int b = 0; b < B; ++b) {
            const auto& c = I.loudnBark[b];
            for (int t = 0; t < frames; ++t) {
                double& v = m[static_cast<std::size_t>(b) * frames + t];
                int level = 0;  // number of contours (3..80 phon) the value lies above
                for (int l = 0; l < 5; ++l)
                    if (v > c[l]) level = l + 1;
                if (level == 0) {
                    v = kPhon[0];
                } else {
                    const double lo = c[level - 1], hi = c[level];
                    const double ifac = (v - lo) / (hi - lo);
                    v = kPhon[level - 1] + ifac * (kPhon[level] - kPhon[level - 1]);
                }
            }
        }
        if (params_.transformSone)
            for (double& v : m) v = v >= 40 ? std::pow(2.0, (v - 40) / 10.0) : std::pow(v / 40.0, 2.642);
    }
    if (framesOut) *framesOut = frames;
    return m;
}

RhythmFeatures RhythmPatterns::compute(std::span<const float> signal) {
    const auto& p = params_;
    std::vector<float> padded;
    if (signal.size() < static_cast<std::size_t>(segmentSize_)) {
        if (!p.padShort)
            throw Error("rhythm patterns", "audio too short: needs at least " + std::to_string(segmentSize_) +
                                               " samples (" + std::to_string(double(segmentSize_) / p.sampleRate) +
                                               " s), got " + std::to_string(signal.size()));
        padded.assign(signal.begin(), signal.end());
        padded.resize(static_cast<std::size_t>(segmentSize_), 0.0f);
        signal = padded;
    }
    double peak = 0;
    for (float v : signal) peak = std::max(peak, double(std::abs(v)));
    const double gain = 0.0875 * 32768.0 * (p.peakNormalise && peak > 0 ? 1.0 / peak : 1.0);

    const long long n = static_cast<long long>(signal.size()), seg = segmentSize_;
    long long skip = p.skipLeadinFadeout, step = p.stepWidth, first = 0;
    if (skip > 0 || step > 1) {
        if (double(n) / p.sampleRate < 45.0) step = 1, skip = 0;
        else first = seg * skip;
    }
    const long long segments = floorDiv(floorDiv(n - skip * 2 * seg, seg) - 1, step) + 1;
    if (segments < 1) throw Error("rhythm patterns", "not enough audio for one segment after skipping lead-in/out");

    auto& I = *impl_;
    const int B = p.barkBands, M = p.modAmplLimit;
    std::vector<std::vector<double>> rpAll(static_cast<std::size_t>(B) * M), rhAll(static_cast<std::size_t>(M));
    std::vector<double> ssdSum(static_cast<std::size_t>(B) * 7, 0.0);
    std::vector<float> scaled(static_cast<std::size_t>(seg));
    for (long long s = 0; s < segments; ++s) {
        const long long start = first + s * seg * step;
        for (long long i = 0; i < seg; ++i) scaled[i] = static_cast<float>(signal[start + i] * gain);
        int frames = 0;
        const auto son = sonogram(scaled, &frames);
        // SSD
        std::vector<double> row(static_cast<std::size_t>(frames));
        for (int b = 0; b < B; ++b) {
            const double* x = son.data() + static_cast<std::size_t>(b) * frames;
            double mean = 0;
            for (int t = 0; t < frames; ++t) mean += x[t];
            mean /= frames;
            double m2 = 0, m3 = 0, m4 = 0, mn = x[0], mx = x[0];
            for (int t = 0; t < frames; ++t) {
                const double d = x[t] - mean;
                m2 += d * d, m3 += d * d * d, m4 += d * d * d * d;
                mn = std::min(mn, x[t]), mx = std::max(mx, x[t]);
            }
            m2 /= frames, m3 /= frames, m4 /= frames;
            double skew = m2 > 0 ? m3 / std::pow(m2, 1.5) : 0.0;
            double kurt = m2 > 0 ? m4 / (m2 * m2) : 0.0;
            if (!std::isfinite(skew)) skew = 0;
            if (!std::isfinite(kurt)) kurt = 0;
            row.assign(x, x + frames);
            const double stats[7] = {mean, m2, skew, kurt, median(row), mn, mx};
            for (int k = 0; k < 7; ++k) ssdSum[static_cast<std::size_t>(k) * B + b] += stats[k];
        }
        // Modulation spectrum: the DFT (zero-padded to fft2) at bins 1..M, in double.
        std::vector<double> rhSeg(static_cast<std::size_t>(M), 0.0);
        for (int b = 0; b < B; ++b) {
            const double* x = son.data() + static_cast<std::size_t>(b) * frames;
            for (int m = 0; m < M; ++m) {
                const double* c = I.cosTable.data() + static_cast<std::size_t>(m) * I.fft2;
                const double* sn = I.sinTable.data() + static_cast<std::size_t>(m) * I.fft2;
                double re = 0, im = 0;
                for (int t = 0; t < frames; ++t) re += x[t] * c[t], im -= x[t] * sn[t];
                const double mag = std::hypot(re, im) / 256.0;
                rhSeg[m] += mag;
                rpAll[static_cast<std::size_t>(m) * B + b].push_back(p.fluctuationWeighting ? mag * I.fluct[m] : mag);
            }
        }
        for (int m = 0; m < M; ++m) rhAll[m].push_back(rhSeg[m]);
    }
    RhythmFeatures out;
    out.segments = static_cast<int>(segments);
    for (auto& v : rpAll) out.rp.push_back(static_cast<float>(median(v)));
    for (auto& v : rhAll) out.rh.push_back(static_cast<float>(median(v)));
    for (double v : ssdSum) out.ssd.push_back(static_cast<float>(v / double(segments)));
    return out;
}

}  // namespace sonolab::dsp
