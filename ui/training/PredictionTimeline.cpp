#include "ui/training/PredictionTimeline.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <limits>

namespace sonolab::ui {

namespace {

constexpr int kRowHeight = 18;
constexpr int kGap = 2;

// A short viridis ramp: perceptually even, readable in greyscale.
QColor probabilityColour(double p) {
    static const QColor stops[] = {QColor(68, 1, 84), QColor(59, 82, 139), QColor(33, 145, 140), QColor(94, 201, 98),
                                   QColor(253, 231, 37)};
    p = std::clamp(std::isfinite(p) ? p : 0.0, 0.0, 1.0) * 4.0;
    const int i = std::min(3, int(p));
    const double f = p - i;
    auto mix = [&](int a, int b) { return int(a + (b - a) * f); };
    return QColor(mix(stops[i].red(), stops[i + 1].red()), mix(stops[i].green(), stops[i + 1].green()),
                  mix(stops[i].blue(), stops[i + 1].blue()));
}

}  // namespace

PredictionTimeline::PredictionTimeline(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Minimum);
}

void PredictionTimeline::setPredictions(const QStringList& labels, std::vector<double> starts, double windowSeconds,
                                        std::vector<std::vector<float>> windows, std::vector<float> wholeTrack) {
    labels_ = labels;
    starts_ = std::move(starts);
    windowSeconds_ = windowSeconds;
    windows_ = std::move(windows);
    whole_ = std::move(wholeTrack);
    if (windows_.size() != starts_.size()) {
        windows_.resize(std::min(windows_.size(), starts_.size()));
        starts_.resize(windows_.size());
    }
    updateGeometry();
    update();
}

void PredictionTimeline::setPrediction(const QStringList& labels, const ml::TrackPrediction& prediction,
                                       double secondsPerFrame) {
    std::vector<double> starts;
    for (std::size_t f : prediction.windowStartFrames) starts.push_back(double(f) * secondsPerFrame);
    setPredictions(labels, std::move(starts), double(prediction.windowFrames) * secondsPerFrame, prediction.windows,
                   prediction.probabilities);
}

void PredictionTimeline::clear() { setPredictions({}, {}, 0, {}, {}); }

void PredictionTimeline::setVisibleRange(double start, double end) {
    viewStart_ = start;
    viewEnd_ = end;
    update();
}

void PredictionTimeline::setCursorSeconds(double seconds) {
    if (seconds == cursor_) return;
    cursor_ = seconds;
    update();
}

annotations::WindowScores PredictionTimeline::scores() const {
    annotations::WindowScores s{.labels = {}, .startSeconds = starts_, .windowSeconds = windowSeconds_, .probabilities = windows_};
    for (const auto& l : labels_) s.labels.push_back(l.toStdString());
    return s;
}

double PredictionTimeline::trackEnd() const {
    return starts_.empty() ? 1.0 : starts_.back() + windowSeconds_;
}

double PredictionTimeline::probabilityAt(int output, double seconds) const {
    if (starts_.empty() || output < 0 || seconds < starts_.front() || seconds > trackEnd())
        return std::numeric_limits<double>::quiet_NaN();
    std::size_t best = 0;
    double bestDistance = std::numeric_limits<double>::infinity();
    for (std::size_t w = 0; w < starts_.size(); ++w) {
        const double d = std::abs(starts_[w] + windowSeconds_ / 2 - seconds);
        if (d < bestDistance) {
            bestDistance = d;
            best = w;
        }
    }
    const auto& row = windows_[best];
    return std::size_t(output) < row.size() ? row[std::size_t(output)] : std::numeric_limits<double>::quiet_NaN();
}

int PredictionTimeline::labelWidth() const {
    QFontMetrics fm(font());
    int widest = fm.horizontalAdvance(QStringLiteral("0.00"));
    for (const QString& l : labels_) widest = std::max(widest, fm.horizontalAdvance(l + QStringLiteral("  0.00")));
    return std::min(widest + 12, std::max(80, width() / 3));
}

int PredictionTimeline::xOfSeconds(double s) const {
    const double a = viewEnd_ > viewStart_ ? viewStart_ : 0.0;
    const double b = viewEnd_ > viewStart_ ? viewEnd_ : trackEnd();
    const int left = labelWidth();
    return left + int(std::lround((s - a) / (b - a) * (width() - left)));
}

double PredictionTimeline::secondsAtX(int x) const {
    const double a = viewEnd_ > viewStart_ ? viewStart_ : 0.0;
    const double b = viewEnd_ > viewStart_ ? viewEnd_ : trackEnd();
    const int left = labelWidth();
    return a + double(x - left) / std::max(1, width() - left) * (b - a);
}

QRect PredictionTimeline::rowRect(int output) const {
    if (output < 0 || output >= labels_.size()) return {};
    const int left = labelWidth();
    return QRect(left, kGap + output * (kRowHeight + kGap), width() - left, kRowHeight);
}

QSize PredictionTimeline::sizeHint() const {
    return {600, std::max(1, int(labels_.size())) * (kRowHeight + kGap) + kGap};
}
QSize PredictionTimeline::minimumSizeHint() const { return {200, kRowHeight + 2 * kGap}; }

void PredictionTimeline::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    if (labels_.isEmpty() || starts_.empty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter, tr("No predictions: train or open a model, then open a track"));
        return;
    }
    const QFontMetrics fm(font());
    // With overlapping windows each one owns the span around its centre, so colours do not overdraw each other.
    for (int o = 0; o < labels_.size(); ++o) {
        const QRect row = rowRect(o);
        QString label = labels_[o];
        if (std::size_t(o) < whole_.size()) label += QStringLiteral("  ") + QString::number(whole_[std::size_t(o)], 'f', 2);
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(QRect(2, row.top(), row.left() - 6, row.height()), Qt::AlignRight | Qt::AlignVCenter,
                         fm.elidedText(label, Qt::ElideLeft, row.left() - 6));
        painter.save();
        painter.setClipRect(row);
        painter.fillRect(row, QColor(30, 30, 30));
        for (std::size_t w = 0; w < starts_.size(); ++w) {
            const double centre = starts_[w] + windowSeconds_ / 2;
            const double half = w + 1 < starts_.size() ? (starts_[w + 1] - starts_[w]) / 2 : windowSeconds_ / 2;
            const double from = w == 0 ? starts_[w] : centre - (starts_[w] - starts_[w - 1]) / 2;
            const double to = w + 1 < starts_.size() ? centre + half : starts_[w] + windowSeconds_;
            const int x0 = xOfSeconds(from), x1 = std::max(x0 + 1, xOfSeconds(to));
            const double p = std::size_t(o) < windows_[w].size() ? windows_[w][std::size_t(o)] : 0.0;
            painter.fillRect(QRect(x0, row.top(), x1 - x0, row.height()), probabilityColour(p));
        }
        painter.restore();
    }
    if (cursor_ >= 0) {
        const int x = xOfSeconds(cursor_);
        painter.setPen(QPen(QColor(255, 60, 60), 2));
        painter.drawLine(x, 0, x, height());
    }
}

void PredictionTimeline::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton && event->position().x() >= labelWidth() && !starts_.empty()) {
        emit seekRequested(std::max(0.0, secondsAtX(int(event->position().x()))));
        event->accept();
        return;
    }
    QWidget::mousePressEvent(event);
}

}  // namespace sonolab::ui
