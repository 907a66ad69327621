#include "ui/similarity/MatchSpectrogramView.h"

#include <QPaintEvent>
#include <QPainter>

#include <algorithm>

namespace sonolab::ui {

MatchSpectrogramView::MatchSpectrogramView(TimeViewport* viewport, QWidget* parent) : SpectrogramView(viewport, parent) {
    setMinimumHeight(70);
}

void MatchSpectrogramView::setBand(std::optional<TimeBand> band) {
    band_ = band;
    update();
}

QRectF MatchSpectrogramView::bandRect() const {
    if (!band_) return {};
    const QRect data = dataRect();
    return QRectF(QPointF(xOf(band_->startSeconds), data.top()), QPointF(xOf(band_->endSeconds()), data.bottom() + 1));
}

void MatchSpectrogramView::paintEvent(QPaintEvent* event) {
    SpectrogramView::paintEvent(event);
    if (!band_) return;
    QPainter painter(this);
    const QRect data = dataRect();
    painter.setClipRect(data.intersected(event->rect()));
    const QRectF band = bandRect();
    const QColor dim(0, 0, 0, 120);
    painter.fillRect(QRectF(QPointF(data.left(), data.top()), QPointF(band.left(), data.bottom() + 1)), dim);
    painter.fillRect(QRectF(QPointF(band.right(), data.top()), QPointF(data.right() + 1, data.bottom() + 1)), dim);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(QColor(255, 210, 40), 2));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(band.adjusted(1, 1, -1, -1));
    // A tab on top of the band says what it is (the spectrogram's colours stay visible inside).
    QFont small = font();
    small.setPointSizeF(std::max(6.5, small.pointSizeF() * 0.8));
    painter.setFont(small);
    const QString text = tr("best match %1–%2").arg(formatTime(band_->startSeconds, 1), formatTime(band_->endSeconds(), 1));
    const QFontMetrics fm(small);
    QRectF tab(band.left() + 1, data.top() + 1, fm.horizontalAdvance(text) + 8, fm.height() + 2);
    painter.fillRect(tab, QColor(255, 210, 40));
    painter.setPen(Qt::black);
    painter.drawText(tab, Qt::AlignCenter, text);
}

}  // namespace sonolab::ui
