#pragma once
// One open track as the views see it: its header (probe), its mono samples and its min/max peaks, both filled by
// decoder threads while the views already draw what has arrived. Long files are decoded as several time segments
// in parallel (each its own FFmpeg decoder seeking to its start), so a 10-minute track is in memory in about
// 1/segments of the single-thread decode time.
// The load is a BackgroundJob run (a newer open() discards the older one); inside it the segments decode in parallel
// on threads of their own, joined before the run ends (a fork-join within the job, not a second way to run work).
// GUI thread: construct, open(), read accessors, receive signals. Workers: only the private decode functions.
#include "core/audio/AudioDecoder.h"
#include "core/audio/PeakSummary.h"
#include "ui/player/SampleStore.h"
#include "ui/widgets/BackgroundJob.h"

#include <QObject>
#include <QString>

#include <filesystem>
#include <memory>
#include <vector>

namespace sonolab::ui {

class AudioDocument : public QObject {
    Q_OBJECT
public:
    explicit AudioDocument(QObject* parent = nullptr);
    ~AudioDocument() override;  // stops the decoders and waits for them

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
    void dataGrew();   // more samples arrived (at most every ~100 ms)
    void finished();   // everything decoded
    void failed(const QString& message);

private:
    struct Growth;
    // On the worker: probes, posts opened, decodes every segment; returns the first segment's error ("" = none).
    QString load(const JobContext& context, const std::filesystem::path& file, int segments);
    static void decodeSegment(const std::filesystem::path& file, SampleStore& store, audio::PeakSummary& peaks,
                              int segment, const CancelToken& cancel, Growth& growth);

    QString path_;
    QString error_;
    bool loading_ = false;
    audio::AudioInfo info_;
    std::shared_ptr<SampleStore> store_;
    std::vector<std::shared_ptr<audio::PeakSummary>> peaks_;
    BackgroundJob job_;  // last member: its worker ends before the rest goes
};

}  // namespace sonolab::ui
