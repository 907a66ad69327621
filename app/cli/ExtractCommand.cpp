// `sonolab-cli extract DIR|FILES --cache DIR`: features for a whole collection into the feature cache, on all cores,
// with a progress bar and ETA on stderr. Ctrl-C stops after the files in flight; a rerun resumes.
#include "Commands.h"

#include "core/extraction/Extractor.h"
#include "core/extraction/FeatureKinds.h"
#include "core/util/Error.h"
#include "core/util/Progress.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <thread>

namespace sonolab::cli {
namespace {

volatile std::sig_atomic_t gInterrupted = 0;
extern "C" void onInterrupt(int) { gInterrupted = 1; }

struct ExtractOptions {
    std::vector<std::string> inputs;
    std::string cache;
    extraction::FeatureOptions feature;
    bool noNorm = false;
    int threads = 0;
    bool quiet = false;
};

std::string clock(double seconds) {
    if (!(seconds >= 0) || seconds > 360000) return "--:--";
    const long s = static_cast<long>(seconds + 0.5);
    char buf[32];
    if (s >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
    else std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
    return buf;
}

int runExtract(ExtractOptions& o) {
    o.feature.slaneyNorm = !o.noNorm;
    const auto spec = extraction::specFor(o.feature);
    std::vector<std::filesystem::path> inputs(o.inputs.begin(), o.inputs.end());
    const auto files = extraction::Extractor::collectAudioFiles(inputs);
    const int threads = o.threads > 0 ? o.threads : static_cast<int>(std::thread::hardware_concurrency());
    std::fprintf(stderr, "extract %s: %zu audio file(s), %d thread(s), cache %s\n", spec.kind.c_str(), files.size(),
                 threads, o.cache.c_str());
    extraction::Extractor extractor(features::FeatureCache(o.cache), spec);

    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    const bool tty = ::isatty(STDERR_FILENO);
    Progress progress;
    auto lastDraw = Clock::now() - std::chrono::seconds(1);
    progress.report = [&](double done, double total, const std::string& message) {
        if (o.quiet) return;
        const auto now = Clock::now();
        if (done < total && now - lastDraw < std::chrono::milliseconds(tty ? 100 : 2000)) return;
        lastDraw = now;
        const double elapsed = std::chrono::duration<double>(now - start).count();
        const double eta = done > 0 ? elapsed / done * (total - done) : -1;
        const int width = 30, filled = total > 0 ? static_cast<int>(width * done / total) : width;
        std::string bar(static_cast<std::size_t>(filled), '#');
        bar.resize(width, '.');
        std::fprintf(stderr, "%s[%s] %4.0f/%.0f files  %5.1f%%  elapsed %s  ETA %s  %-40.40s%s", tty ? "\r" : "",
                     bar.c_str(), done, total, total > 0 ? 100.0 * done / total : 100.0, clock(elapsed).c_str(),
                     clock(eta).c_str(), message.c_str(), tty ? "" : "\n");
        std::fflush(stderr);
    };
    // Ctrl-C: the handler only sets a flag; this watcher turns it into a cancel request.
    gInterrupted = 0;
    struct sigaction action {}, previous{};
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, &previous);
    std::atomic<bool> finished{false};
    std::thread watcher([&] {
        while (!finished) {
            if (gInterrupted) {
                progress.cancel.cancel();
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    });
    extraction::ExtractionReport report;
    try {
        report = extractor.run(files, {.threads = threads}, &progress);
    } catch (...) {
        finished = true;
        watcher.join();
        ::sigaction(SIGINT, &previous, nullptr);
        throw;
    }
    finished = true;
    watcher.join();
    ::sigaction(SIGINT, &previous, nullptr);
    if (!o.quiet && tty) std::fprintf(stderr, "\n");

    for (const auto& f : report.failures) std::fprintf(stderr, "skipped %s\n", f.error.c_str());
    std::printf("extract %s: %zu computed, %zu already cached, %zu failed, %zu not reached; %.2f s wall, "
                "%.1f s of audio (%.0fx real time)\n",
                spec.kind.c_str(), report.computed, report.skipped, report.failed,
                report.total - report.computed - report.skipped - report.failed, report.wallSeconds,
                report.audioSeconds, report.wallSeconds > 0 ? report.audioSeconds / report.wallSeconds : 0.0);
    std::printf("cache: %s\n", (extractor.cache().root() / "v1" / spec.hashHex()).string().c_str());
    if (report.cancelled) {
        std::fprintf(stderr, "stopped: %zu file(s) left; run the same command again to resume\n",
                     report.total - report.computed - report.skipped - report.failed);
        throw CommandFailed{130};
    }
    if (report.failed > 0) throw CommandFailed{3};
    return 0;
}

}  // namespace

void addExtractCommand(CLI::App& app) {
    auto o = std::make_shared<ExtractOptions>();
    auto* cmd = app.add_subcommand(
        "extract", "Compute features for folders/files into the feature cache (all cores, resumable, Ctrl-C safe)");
    cmd->add_option("inputs", o->inputs, "Audio files and/or folders (searched recursively)")->required();
    cmd->add_option("--cache", o->cache, "Feature cache folder")->required();
    cmd->add_option("--kind", o->feature.kind, "logmel | mfcc | chroma | spectral | rp | ssd | rh | onsets")
        ->capture_default_str();
    cmd->add_option("--threads,-j", o->threads, "Worker threads (0 = all cores)")->capture_default_str();
    cmd->add_option("--sr", o->feature.sampleRate, "Sample rate to decode at (Hz)")->capture_default_str();
    cmd->add_option("--n-fft", o->feature.nFft, "FFT size (samples)")->capture_default_str();
    cmd->add_option("--hop", o->feature.hop, "Hop between frames (samples)")->capture_default_str();
    cmd->add_option("--n-mels", o->feature.nMels, "Mel bands")->capture_default_str();
    cmd->add_option("--n-mfcc", o->feature.nMfcc, "MFCC coefficients")->capture_default_str();
    cmd->add_option("--fmin", o->feature.fmin, "Lowest mel frequency (Hz)")->capture_default_str();
    cmd->add_option("--fmax", o->feature.fmax, "Highest mel frequency (Hz); 0 = sr/2")->capture_default_str();
    cmd->add_flag("--htk", o->feature.htk, "HTK mel scale instead of Slaney");
    cmd->add_flag("--no-norm", o->noNorm, "Mel triangles of height 1 instead of unit area");
    cmd->add_flag("--quiet,-q", o->quiet, "No progress bar");
    cmd->footer("Entries: <cache>/v1/<spec-hash>/<content-hash>.npy (same layout as `features`), written atomically.\n"
                "Files already cached are skipped, so rerunning after Ctrl-C or a crash resumes. Undecodable files\n"
                "are reported by name and skipped. Exit status: 0 all done, 3 some files failed, 130 stopped.");
    cmd->callback([o] { runExtract(*o); });
}

}  // namespace sonolab::cli
