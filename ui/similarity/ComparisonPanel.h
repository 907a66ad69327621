#pragma once
// The query and the selected neighbour as two stacked spectrograms on the same frequency scale, colour range and
// time scale, each with its best-matching segment marked: why they match. Each track is decoded by its own
// AudioDocument and drawn from the player's tile cache (both on worker threads). A click on either spectrogram asks
// to play that track from there; setPlayhead() shows where playback is.
#include "ui/player/SpectrogramSettings.h"
#include "ui/similarity/MatchedSegments.h"

#include <QWidget>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>

class QLabel;

namespace sonolab::ui {

class AudioDocument;
class MatchSpectrogramView;
class TimeRuler;
class TimeViewport;

struct ComparedTrack {
    std::int64_t id = -1;
    QString path;
    QString title;
    std::optional<TimeBand> band;
};

class ComparisonPanel : public QWidget {
    Q_OBJECT
public:
    enum Side { Query = 0, Neighbour = 1 };

    explicit ComparisonPanel(QWidget* parent = nullptr);
    ~ComparisonPanel() override;

    // Opens what is not open yet (the query usually stays) and marks the bands; caption says how they compare.
    void setTracks(const ComparedTrack& query, const ComparedTrack& neighbour, const QString& caption);
    void clear();
    // The analysis both spectrograms use; the top frequency is capped at the lower Nyquist of the two files.
    void setSettings(const SpectrogramSettings& settings);
    SpectrogramSettings settings() const { return settings_; }

    std::int64_t trackId(Side side) const { return tracks_[side].id; }
    MatchSpectrogramView* view(Side side) const { return views_[side]; }
    AudioDocument* document(Side side) const { return documents_[side].get(); }
    // Both files decoded and both spectrograms drawn from finished tiles.
    bool complete() const;

public slots:
    // Playback position of a track (-1 hides the cursors).
    void setPlayhead(qint64 id, double seconds);

signals:
    void playRequested(qint64 id, double seconds);
    void completed();

private:
    void open(Side side, const ComparedTrack& track);
    void documentsChanged();

    std::array<ComparedTrack, 2> tracks_;
    std::array<std::unique_ptr<AudioDocument>, 2> documents_;
    TimeViewport* viewport_;  // one for both: the same time scale, and zooming one zooms both
    TimeRuler* ruler_;
    std::array<MatchSpectrogramView*, 2> views_{};
    std::array<QLabel*, 2> titles_{};
    QLabel* caption_;
    SpectrogramSettings settings_;
};

}  // namespace sonolab::ui
