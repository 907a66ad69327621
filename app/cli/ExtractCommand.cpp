// `sonolab-cli extract DIR|FILES --cache DIR` and `extract --db LIB`: features into the feature cache, on all cores,
// with a progress bar and ETA on stderr. Ctrl-C stops after the files in flight; a rerun resumes.
// --db computes what the library's training and similarity spaces will ask for (pipeline/LibraryFeatureSpecs.h) into
// the cache they read (LIB.features unless --cache). --shard K/N computes only the files whose content hash falls in
// slice K of N, so N processes at once (a Slurm job array, xargs -P, machines sharing a folder) fill one cache with
// each file computed once; entries are written atomically, so a reader never sees a torn one.
#include "Commands.h"

#include "core/extraction/Extractor.h"
#include "core/extraction/FeatureKinds.h"
#include "core/features/FeatureCache.h"
#include "core/library/LibraryDatabase.h"
#include "core/library/TrackProbe.h"
#include "core/pipeline/LibraryFeatureSpecs.h"
#include "core/util/Error.h"
#include "core/util/Progress.h"

#include <nlohmann/json.hpp>

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
    std::string db;
    std::string cache;
    std::string shard = "1/1";
    std::vector<std::string> wanted;  // --for (with --db)
    extraction::FeatureOptions feature;
    bool noNorm = false;
    int threads = 0;
    bool quiet = false, json = false;
};

// One spec to fill, and who asks for it.
struct ExtractionJob {
    features::FeatureSpec spec;
    std::vector<std::string> usedBy;
};

std::string clock(double seconds) {
    if (!(seconds >= 0) || seconds > 360000) return "--:--";
    const long s = static_cast<long>(seconds + 0.5);
    char buf[32];
    if (s >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
    else std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
    return buf;
}

// Draws a progress bar on stderr: every 100 ms on a terminal, every 2 s in a log.
Progress progressBar(const ExtractOptions& o, const std::string& what) {
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    const bool tty = ::isatty(STDERR_FILENO);
    auto lastDraw = std::make_shared<Clock::time_point>(start - std::chrono::seconds(1));
    Progress progress;
    if (o.quiet) return progress;
    progress.report = [=](double done, double total, const std::string& message) {
        const auto now = Clock::now();
        if (done < total && now - *lastDraw < std::chrono::milliseconds(tty ? 100 : 2000)) return;
        *lastDraw = now;
        const double elapsed = std::chrono::duration<double>(now - start).count();
        const double eta = done > 0 ? elapsed / done * (total - done) : -1;
        const int width = 30, filled = total > 0 ? static_cast<int>(width * done / total) : width;
        std::string bar(static_cast<std::size_t>(filled), '#');
        bar.resize(width, '.');
        std::fprintf(stderr, "%s%s [%s] %4.0f/%.0f files  %5.1f%%  elapsed %s  ETA %s  %-40.40s%s", tty ? "\r" : "",
                     what.c_str(), bar.c_str(), done, total, total > 0 ? 100.0 * done / total : 100.0,
                     clock(elapsed).c_str(), clock(eta).c_str(), message.c_str(), tty ? "" : "\n");
        std::fflush(stderr);
    };
    return progress;
}

// Runs one spec over the items with Ctrl-C turned into a cancel request (the handler only sets a flag).
extraction::ExtractionReport runWithInterrupt(const extraction::Extractor& extractor,
                                              const std::vector<extraction::ExtractionItem>& items,
                                              const extraction::ExtractionOptions& options, Progress& progress) {
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
    struct Restore {
        std::atomic<bool>& finished;
        std::thread& watcher;
        struct sigaction previous;
        ~Restore() {
            finished = true;
            watcher.join();
            ::sigaction(SIGINT, &previous, nullptr);
        }
    } restore{finished, watcher, previous};
    return extractor.run(items, options, &progress);
}

std::size_t notReached(const extraction::ExtractionReport& r) {
    return r.total - r.computed - r.skipped - r.failed - r.otherShards;
}

nlohmann::json reportJson(const ExtractionJob& job, const extraction::ExtractionReport& r) {
    nlohmann::json computed = nlohmann::json::array(), failures = nlohmann::json::array();
    for (const auto& f : r.computedFiles) computed.push_back(f.string());
    for (const auto& f : r.failures) failures.push_back({{"file", f.file.string()}, {"error", f.error}});
    return {{"spec", job.spec.canonical()}, {"spec_hash", job.spec.hashHex()}, {"used_by", job.usedBy},
            {"computed", r.computed},       {"cached", r.skipped},              {"other_shards", r.otherShards},
            {"failed", r.failed},           {"not_reached", notReached(r)},     {"wall_seconds", r.wallSeconds},
            {"audio_seconds", r.audioSeconds}, {"computed_files", computed},    {"failures", failures}};
}

void printReport(const ExtractionJob& job, const extraction::ExtractionReport& r, const features::FeatureCache& cache,
                 const extraction::Shard& shard) {
    for (const auto& f : r.failures) std::fprintf(stderr, "skipped %s\n", f.error.c_str());
    std::string slice;
    if (!shard.whole()) slice = "; shard " + shard.toString() + ": " + std::to_string(r.otherShards) + " left to the others";
    std::printf("extract %s: %zu computed, %zu already cached, %zu failed, %zu not reached%s; %.2f s wall, "
                "%.1f s of audio (%.0fx real time)\n",
                job.spec.kind.c_str(), r.computed, r.skipped, r.failed, notReached(r), slice.c_str(), r.wallSeconds,
                r.audioSeconds, r.wallSeconds > 0 ? r.audioSeconds / r.wallSeconds : 0.0);
    if (job.usedBy.size() > 1 || !job.usedBy.front().empty()) {
        std::string uses;
        for (const auto& u : job.usedBy) uses += (uses.empty() ? "" : ", ") + u;
        std::printf("  for %s\n", uses.c_str());
    }
    std::printf("cache: %s\n", (cache.root() / "v1" / job.spec.hashHex()).string().c_str());
}

// The library's tracks keyed by its content hashes: a track whose features are cached is not even opened.
std::vector<extraction::ExtractionItem> libraryItems(const library::LibraryDatabase& db) {
    std::vector<extraction::ExtractionItem> items;
    for (const auto& t : db.tracks()) {
        std::optional<std::uint64_t> hash;
        try {
            hash = library::currentContentHash(t);
        } catch (const Error&) {
            // unreadable and never hashed: extraction names it
        }
        items.push_back({t.path, hash});
    }
    return items;
}

int runExtract(ExtractOptions& o) {
    const auto shard = extraction::Shard::parse(o.shard);
    std::vector<ExtractionJob> jobs;
    std::vector<extraction::ExtractionItem> items;
    std::filesystem::path cacheDir = o.cache;
    if (!o.db.empty()) {
        const library::LibraryDatabase db(o.db);
        for (auto& need : pipeline::libraryFeatureNeeds(db, o.wanted)) jobs.push_back({need.spec, need.usedBy});
        items = libraryItems(db);
        if (cacheDir.empty()) cacheDir = features::defaultCacheFor(o.db);
    } else {
        if (cacheDir.empty()) throw Error("extract", "folders and files need --cache DIR (or use --db LIB)");
        o.feature.slaneyNorm = !o.noNorm;
        jobs.push_back({extraction::specFor(o.feature), {""}});
        std::vector<std::filesystem::path> inputs(o.inputs.begin(), o.inputs.end());
        for (auto& f : extraction::Extractor::collectAudioFiles(inputs)) items.push_back({f, std::nullopt});
    }
    const int threads = o.threads > 0 ? o.threads : static_cast<int>(std::thread::hardware_concurrency());
    const features::FeatureCache cache(cacheDir);
    std::fprintf(stderr, "extract: %zu audio file(s), %zu feature spec(s), %d thread(s), shard %s, cache %s\n",
                 items.size(), jobs.size(), threads, shard.toString().c_str(), cacheDir.string().c_str());
    nlohmann::json out = {{"shard", shard.toString()}, {"cache", cacheDir.string()}, {"specs", nlohmann::json::array()}};
    bool failed = false;
    for (const auto& job : jobs) {
        const extraction::Extractor extractor(cache, job.spec);
        Progress progress = progressBar(o, job.spec.kind);
        const auto report = runWithInterrupt(extractor, items, {.threads = threads, .shard = shard}, progress);
        if (!o.quiet && ::isatty(STDERR_FILENO)) std::fprintf(stderr, "\n");
        if (o.json) out["specs"].push_back(reportJson(job, report));
        else printReport(job, report, cache, shard);
        failed = failed || report.failed > 0;
        if (report.cancelled) {
            std::fprintf(stderr, "stopped: %zu file(s) left; run the same command again to resume\n", notReached(report));
            throw CommandFailed{130};
        }
    }
    if (o.json) std::printf("%s\n", out.dump(2).c_str());
    if (failed) throw CommandFailed{3};
    return 0;
}

}  // namespace

void addExtractCommand(CLI::App& app) {
    auto o = std::make_shared<ExtractOptions>();
    auto* cmd = app.add_subcommand(
        "extract", "Compute features for folders/files into the feature cache (all cores, resumable, Ctrl-C safe)");
    auto* inputs = cmd->add_option("inputs", o->inputs, "Audio files and/or folders (searched recursively)");
    auto* db = cmd->add_option("--db", o->db, "A library: compute what its training and similarity spaces will read")
                   ->check(CLI::ExistingFile)
                   ->excludes(inputs);
    inputs->excludes(db);
    cmd->add_option("--cache", o->cache, "Feature cache folder (required for folders; default with --db: LIB.features)");
    cmd->add_option("--shard", o->shard, "Compute only slice K of N (by content hash), e.g. 2/4; default 1/1")
        ->capture_default_str();
    cmd->add_option("--for", o->wanted,
                    "With --db: train, train:ARCH, spaces, space:NAME, runs (comma-separated; default all of them)")
        ->delimiter(',')
        ->needs(db);
    cmd->add_flag("--json", o->json, "Print a JSON report per spec (with the files this run computed)");
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
                "are reported by name and skipped. --shard K/N: run N of these at once (any machines sharing the\n"
                "cache folder), K = 1..N; each file is computed by exactly one of them. With --db the feature options\n"
                "(--kind, --sr ...) do not apply: the library's uses decide.\n"
                "Exit status: 0 all done, 3 some files failed, 130 stopped.");
    cmd->callback([o, cmd, db] {
        if (o->db.empty() && o->inputs.empty()) throw Error("extract", "give audio files/folders or --db LIB");
        for (const char* name : {"--kind", "--sr", "--n-fft", "--hop", "--n-mels", "--n-mfcc", "--fmin", "--fmax", "--htk",
                                 "--no-norm"})
            if (db->count() && cmd->count(name))
                throw Error("extract --db", std::string(name) + " does not apply: the library's uses choose the features");
        runExtract(*o);
    });
}

}  // namespace sonolab::cli
