#include "ui/player/AudioDocument.h"

#include "core/util/Error.h"

#include <QMetaObject>
#include <QThread>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>

namespace sonolab::ui {

namespace {
std::int64_t nowMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}
constexpr double kMinSecondsPerSegment = 20.0;
}  // namespace

AudioDocument::AudioDocument(QObject* parent) : QObject(parent) {}

AudioDocument::~AudioDocument() {
    cancel();
    if (controller_.joinable()) controller_.join();
}

void AudioDocument::cancel() { cancelled_.store(true); }

void AudioDocument::open(const QString& path, int segments) {
    cancel();
    if (controller_.joinable()) controller_.join();
    cancelled_.store(false);
    path_ = path;
    error_.clear();
    store_.reset();
    peaks_.clear();
    info_ = {};
    loading_ = true;
    if (segments <= 0) segments = std::clamp(QThread::idealThreadCount(), 1, 4);
    controller_ = std::thread([this, p = path.toStdString(), segments, g = ++generation_] { run(p, segments, g); });
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

void AudioDocument::run(std::string path, int segments, int generation) {
    // std::filesystem::path from UTF-8 so non-ASCII names open.
    std::filesystem::path file(std::u8string(path.begin(), path.end()));
    std::shared_ptr<SampleStore> store;
    std::vector<std::shared_ptr<audio::PeakSummary>> peaks;
    try {
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
        store = std::make_shared<SampleStore>(rate, plan, estimated);
        for (int i = 0; i < n; ++i) peaks.push_back(std::make_shared<audio::PeakSummary>(1, rate));
        // The GUI thread gets its own references; workers keep theirs, so neither waits for the other.
        QMetaObject::invokeMethod(this, [this, info, store, peaks, generation] {
            if (generation != generation_) return;
            info_ = info;
            store_ = store;
            peaks_ = peaks;
            emit opened();
        }, Qt::QueuedConnection);
    } catch (const std::exception& e) {
        QString message = QString::fromStdString(e.what());
        QMetaObject::invokeMethod(this, [this, message, generation] {
            if (generation != generation_) return;
            loading_ = false;
            error_ = message;
            emit failed(message);
        }, Qt::QueuedConnection);
        return;
    }

    std::vector<std::thread> workers;
    std::vector<std::exception_ptr> errors(static_cast<std::size_t>(store->segmentCount()));
    for (int i = 1; i < store->segmentCount(); ++i)
        workers.emplace_back([&, i] {
            try {
                decodeSegment(file, *store, *peaks[static_cast<std::size_t>(i)], i);
            } catch (...) {
                errors[static_cast<std::size_t>(i)] = std::current_exception();
            }
        });
    try {
        decodeSegment(file, *store, *peaks[0], 0);
    } catch (...) {
        errors[0] = std::current_exception();
    }
    for (auto& w : workers) w.join();

    QString message;
    for (auto& e : errors) {
        if (!e || !message.isEmpty()) continue;
        try {
            std::rethrow_exception(e);
        } catch (const Cancelled&) {
        } catch (const std::exception& ex) {
            message = QString::fromStdString(ex.what());
        }
    }
    if (cancelled_.load()) return;
    QMetaObject::invokeMethod(this, [this, message, generation] {
        if (generation != generation_) return;
        loading_ = false;
        if (!message.isEmpty()) {
            error_ = message;
            emit failed(message);
        }
        emit dataGrew();
        emit finished();
    }, Qt::QueuedConnection);
}

void AudioDocument::decodeSegment(const std::filesystem::path& file, SampleStore& store, audio::PeakSummary& peaks,
                                  int segment) {
    const auto& plan = store.plan(segment);
    double rate = store.sampleRate();
    audio::DecodeOptions options{.sampleRate = 0, .mono = true, .startSeconds = plan.firstFrame / rate,
                                 .durationSeconds = plan.frames >= 0 ? plan.frames / rate : -1.0};
    try {
        audio::decodeStreaming(file, options, [&](std::span<const float> chunk) {
            if (cancelled_.load(std::memory_order_relaxed)) return false;
            store.append(segment, chunk);
            peaks.append(chunk);
            postGrowth(false);
            return true;
        });
    } catch (...) {
        store.finishSegment(segment);
        peaks.finish();
        throw;
    }
    store.finishSegment(segment);
    peaks.finish();
    postGrowth(true);
}

void AudioDocument::postGrowth(bool force) {
    std::int64_t now = nowMs();
    std::int64_t last = lastPostMs_.load(std::memory_order_relaxed);
    if (!force && now - last < 40) return;
    if (!lastPostMs_.compare_exchange_strong(last, now)) return;
    QMetaObject::invokeMethod(this, [this] { emit dataGrew(); }, Qt::QueuedConnection);
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
