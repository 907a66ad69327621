#include "ui/widgets/SeriesMath.h"

#include <algorithm>
#include <cmath>

namespace sonolab::ui {

namespace {

bool drawable(const QPointF& p, const DecimationParams& params) {
    if (!std::isfinite(p.x()) || !std::isfinite(p.y())) return false;
    if (params.logY && p.y() <= 0) return false;
    if (params.logX && p.x() <= 0) return false;
    return true;
}

}  // namespace

QList<QPointF> decimateMinMax(std::span<const QPointF> points, const DecimationParams& params) {
    QList<QPointF> out;
    if (points.empty()) return out;
    double x0 = params.x0, x1 = params.x1;
    if (x1 < x0) std::swap(x0, x1);
    auto byX = [](const QPointF& p, double x) { return p.x() < x; };
    auto first = std::lower_bound(points.begin(), points.end(), x0, byX);
    auto last = std::upper_bound(points.begin(), points.end(), x1, [](double x, const QPointF& p) { return x < p.x(); });
    // One neighbour beyond each edge keeps the line continuous to the plot border when zoomed in.
    std::size_t begin = std::size_t(first - points.begin());
    std::size_t end = std::size_t(last - points.begin());
    while (begin > 0) {
        --begin;
        if (drawable(points[begin], params)) break;
    }
    while (end < points.size()) {
        ++end;
        if (drawable(points[end - 1], params)) break;
    }
    const int columns = std::max(1, params.columns);
    if (end - begin <= std::size_t(4 * columns)) {
        out.reserve(qsizetype(end - begin));
        for (std::size_t i = begin; i < end; ++i)
            if (drawable(points[i], params)) out.append(points[i]);
        return out;
    }

    const bool logX = params.logX && x0 > 0 && x1 > 0;
    const double lo = logX ? std::log10(x0) : x0;
    const double hi = logX ? std::log10(x1) : x1;
    const double span = hi > lo ? hi - lo : 1.0;
    auto columnOf = [&](double x) -> long {
        double v = logX ? std::log10(x) : x;
        return std::clamp(long(std::floor((v - lo) / span * columns)), -1L, long(columns));
    };

    out.reserve(4 * columns + 8);
    long column = 0;
    bool open = false;
    std::size_t iFirst = 0, iMin = 0, iMax = 0, iLast = 0;
    auto flush = [&] {
        if (!open) return;
        std::size_t idx[4] = {iFirst, iMin, iMax, iLast};
        std::sort(std::begin(idx), std::end(idx));
        std::size_t previous = std::size_t(-1);
        for (std::size_t i : idx) {
            if (i == previous) continue;
            out.append(points[i]);
            previous = i;
        }
        open = false;
    };
    for (std::size_t i = begin; i < end; ++i) {
        const QPointF& p = points[i];
        if (!drawable(p, params)) continue;
        long c = columnOf(p.x());
        if (!open || c != column) {
            flush();
            column = c;
            open = true;
            iFirst = iMin = iMax = iLast = i;
            continue;
        }
        iLast = i;
        if (p.y() < points[iMin].y()) iMin = i;
        if (p.y() > points[iMax].y()) iMax = i;
    }
    flush();
    return out;
}

void DebiasedEma::setWeight(double weight) {
    weight_ = std::clamp(std::isfinite(weight) ? weight : 0.0, 0.0, 0.999);
    reset();
}

double DebiasedEma::next(double y) {
    if (!std::isfinite(y)) return y;
    last_ = last_ * weight_ + (1 - weight_) * y;
    ++count_;
    debias_ *= weight_;
    const double correction = 1 - debias_;
    return correction > 0 ? last_ / correction : y;
}

std::vector<double> smoothDebiasedEma(std::span<const QPointF> points, double weight) {
    DebiasedEma ema(weight);
    std::vector<double> out;
    out.reserve(points.size());
    for (const QPointF& p : points) out.push_back(ema.next(p.y()));
    return out;
}

double niceTickStep(double span, int targetTicks, double minimumStep) {
    if (!(span > 0) || !std::isfinite(span) || targetTicks < 1) return 0;
    const double raw = span / targetTicks;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    const double fraction = raw / power;
    const double nice = fraction < 1.5 ? 1 : fraction < 3.5 ? 2 : fraction < 7.5 ? 5 : 10;
    return std::max(nice * power, minimumStep);
}

QString tickLabelFormat(double step) {
    if (!(step > 0)) return QStringLiteral("%.3g");
    const int decimals = std::clamp(int(std::ceil(-std::log10(step) - 1e-9)), 0, 8);
    return QStringLiteral("%.") + QString::number(decimals) + QStringLiteral("f");
}

}  // namespace sonolab::ui
