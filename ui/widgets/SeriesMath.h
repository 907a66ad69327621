#pragma once
// Pure functions behind LiveChart: what is drawn is a decimated view of what is stored, and smoothing is
// TensorBoard's debiased exponential moving average. Kept free of widgets so they are tested on their own.
#include <QList>
#include <QPointF>
#include <QString>

#include <span>
#include <vector>

namespace sonolab::ui {

struct DecimationParams {
    double x0 = 0;         // visible x range (data units)
    double x1 = 1;
    int columns = 800;     // pixel columns of the plot area
    bool logX = false;     // bucket in log10(x) so every column covers the same screen width
    bool logY = false;     // drop y <= 0 (a log axis cannot show them)
};

// points must be sorted by x (training steps are). Keeps the first, minimum, maximum and last point of every pixel
// column, in index order, so spikes survive at any zoom; adds one neighbour outside each edge so lines reach the
// border. Non-finite values, and values a log axis cannot show, are skipped. Ranges with few points come back whole.
QList<QPointF> decimateMinMax(std::span<const QPointF> points, const DecimationParams& params);

// TensorBoard's smoothing: last = last*w + (1-w)*y, divided by 1 - w^n so early values are not pulled toward 0.
// Non-finite y pass through unchanged and do not enter the average. weight is clamped to [0, 0.999].
class DebiasedEma {
public:
    explicit DebiasedEma(double weight = 0) { setWeight(weight); }
    void setWeight(double weight);
    double weight() const { return weight_; }
    void reset() { last_ = 0; count_ = 0; debias_ = 1; }
    double next(double y);

private:
    double weight_ = 0;
    double last_ = 0;
    double debias_ = 1;  // running weight^count, so each step costs one multiplication
    long count_ = 0;
};

std::vector<double> smoothDebiasedEma(std::span<const QPointF> points, double weight);

// Axis ticks people read at a glance: a step of 1, 2 or 5 times a power of ten giving about `targetTicks` ticks over
// `span`, never below `minimumStep` (1 for epochs and steps, so no "epoch 6.8"). Returns 0 for an empty span.
double niceTickStep(double span, int targetTicks = 5, double minimumStep = 0);
// printf format for labels at that step: as many decimals as the step needs, none for whole steps.
QString tickLabelFormat(double step);

}  // namespace sonolab::ui
