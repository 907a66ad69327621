// `sonolab-cli bench decode`: decoding throughput (the other areas add stft, features, train, knn through benchGroup()). Figures are "x real time" per thread, the median of several runs.
#include "Commands.h"

#include "core/audio/AudioDecoder.h"
#include "core/util/Error.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <thread>
#include <vector>

#include <sys/resource.h>

namespace sonolab::cli {

namespace {

using Clock = std::chrono::steady_clock;

struct DecodeBenchOptions {
    std::string file;
    int repeat = 5;
    int sampleRate = 22050;
    int threads = 1;
    bool ffmpegBaseline = false;
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

struct Timing {
    double wall = 0;  // seconds for all threads to finish
    double cpu = 0;   // mean CPU seconds one thread spent (what an idle machine's wall time would be)
};

// `threads` simultaneous decodes of the whole file, one per thread.
Timing timeDecodes(const std::string& file, const audio::DecodeOptions& opts, int threads, double* audioSeconds) {
    std::vector<double> cpu(std::size_t(threads), 0.0);
    std::vector<double> audio(std::size_t(threads), 0.0);
    auto work = [&](std::size_t t) {
        const double c0 = threadCpuSeconds();
        audio[t] = audio::decode(file, opts).durationSeconds();
        cpu[t] = threadCpuSeconds() - c0;
    };
    const auto start = Clock::now();
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(work, std::size_t(t));
    work(0);
    for (auto& th : pool) th.join();
    Timing timing;
    timing.wall = std::chrono::duration<double>(Clock::now() - start).count();
    for (double c : cpu) timing.cpu += c / threads;
    *audioSeconds = audio[0];
    return timing;
}

int runDecodeBench(const DecodeBenchOptions& o) {
    const auto info = audio::probe(o.file);
    std::printf("bench decode: %s (%s, %d Hz, %d ch, %.1f s), %d run(s), %d thread(s)\n", o.file.c_str(),
                info.codec.c_str(), info.sampleRate, info.channels, info.durationSeconds, o.repeat, o.threads);

    struct Case {
        std::string name;
        audio::DecodeOptions opts;
    };
    std::vector<Case> cases{
        {"decode -> " + std::to_string(o.sampleRate) + " Hz mono", {.sampleRate = o.sampleRate, .mono = true}},
        {"decode only (native rate and channels, the baseline)", {.sampleRate = 0, .mono = false}},
    };
    // Wall time is what a user waits; CPU time per thread is the same work without the other programs on a busy
    // machine. Both are medians over the runs; "x real time" = seconds of audio per second.
    double first = 0;
    for (std::size_t c = 0; c < cases.size(); ++c) {
        std::vector<double> walls, cpus;
        double audioSeconds = 0;
        timeDecodes(o.file, cases[c].opts, 1, &audioSeconds);  // warm the page cache and FFmpeg's tables
        for (int r = 0; r < o.repeat; ++r) {
            const Timing t = timeDecodes(o.file, cases[c].opts, o.threads, &audioSeconds);
            walls.push_back(t.wall);
            cpus.push_back(t.cpu);
        }
        const double wall = median(walls), cpu = median(cpus);
        if (c == 0) first = cpu;
        std::printf("  %s\n    wall %8.1f ms  %7.0fx real time per thread | cpu %8.1f ms  %7.0fx real time per thread",
                    cases[c].name.c_str(), wall * 1e3, audioSeconds / wall, cpu * 1e3, audioSeconds / cpu);
        if (c > 0) std::printf("  (cpu time ratio vs first case: %.2f)", cpu / first);
        std::printf("\n");
    }
    if (o.ffmpegBaseline) {
        // The ffmpeg CLI doing the same conversion (decode, mixdown, resample, float out) on one thread; its CPU time
        // is the children's user+system time of each run.
        const std::string cmd = "ffmpeg -nostdin -loglevel error -threads 1 -i '" + o.file + "' -ac 1 -ar " +
                                std::to_string(o.sampleRate) + " -f f32le -y /dev/null";
        std::vector<double> walls, cpus;
        for (int r = 0; r < o.repeat; ++r) {
            struct rusage before{}, after{};
            getrusage(RUSAGE_CHILDREN, &before);
            const auto start = Clock::now();
            if (std::system(cmd.c_str()) != 0) throw Error(o.file, "the ffmpeg baseline failed: " + cmd);
            walls.push_back(std::chrono::duration<double>(Clock::now() - start).count());
            getrusage(RUSAGE_CHILDREN, &after);
            auto secs = [](const timeval& tv) { return double(tv.tv_sec) + double(tv.tv_usec) * 1e-6; };
            cpus.push_back(secs(after.ru_utime) - secs(before.ru_utime) + secs(after.ru_stime) - secs(before.ru_stime));
        }
        const double wall = median(walls), cpu = median(cpus);
        std::printf("  ffmpeg CLI, same conversion, 1 thread (baseline)\n    wall %8.1f ms  %7.0fx real time            "
                    "| cpu %8.1f ms  %7.0fx real time  (cpu time ratio ffmpeg / sonolab: %.2f)\n",
                    wall * 1e3, info.durationSeconds / wall, cpu * 1e3, info.durationSeconds / cpu, cpu / first);
    }
    return 0;
}

}  // namespace

void addBenchDecodeCommand(CLI::App& app) {
    auto o = std::make_shared<DecodeBenchOptions>();
    auto* cmd = benchGroup(app)->add_subcommand("decode", "Decoding speed: x real time per thread (median of runs)");
    cmd->add_option("file", o->file, "Audio file to decode")->required();
    cmd->add_option("--repeat", o->repeat, "Timed runs per case (median reported)")->check(CLI::PositiveNumber);
    cmd->add_option("--rate", o->sampleRate, "Output sample rate of the main case")->check(CLI::PositiveNumber);
    cmd->add_option("--threads", o->threads, "Decode this many copies at once (per-thread figures)")->check(CLI::PositiveNumber);
    cmd->add_flag("--ffmpeg-baseline", o->ffmpegBaseline, "Also time the ffmpeg CLI doing the same conversion");
    cmd->callback([o] { runDecodeBench(*o); });
}

}  // namespace sonolab::cli
