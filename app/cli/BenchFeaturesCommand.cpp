// `sonolab-cli bench stft` and `bench features`: feature throughput on one thread from decoded samples, in
// "x real time" (seconds of audio per second of compute), median of several runs. The first line of each table is
// the baseline the others are compared with (time ratio), all measured in the same process.
#include "Commands.h"

#include "core/audio/AudioDecoder.h"
#include "core/dsp/Decibels.h"
#include "core/dsp/LogMel.h"
#include "core/dsp/MelFilterbank.h"
#include "core/dsp/Mfcc.h"
#include "core/dsp/RhythmPatterns.h"
#include "core/dsp/Stft.h"
#include "core/onsets/OnsetFeatures.h"
#include "core/util/Error.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <numbers>
#include <random>

namespace sonolab::cli {
namespace {

using Clock = std::chrono::steady_clock;

struct BenchOptions {
    std::string file;
    double seconds = 60;
    int repeat = 7;
    dsp::LogMelParams logMel;  // sample rate, FFT size, hop and mel bands of every table
    bool all = false;
};

std::vector<float> benchSignal(const BenchOptions& o, int sampleRate) {
    if (!o.file.empty()) return audio::decode(o.file, {.sampleRate = sampleRate, .mono = true}).samples;
    // Tones plus noise: the numbers of an FFT do not depend on the content, but this is not silence.
    std::mt19937 rng(1);
    std::normal_distribution<float> g(0, 0.05f);
    std::vector<float> x(static_cast<std::size_t>(o.seconds * sampleRate));
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = 0.3f * float(std::sin(2 * std::numbers::pi * 440.0 * double(i) / sampleRate)) + g(rng);
    return x;
}

struct Timing {
    double wall = 0, cpu = 0;  // medians, seconds
};

// Wall time and this thread's CPU time: on a shared, busy machine CPU time is the steadier figure.
Timing medianSeconds(int repeat, const std::function<void()>& work) {
    work();  // warm-up: plans, page faults, caches
    std::vector<double> wall, cpu;
    for (int r = 0; r < repeat; ++r) {
        const auto start = Clock::now();
        const double c0 = threadCpuSeconds();
        work();
        cpu.push_back(threadCpuSeconds() - c0);
        wall.push_back(std::chrono::duration<double>(Clock::now() - start).count());
    }
    std::sort(wall.begin(), wall.end());
    std::sort(cpu.begin(), cpu.end());
    return {wall[wall.size() / 2], cpu[cpu.size() / 2]};
}

struct Row {
    std::string name;
    Timing t;
    double audioSeconds;
    std::string key;
};

void printRows(const std::vector<Row>& rows) {
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& r = rows[i];
        std::printf("  %-58s wall %8.2f ms %8.0fx | cpu %8.2f ms %8.0fx real time", r.name.c_str(), r.t.wall * 1e3,
                    r.audioSeconds / r.t.wall, r.t.cpu * 1e3, r.audioSeconds / r.t.cpu);
        if (i > 0) std::printf("  (cpu time ratio vs first line: %.2f)", r.t.cpu / rows[0].t.cpu);
        std::printf("\n");
    }
    for (const auto& r : rows)
        if (!r.key.empty())
            std::printf("%s_xrt=%.1f\n%s_cpu_xrt=%.1f\n", r.key.c_str(), r.audioSeconds / r.t.wall, r.key.c_str(),
                        r.audioSeconds / r.t.cpu);
}

int runBenchStft(const BenchOptions& o) {
    const auto& mel = o.logMel.mel;
    const auto x = benchSignal(o, mel.sampleRate);
    const double audio = double(x.size()) / mel.sampleRate;
    std::printf("bench stft: %.1f s of audio at %d Hz, n_fft %d, hop %d, 1 thread, %d runs\n", audio, mel.sampleRate,
                mel.nFft, o.logMel.hop, o.repeat);
    dsp::Stft stft({.nFft = mel.nFft, .hop = o.logMel.hop});
    std::vector<Row> rows;
    rows.push_back({"STFT power (frames x bins matrix)", medianSeconds(o.repeat, [&] { (void)stft.power(x); }), audio,
                    "stft_power"});
    rows.push_back({"STFT magnitude", medianSeconds(o.repeat, [&] { (void)stft.magnitude(x); }), audio, "stft_mag"});
    std::vector<float> frame(static_cast<std::size_t>(stft.bins()));
    rows.push_back({"STFT power, frame by frame into one buffer (no matrix)",
                    medianSeconds(o.repeat,
                                  [&] {
                                      for (std::size_t f = 0; f < stft.frameCount(x.size()); ++f)
                                          stft.frame(x, f, frame, false);
                                  }),
                    audio, "stft_frames"});
    printRows(rows);
    return 0;
}

int runBenchFeatures(const BenchOptions& o) {
    const auto& params = o.logMel.mel;
    const auto x = benchSignal(o, params.sampleRate);
    const double audio = double(x.size()) / params.sampleRate;
    std::printf("bench features: %.1f s of %s at %d Hz, n_fft %d, hop %d, %d mels, 1 thread, median of %d runs\n",
                audio, o.file.empty() ? "synthetic audio" : o.file.c_str(), params.sampleRate, params.nFft,
                o.logMel.hop, params.nMels, o.repeat);
    std::vector<Row> rows;
    dsp::Stft stft({.nFft = params.nFft, .hop = o.logMel.hop});
    dsp::MelFilterbank mel(params);
    // Baseline: the straightforward chain (whole power matrix, then mel, then dB).
    rows.push_back({"log-mel, unfused chain (Stft::power -> mel -> dB), baseline", medianSeconds(o.repeat, [&] {
                        auto m = mel.apply(stft.power(x));
                        dsp::powerToDb(m.mutableValues());
                    }),
                    audio, "logmel_unfused"});
    dsp::LogMel logmel(o.logMel);
    rows.push_back({"log-mel, fused one pass per frame (what extract uses)",
                    medianSeconds(o.repeat, [&] { (void)logmel.compute(x); }), audio, "logmel"});
    dsp::Mfcc mfcc({.nMfcc = 20, .logMel = o.logMel});
    rows.push_back({"MFCC 20 (log-mel + DCT)", medianSeconds(o.repeat, [&] { (void)mfcc.compute(x); }), audio, "mfcc"});
    if (o.all) {
        const auto x44 = benchSignal(o, 44100);
        const double audio44 = double(x44.size()) / 44100;
        rows.push_back({"onset strength (44.1 kHz, 100 fps, 2048 frames)",
                        medianSeconds(o.repeat, [&] { (void)onsets::spectralFlux(x44); }), audio44, "onsets"});
        dsp::RhythmPatterns rp;
        rows.push_back({"rhythm patterns + SSD + RH (44.1 kHz)",
                        medianSeconds(std::max(1, o.repeat / 2), [&] { (void)rp.compute(x44); }), audio44, "rp"});
    }
    printRows(rows);
    return 0;
}

void addCommonOptions(CLI::App* cmd, BenchOptions& o) {
    cmd->add_option("file", o.file, "Audio file to decode first (default: synthetic audio)");
    cmd->add_option("--seconds", o.seconds, "Length of the synthetic audio")->capture_default_str();
    cmd->add_option("--repeat", o.repeat, "Timed runs (median reported)")->check(CLI::PositiveNumber)->capture_default_str();
    cmd->add_option("--sr", o.logMel.mel.sampleRate, "Sample rate")->capture_default_str();
    cmd->add_option("--n-fft", o.logMel.mel.nFft, "FFT size")->capture_default_str();
    cmd->add_option("--hop", o.logMel.hop, "Hop")->capture_default_str();
    cmd->add_option("--n-mels", o.logMel.mel.nMels, "Mel bands")->capture_default_str();
}

}  // namespace

void addBenchFeaturesCommands(CLI::App& app) {
    auto o = std::make_shared<BenchOptions>();
    auto* stft = benchGroup(app)->add_subcommand("stft", "STFT speed: x real time on one thread");
    addCommonOptions(stft, *o);
    stft->callback([o] { runBenchStft(*o); });
    auto f = std::make_shared<BenchOptions>();
    auto* features = benchGroup(app)->add_subcommand(
        "features", "Log-mel / MFCC speed from decoded samples: x real time on one thread (median of runs)");
    addCommonOptions(features, *f);
    features->add_flag("--all", f->all, "Also onset strength and rhythm patterns (44.1 kHz)");
    features->callback([f] { runBenchFeatures(*f); });
}

}  // namespace sonolab::cli
