#include "ui/player/AudioDocument.h"

#include "core/util/Error.h"

#include <QMetaObject>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <thread>

namespace sonolab::ui {

namespace {
std::int64_t nowMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}
constexpr double kMinSecondsPerSegment = 20.0;
constexpr std::int64_t kGrowthMs = 100;
}  // namespace

// Tells the GUI that more samples arrived, at most every kGrowthMs (forced when a segment completes). Each report
// repaints both views and re-renders the partial spectrogram tiles; at 40 ms that took a third of the CPU of
// opening a long track on 2 cores. 100 ms still reads as a live, filling view.
struct AudioDocument::Growth {
    const JobContext& context;
    AudioDocument* document;
    std::atomic<std::int64_t> lastPostMs{0};

    void post(bool force) {
        std::int64_t now = nowMs();
        std::int64_t last = lastPostMs.load(std::memory_order_relaxed);
        if (!force && now - last < kGrowthMs) return;
        if (!lastPostMs.compare_exchange_strong(last, now)) return;
        context.post([d = document] { emit d->dataGrew(); });
    }
};

AudioDocument::AudioDocument(QObject* parent) : QObject(parent) {
    // A load that ran to the end reports through open()'s onResult; these ends never produced one.
    connect(&job_, &BackgroundJob::finished, this, [this](JobEnd end, const QString& message) {
        loading_ = false;
        if (end != JobEnd::Failed) return;
        error_ = message;
        emit failed(message);
    });
}

AudioDocument::~AudioDocument() = default;  // job_ cancels the load and waits for it

void AudioDocument::cancel() { job_.cancel(); }

void AudioDocument::open(const QString& path, int segments) {
    path_ = path;
    error_.clear();
    store_.reset();
    peaks_.clear();
    info_ = {};
    loading_ = true;
    if (segments <= 0) segments = std::clamp(QThread::idealThreadCount(), 1, 4);
    // std::filesystem::path from UTF-8 so non-ASCII names open.
    const std::string utf8 = path.toStdString();
    const std::filesystem::path file(std::u8string(utf8.begin(), utf8.end()));
    job_.start(
        [this, file, segments](const JobContext& c) {
            // Decoding may take both cores for a second; the window must still paint and answer at once. Nice 4
            // gives the GUI thread ~2.5x a decoder's share of a contended core; an idle window leaves it all to them.
            BackgroundJob::runBelowWindow(4);
            return load(c, file, segments);
        },
        [this](const QString& message) {
            loading_ = false;
            if (!message.isEmpty()) {
                error_ = message;
                emit failed(message);
            }
            emit dataGrew();
            emit finished();
        });
}

double AudioDocument::durationSeconds() const {
    if (!store_) return 0;
    return double(store_->frames()) / store_->sampleRate();
}

double AudioDocument::loadedFraction() const {
    if (!store_) return 0;
    if (store_->finished()) return 1;
    auto total = store_->frames();
    return total > 0 ? std::min(1.0, double(store_->decodedFrames()) / double(total)) : 0.0;
}

QString AudioDocument::load(const JobContext& context, const std::filesystem::path& file, int segments) {
    audio::AudioInfo info = audio::probe(file);
    if (info.sampleRate <= 0) throw fileError(file, "no sample rate in the stream header");
    int rate = info.sampleRate;
    auto estimated = static_cast<std::int64_t>(std::llround(info.durationSeconds * rate));
    int n = info.durationSeconds >= kMinSecondsPerSegment * 2 ? segments : 1;
    n = std::min<int>(n, static_cast<int>(info.durationSeconds / kMinSecondsPerSegment) + 1);
    std::vector<SampleStore::SegmentPlan> plan;
    // Boundaries on a 4096-frame grid: whole buckets of the coarser peak levels.
    std::int64_t step = (estimated / std::max(n, 1)) / 4096 * 4096;
    if (step <= 0) n = 1;
    for (int i = 0; i < n; ++i) plan.push_back({i * step, i + 1 < n ? step : -1});
    auto store = std::make_shared<SampleStore>(rate, plan, estimated);
    std::vector<std::shared_ptr<audio::PeakSummary>> peaks;
    for (const auto& segment : plan) {
        peaks.push_back(std::make_shared<audio::PeakSummary>(1, rate));
        // The container's estimate plus 1%: an mp3 without a Xing header may run a little past it.
        std::int64_t frames = segment.frames >= 0 ? segment.frames : estimated - segment.firstFrame;
        peaks.back()->reserve(frames + frames / 100);
    }
    // The GUI thread gets its own references; workers keep theirs, so neither waits for the other.
    context.post([this, info, store, peaks] {
        info_ = info;
        store_ = store;
        peaks_ = peaks;
        emit opened();
    });

    Growth growth{context, this};
    const CancelToken& cancel = context.progress.cancel;
    std::vector<std::exception_ptr> errors(static_cast<std::size_t>(store->segmentCount()));
    auto decode = [&](int i) {
        try {
            decodeSegment(file, *store, *peaks[static_cast<std::size_t>(i)], i, cancel, growth);
        } catch (...) {
            errors[static_cast<std::size_t>(i)] = std::current_exception();
        }
    };
    std::vector<std::thread> workers;
    for (int i = 1; i < store->segmentCount(); ++i) workers.emplace_back(decode, i);
    decode(0);
    for (auto& w : workers) w.join();
    context.progress.throwIfCancelled();

    for (auto& e : errors) {
        if (!e) continue;
        try {
            std::rethrow_exception(e);
        } catch (const Cancelled&) {
        } catch (const std::exception& ex) {
            return QString::fromStdString(ex.what());
        }
    }
    return {};
}

void AudioDocument::decodeSegment(const std::filesystem::path& file, SampleStore& store, audio::PeakSummary& peaks,
                                  int segment, const CancelToken& cancel, Growth& growth) {
    const auto& plan = store.plan(segment);
    double rate = store.sampleRate();
    audio::DecodeOptions options{.sampleRate = 0, .mono = true, .startSeconds = plan.firstFrame / rate,
                                 .durationSeconds = plan.frames >= 0 ? plan.frames / rate : -1.0};
    try {
        audio::decodeStreaming(file, options, [&](std::span<const float> chunk) {
            if (cancel.cancelled()) return false;
            store.append(segment, chunk);
            peaks.append(chunk);
            growth.post(false);
            return true;
        });
    } catch (...) {
        store.finishSegment(segment);
        peaks.finish();
        throw;
    }
    store.finishSegment(segment);
    peaks.finish();
    growth.post(true);
}

std::vector<audio::MinMax> AudioDocument::peaks(double firstFrame, double lastFrame, int buckets) const {
    std::vector<audio::MinMax> out(static_cast<std::size_t>(std::max(buckets, 0)));
    if (!store_ || buckets <= 0 || lastFrame <= firstFrame) return out;
    double width = (lastFrame - firstFrame) / buckets;
    for (int s = 0; s < store_->segmentCount(); ++s) {
        const auto& summary = *peaks_[static_cast<std::size_t>(s)];
        auto begin = static_cast<double>(store_->plan(s).firstFrame);
        double end = begin + double(summary.frames());
        if (end <= firstFrame || begin >= lastFrame) continue;
        int p0 = std::max(0, static_cast<int>(std::floor((begin - firstFrame) / width)));
        int p1 = std::min(buckets, static_cast<int>(std::ceil((end - firstFrame) / width)));
        if (p1 <= p0) continue;
        // Pixels wholly inside the segment in one call; the frame grid stays the pixel grid.
        double a = firstFrame + p0 * width - begin, b = firstFrame + p1 * width - begin;
        if (a >= 0) {
            auto part = summary.range(std::llround(a), std::llround(b), p1 - p0);
            for (int i = 0; i < p1 - p0; ++i) out[static_cast<std::size_t>(p0 + i)].include(part[static_cast<std::size_t>(i)]);
        } else {
            // The first pixel straddles the segment start: ask for it on its own, the rest in one call.
            auto head = summary.range(0, std::llround(std::max(0.0, a + width)), 1);
            out[static_cast<std::size_t>(p0)].include(head[0]);
            if (p1 - p0 > 1) {
                auto part = summary.range(std::llround(a + width), std::llround(b), p1 - p0 - 1);
                for (int i = 0; i < p1 - p0 - 1; ++i)
                    out[static_cast<std::size_t>(p0 + 1 + i)].include(part[static_cast<std::size_t>(i)]);
            }
        }
    }
    return out;
}

}  // namespace sonolab::ui
