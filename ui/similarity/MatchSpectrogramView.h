#pragma once
// The player's spectrogram (same tiles, rendered on worker threads) with the best-matching segment marked: the
// rest of the track is dimmed and the segment framed, so "why do these two match" is visible at a glance.
#include "ui/player/SpectrogramView.h"
#include "ui/similarity/MatchedSegments.h"

#include <optional>

namespace sonolab::ui {

class MatchSpectrogramView : public SpectrogramView {
    Q_OBJECT
public:
    explicit MatchSpectrogramView(TimeViewport* viewport, QWidget* parent = nullptr);

    QSize sizeHint() const override { return {600, 150}; }
    QSize minimumSizeHint() const override { return {200, 70}; }

    void setBand(std::optional<TimeBand> band);
    const std::optional<TimeBand>& band() const { return band_; }
    // The band in widget coordinates (empty without a band).
    QRectF bandRect() const;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::optional<TimeBand> band_;
};

}  // namespace sonolab::ui
