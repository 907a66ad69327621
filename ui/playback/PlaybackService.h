#pragma once
// The app's one audio output. It owns the single PlaybackEngine and lends it to one view at a time (the "owner": the
// player, the similarity browser, its hover preview, the evaluation view's clip player). Views never touch the
// engine: they ask the service to load, play, pause, seek, and learn from its signals who plays what, so a view whose
// track is not the one playing leaves its cursor alone and its own Play acts on its own track.
// A preview is lent the output over the current owner: when it stops (or plays out) the owner gets its file back at
// its position, playing again if it was playing, paused there if it was not.
// Onset clicks are kept per view and are in force only while that view's track is the engine's source.
// Folder: ui/playback, not ui/app, because ui/player, ui/similarity and ui/training all use it and ui/app includes
// them (ui/app -> ui/player -> ui/playback stays one-way).
// Threads: every public method and every signal is on the GUI thread. The engine reports state changes on the GUI
// thread or on its feeder thread; the service forwards those with a queued call (onEngineState) and reads the
// engine's atomics there. The audio callback stays inside the engine (it never allocates, locks or logs).
// Without an output device the service still exists: available() is false, unavailableReason() says why, and
// load/play do nothing (return false), so views disable their controls and say why.
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace sonolab::audio {
struct AudioBuffer;
}
namespace sonolab::playback {
class PlaybackEngine;
}

namespace sonolab::ui {

class PlaybackService : public QObject {
    Q_OBJECT
public:
    // withDevice = false never opens an output device (benchmarks, screenshots): available() is false.
    explicit PlaybackService(QObject* parent = nullptr, bool withDevice = true);
    ~PlaybackService() override;  // stops the output
    PlaybackService(const PlaybackService&) = delete;
    PlaybackService& operator=(const PlaybackService&) = delete;

    bool available() const;
    QString unavailableReason() const;

    // Who has the output now (nullptr: nobody, or the owner was destroyed) and what it plays (empty for a buffer).
    QObject* owner() const { return owner_; }
    QString file() const { return source_.file; }
    bool owns(const QObject* client) const { return client && owner_ == client; }
    // The client owns the output and it is playing.
    bool isPlaying(const QObject* client) const;
    bool isPreviewing() const { return resume_.has_value(); }
    // Of the engine's source, whoever owns it.
    double positionSeconds() const;
    double durationSeconds() const;
    // Frames handed to the device since the last load (tests: the null device plays faster than real time).
    std::int64_t framesPlayed() const;
    bool clicksEnabled() const;
    QString lastError() const;

    // Makes the client the owner with this file as the source, at 0 and not playing; whoever played stops (and is
    // told by nowPlayingChanged). Throws sonolab::Error for a bad file; false without a device or when the device
    // refuses the format (lastError() says why). A preview running now ends without giving the output back.
    bool load(QObject* client, const QString& file);
    // load() and play [startSeconds, startSeconds + durationSeconds) (duration < 0: to the end).
    bool playFile(QObject* client, const QString& file, double startSeconds, double durationSeconds = -1);
    // Plays a short buffer over whatever plays now; stopPreview() or its end gives the output back (see above).
    bool startPreview(QObject* client, std::shared_ptr<const audio::AudioBuffer> buffer);
    // Ends the client's preview, if the output is still its preview.
    void stopPreview(QObject* client);

    // Transport of the owner's source; a client that does not own the output is refused (false) and nothing changes.
    bool play(QObject* client);  // resumes, or starts from the position after a stop or a seek
    bool pause(QObject* client);
    bool stop(QObject* client);  // back to the start (of the segment), not playing
    bool seek(QObject* client, double seconds);

    // A client's onset clicks: kept, and handed to the engine while (and whenever) that client's file is the source.
    void setClickTimes(QObject* client, std::vector<double> seconds);
    void setClicksEnabled(QObject* client, bool on);

signals:
    // The output changed hands (owner may be nullptr: nobody plays anything).
    void nowPlayingChanged(QObject* owner, const QString& file);
    // Playing started or stopped (pause, stop, end of the source) for the owner.
    void playingChanged(QObject* owner, bool playing);
    // While playing, about 33 times a second, and once more when it stops: what the listener hears now.
    void positionChanged(QObject* owner, double seconds);

private:
    struct Source {
        QString file;
        std::shared_ptr<const audio::AudioBuffer> buffer;
        double segmentEnd = -1;  // seconds; -1 = to the end
    };
    // The owner a preview interrupted, and where it was.
    struct Resume {
        QObject* client = nullptr;
        Source source;
        double position = 0;
        bool playing = false;
    };
    struct Clicks {
        std::vector<double> times;
        bool on = false;
    };

    bool loadSource(QObject* client, Source source);
    void setOwner(QObject* client, Source source);
    void applyClicks();
    void resumeInterrupted();
    void watch(QObject* client);
    void forget(QObject* client);
    void onEngineState();  // GUI thread, queued from the engine's state callback
    void tick();

    std::unique_ptr<playback::PlaybackEngine> engine_;
    QString offReason_;  // when there is no engine at all
    QObject* owner_ = nullptr;
    Source source_;
    std::optional<Resume> resume_;
    std::map<const QObject*, Clicks> clicks_;
    std::map<const QObject*, QMetaObject::Connection> watched_;
    bool wasPlaying_ = false;
    QTimer ticker_;
};

}  // namespace sonolab::ui
