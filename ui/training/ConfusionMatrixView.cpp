#include "ui/training/ConfusionMatrixView.h"

#include <QFontMetrics>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <numeric>

namespace sonolab::ui {

namespace {

// White to deep blue: readable counts on both ends.
QColor heat(double fraction) {
    fraction = std::clamp(fraction, 0.0, 1.0);
    const QColor low(247, 251, 255), high(8, 48, 107);
    auto mix = [&](int a, int b) { return int(a + (b - a) * fraction); };
    return QColor(mix(low.red(), high.red()), mix(low.green(), high.green()), mix(low.blue(), high.blue()));
}

constexpr int kTitle = 18;  // room for the axis captions

}  // namespace

ConfusionMatrixView::ConfusionMatrixView(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent, false);
}

void ConfusionMatrixView::setMatrix(const QStringList& labels, const std::vector<std::vector<std::size_t>>& counts) {
    bool square = counts.size() == std::size_t(labels.size());
    for (const auto& row : counts) square = square && row.size() == std::size_t(labels.size());
    if (!square) return clear();
    labels_ = labels;
    counts_ = counts;
    if (selected_.y() >= labels_.size() || selected_.x() >= labels_.size()) selected_ = {-1, -1};
    update();
}

void ConfusionMatrixView::clear() {
    labels_.clear();
    counts_.clear();
    selected_ = {-1, -1};
    update();
}

std::size_t ConfusionMatrixView::count(int t, int p) const {
    if (t < 0 || p < 0 || t >= labels_.size() || p >= labels_.size()) return 0;
    return counts_[std::size_t(t)][std::size_t(p)];
}

int ConfusionMatrixView::labelMargin() const {
    QFontMetrics fm(font());
    int widest = 0;
    for (const QString& l : labels_) widest = std::max(widest, fm.horizontalAdvance(l));
    return std::min(widest + 10, std::max(60, width() / 3));
}

QRect ConfusionMatrixView::gridRect() const {
    const int n = int(labels_.size());
    if (n == 0) return {};
    const int margin = labelMargin();
    const QFontMetrics fm(font());
    const int top = kTitle + fm.height() + 6;  // "predicted" caption and column labels
    const int left = kTitle + margin;
    const int side = std::max(0, std::min(width() - left - 6, height() - top - 6));
    const int cell = side / n;
    return QRect(left, top, cell * n, cell * n);
}

QRect ConfusionMatrixView::cellRect(int t, int p) const {
    const int n = int(labels_.size());
    if (t < 0 || p < 0 || t >= n || p >= n) return {};
    const QRect g = gridRect();
    const int cell = g.width() / n;
    return QRect(g.left() + p * cell, g.top() + t * cell, cell, cell);
}

QPoint ConfusionMatrixView::cellAt(const QPoint& pos) const {
    const int n = int(labels_.size());
    const QRect g = gridRect();
    if (n == 0 || !g.contains(pos) || g.width() < n) return {-1, -1};
    const int cell = g.width() / n;
    return {std::min(n - 1, (pos.x() - g.left()) / cell), std::min(n - 1, (pos.y() - g.top()) / cell)};
}

void ConfusionMatrixView::selectCell(int t, int p) {
    if (t < 0 || p < 0 || t >= labels_.size() || p >= labels_.size()) return;
    selected_ = {p, t};
    update();
    emit cellActivated(t, p);
}

QSize ConfusionMatrixView::sizeHint() const { return {420, 400}; }
QSize ConfusionMatrixView::minimumSizeHint() const { return {200, 180}; }

void ConfusionMatrixView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    const int n = int(labels_.size());
    if (n == 0) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter, tr("No evaluation yet"));
        return;
    }
    const QRect g = gridRect();
    const int cell = g.width() / n;
    if (cell <= 0) return;
    QFont small = font();
    const QFontMetrics fm(small);

    painter.setPen(palette().color(QPalette::Text));
    painter.drawText(QRect(g.left(), 0, g.width(), kTitle), Qt::AlignCenter, tr("predicted"));
    painter.save();
    painter.translate(0, g.center().y());
    painter.rotate(-90);
    painter.drawText(QRect(-g.height() / 2, 0, g.height(), kTitle), Qt::AlignCenter, tr("true"));
    painter.restore();

    for (int i = 0; i < n; ++i) {
        const QString& label = labels_[i];
        painter.drawText(QRect(kTitle, g.top() + i * cell, g.left() - kTitle - 4, cell), Qt::AlignRight | Qt::AlignVCenter,
                         fm.elidedText(label, Qt::ElideRight, g.left() - kTitle - 4));
        painter.drawText(QRect(g.left() + i * cell, kTitle, cell, fm.height() + 4), Qt::AlignCenter,
                         fm.elidedText(label, Qt::ElideRight, cell - 2));
    }

    for (int t = 0; t < n; ++t) {
        const auto& row = counts_[std::size_t(t)];
        const std::size_t total = std::accumulate(row.begin(), row.end(), std::size_t(0));
        for (int p = 0; p < n; ++p) {
            const std::size_t c = row[std::size_t(p)];
            const double fraction = total ? double(c) / double(total) : 0.0;
            const QRect r = cellRect(t, p);
            painter.fillRect(r, heat(fraction));
            painter.setPen(QColor(200, 200, 200));
            painter.drawRect(r.adjusted(0, 0, -1, -1));
            painter.setPen(fraction > 0.5 ? Qt::white : QColor(20, 20, 20));
            QString text = QString::number(c);
            if (cell > fm.height() * 2 + 4 && total) text += '\n' + QString::number(fraction * 100, 'f', 0) + '%';
            painter.drawText(r, Qt::AlignCenter, text);
        }
    }
    if (selected_.x() >= 0) {
        painter.setPen(QPen(QColor(230, 120, 0), 3));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(cellRect(selected_.y(), selected_.x()).adjusted(1, 1, -2, -2));
    }
}

void ConfusionMatrixView::mousePressEvent(QMouseEvent* event) {
    const QPoint cell = cellAt(event->position().toPoint());
    if (event->button() == Qt::LeftButton && cell.x() >= 0) {
        selectCell(cell.y(), cell.x());
        event->accept();
        return;
    }
    QWidget::mousePressEvent(event);
}

void ConfusionMatrixView::mouseMoveEvent(QMouseEvent* event) {
    const QPoint cell = cellAt(event->position().toPoint());
    if (cell.x() < 0) {
        QToolTip::hideText();
        return;
    }
    const int t = cell.y(), p = cell.x();
    QToolTip::showText(event->globalPosition().toPoint(),
                       tr("true %1, predicted %2: %3 clips").arg(labels_[t], labels_[p]).arg(count(t, p)), this);
}

void ConfusionMatrixView::keyPressEvent(QKeyEvent* event) {
    const int n = int(labels_.size());
    if (n == 0) return QWidget::keyPressEvent(event);
    QPoint s = selected_.x() < 0 ? QPoint(0, 0) : selected_;
    switch (event->key()) {
    case Qt::Key_Left: s.rx() = std::max(0, s.x() - 1); break;
    case Qt::Key_Right: s.rx() = std::min(n - 1, s.x() + 1); break;
    case Qt::Key_Up: s.ry() = std::max(0, s.y() - 1); break;
    case Qt::Key_Down: s.ry() = std::min(n - 1, s.y() + 1); break;
    default: return QWidget::keyPressEvent(event);
    }
    selectCell(s.y(), s.x());
}

}  // namespace sonolab::ui
