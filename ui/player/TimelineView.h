#pragma once
// What the waveform and spectrogram views share: the time viewport, a left margin for the vertical axis, the
// playback cursor, and mouse handling (click seeks, wheel zooms about the pointer, Shift+wheel scrolls, hovering
// reports what is under the pointer).
#include "ui/player/TimeViewport.h"

#include <QPointer>
#include <QWidget>

namespace sonolab::ui {

class AnnotationLayers;
class AudioDocument;
class OnsetTrack;

class TimelineView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kAxisWidth = 64;

    TimelineView(TimeViewport* viewport, QWidget* parent = nullptr);

    void setDocument(AudioDocument* document);
    AudioDocument* document() const;
    TimeViewport* viewport() const { return viewport_; }
    QRect dataRect() const { return rect().adjusted(kAxisWidth, 0, 0, 0); }

    // Onset markers drawn over the data; clicks near one seek exactly to it, hovering one names it (OnsetOverlay).
    void setOnsets(OnsetTrack* track);
    OnsetTrack* onsets() const;
    // Imported annotation layers drawn in lanes over the data, under the onset markers (AnnotationLayerOverlay).
    void setAnnotationLayers(AnnotationLayers* layers);

    double cursorSeconds() const { return cursor_; }
    // Text of the last hover read-out (for tests and the status bar).
    QString hoverText() const { return hoverText_; }
    // x inside the widget of a time, and the time under a widget x.
    double xOf(double seconds) const { return kAxisWidth + viewport_->secondsToX(seconds); }
    double secondsAt(double x) const { return viewport_->xToSeconds(x - kAxisWidth); }

public slots:
    void setCursorSeconds(double seconds);

signals:
    void seekRequested(double seconds);
    void hovered(const QString& text);

protected:
    // Subclasses describe the point under the mouse ("0:12.345  1000 Hz  -12 dB"); empty outside the data.
    virtual QString describe(QPoint position) const = 0;
    virtual void documentChanged() {}

    void paintCursor(QPainter& painter) const;
    void paintAxisBackground(QPainter& painter) const;
    // The overlays: annotation layers, then onset markers on top.
    void paintOnsets(QPainter& painter, const QRect& dirty, bool withCurve) const;

    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    TimeViewport* viewport_;
    QPointer<AudioDocument> document_;
    QPointer<OnsetTrack> onsets_;
    QPointer<AnnotationLayers> layers_;
    double cursor_ = 0;
    QString hoverText_;
};

// "1:02.345" style times; decimals as the visible span needs them.
QString formatTime(double seconds, int decimals = 3);

}  // namespace sonolab::ui
