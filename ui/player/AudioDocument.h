#pragma once
// One open track as the views see it: its header (probe), its mono samples and its min/max peaks, both filled by
// decoder threads while the views already draw what has arrived. Long files are decoded as several time segments
// in parallel (each its own FFmpeg decoder seeking to its start), so a 10-minute track is in memory in about
// 1/segments of the single-thread decode time.
// GUI thread: construct, open(), read accessors, receive signals. Workers: only the private decode functions.
#include "core/audio/AudioDecoder.h"
#include "core/audio/PeakSummary.h"
#include "ui/player/SampleStore.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

namespace sonolab::ui {

class AudioDocument : public QObject {
    Q_OBJECT
public:
    explicit AudioDocument(QObject* parent = nullptr);
    ~AudioDocument() override;  // stops and joins the decoders

    // Starts decoding in the background; opened() or failed() follows. segments = 0: one per core for long files.
    void open(const QString& path, int segments = 0);
    void cancel();

    QString path() const { return path_; }
    bool isOpen() const { return store_ != nullptr; }
    bool loading() const { return loading_; }
    bool hasFailed() const { return !error_.isEmpty(); }
    QString errorMessage() const { return error_; }
    const audio::AudioInfo& info() const { return info_; }  // of the file (channels, codec) after opened()
    int sampleRate() const { return store_ ? store_->sampleRate() : 0; }
    // Estimated while loading, exact once finished.
    double durationSeconds() const;
    double loadedFraction() const;
    std::shared_ptr<const SampleStore> samples() const { return store_; }

    // Per-pixel min/max of frames [first, last) split into `buckets` pixels; invalid where nothing is decoded yet.
    std::vector<audio::MinMax> peaks(double firstFrame, double lastFrame, int buckets) const;

signals:
    void opened();     // header read, duration and rate known, decoding under way
    void dataGrew();   // more samples arrived (at most every ~40 ms)
    void finished();   // everything decoded
    void failed(const QString& message);

private:
    void run(std::string path, int segments, int generation);
    void decodeSegment(const std::filesystem::path& file, SampleStore& store, audio::PeakSummary& peaks, int segment);
    void postGrowth(bool force);

    QString path_;
    QString error_;
    bool loading_ = false;
    int generation_ = 0;  // GUI thread: results of an earlier open() are dropped
    audio::AudioInfo info_;
    std::shared_ptr<SampleStore> store_;
    std::vector<std::shared_ptr<audio::PeakSummary>> peaks_;
    std::atomic<bool> cancelled_{false};
    std::atomic<std::int64_t> lastPostMs_{0};
    std::thread controller_;
};

}  // namespace sonolab::ui
