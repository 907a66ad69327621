// Google Benchmark for decoding: a 60 s stereo mp3 (generated with the ffmpeg CLI on first run) decoded to
// 22,050 Hz mono (what feature extraction asks for) against decoding at its native rate and layout (the baseline);
// the "x_realtime" counter is seconds of audio per second of one thread. SONOLAB_BENCH_FILE=path uses another file.
// sonolab-cli bench decode FILE gives the same figure for any file.
#include "core/audio/AudioDecoder.h"
#include "core/audio/PeakSummary.h"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace {

std::filesystem::path benchFile() {
    if (const char* env = std::getenv("SONOLAB_BENCH_FILE")) return env;
    static const std::filesystem::path file = [] {
        auto p = std::filesystem::temp_directory_path() / "sonolab-bench-decode-60s.mp3";
        if (!std::filesystem::exists(p)) {
            const std::string cmd =
                "ffmpeg -nostdin -loglevel error -y -f lavfi -i "
                "'aevalsrc=0.25*sin(2*PI*(220+0.5*t)*t)|0.25*sin(2*PI*(330+0.3*t)*t):s=44100:d=60' "
                "-c:a libmp3lame -b:a 192k '" + p.string() + "'";
            if (std::system(cmd.c_str()) != 0) return std::filesystem::path();
        }
        return p;
    }();
    return file;
}

void run(benchmark::State& state, const sonolab::audio::DecodeOptions& opts) {
    const auto file = benchFile();
    if (file.empty()) {
        state.SkipWithError("no input: ffmpeg with libmp3lame is needed to generate it");
        return;
    }
    double seconds = 0;
    for (auto _ : state) {
        auto b = sonolab::audio::decode(file, opts);
        seconds += b.durationSeconds();
        benchmark::DoNotOptimize(b.samples.data());
    }
    state.counters["x_realtime"] = benchmark::Counter(seconds, benchmark::Counter::kIsRate);
}

void BM_DecodeTo22050Mono(benchmark::State& state) { run(state, {.sampleRate = 22050, .mono = true}); }
void BM_DecodeNative_Baseline(benchmark::State& state) { run(state, {.sampleRate = 0, .mono = false}); }

void BM_PeakSummaryAppend(benchmark::State& state) {
    // Summarising 60 s of 44.1 kHz mono after decoding: the waveform view's share of opening a file.
    std::vector<float> samples(44100 * 60);
    for (std::size_t i = 0; i < samples.size(); ++i) samples[i] = float((i * 2654435761u) % 65536) / 32768.0f - 1.0f;
    for (auto _ : state) {
        sonolab::audio::PeakSummary p(1, 44100);
        for (std::size_t at = 0; at < samples.size(); at += 32768)
            p.append(std::span(samples).subspan(at, std::min<std::size_t>(32768, samples.size() - at)));
        benchmark::DoNotOptimize(p.frames());
    }
    state.counters["x_realtime"] = benchmark::Counter(60.0 * double(state.iterations()), benchmark::Counter::kIsRate);
}

BENCHMARK(BM_DecodeTo22050Mono)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DecodeNative_Baseline)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_PeakSummaryAppend)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
