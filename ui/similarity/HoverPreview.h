#pragma once
// Preview by ear: after the pointer rests on a track for a moment (~300 ms) a few seconds of it play, quieter than
// normal playback, from its most representative segment; moving away stops it. The audio is decoded on a worker
// thread into a short buffer (with the gain and short fades applied) and played as a preview of the app's
// PlaybackService: whatever played before (the player's track) gets the output back, at its place, when the preview
// stops or ends. Switched off, hovering does nothing. GUI thread, except the decode.
#include "ui/widgets/BackgroundJob.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <cstdint>
#include <functional>
#include <memory>

namespace sonolab::audio {
struct AudioBuffer;
}
namespace sonolab::ui {

class PlaybackService;

struct PreviewParams {
    int delayMs = 300;
    double seconds = 4.0;
    float gain = 0.4f;  // about -8 dB: a preview should not startle
    double fadeSeconds = 0.03;
};

class HoverPreview : public QObject {
    Q_OBJECT
public:
    struct Source {
        QString path;
        double startSeconds = 0;
    };
    // Where a track's preview comes from; an empty path means "nothing to play".
    using Resolver = std::function<Source(std::int64_t id)>;

    explicit HoverPreview(QObject* parent = nullptr, PreviewParams params = {});
    ~HoverPreview() override;

    void setPlayback(PlaybackService* playback);
    void setResolver(Resolver resolver) { resolver_ = std::move(resolver); }
    void setEnabled(bool on);
    bool isEnabled() const { return enabled_; }
    const PreviewParams& params() const { return params_; }

    // The pointer is over this track now (-1: over none). Starts the delay, or stops a running preview.
    void hover(std::int64_t id);
    // Stops a preview (the output goes back to what played before it). Another view taking the output ends it too.
    void stop();
    // The track whose preview is playing (or being decoded to play), -1 when none.
    std::int64_t previewing() const { return previewing_; }

signals:
    void previewStarted(qint64 id, double startSeconds);
    void previewStopped(qint64 id);
    void previewFailed(qint64 id, const QString& message);

private:
    void start();
    // GUI thread: the decode of previewing_ ended with `buffer` (null when it failed with `error`).
    void decoded(std::shared_ptr<audio::AudioBuffer> buffer, const QString& error);

    QPointer<PlaybackService> playback_;
    Resolver resolver_;
    PreviewParams params_;
    bool enabled_ = true;
    std::int64_t pending_ = -1;     // under the pointer, waiting for the delay
    std::int64_t previewing_ = -1;  // decoding or playing
    double previewStart_ = 0;
    bool playingPreview_ = false;  // the service plays our preview buffer
    bool starting_ = false;        // inside startPreview()
    QTimer delay_;
    // Last: its worker ends before anything its callbacks touch goes.
    BackgroundJob decode_;
};

}  // namespace sonolab::ui
