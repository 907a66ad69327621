#pragma once
// ROC or precision-recall curves of a tagger's outputs (one line per output, AUC in the legend), on fixed [0,1] axes.
#include "ui/training/Evaluation.h"

#include <QChartView>

namespace sonolab::ui {

class CurveChart : public QChartView {
    Q_OBJECT
public:
    enum class Kind { Roc, PrecisionRecall };
    explicit CurveChart(Kind kind, QWidget* parent = nullptr);

    // One curve per output with both classes present (auc per output, NaN = leave out of the legend text).
    void setEvaluation(const Evaluation& evaluation, const std::vector<double>& aucPerOutput = {});
    void clearCurves();
    int curveCount() const;
    QList<QPointF> curve(int i) const;
    QString curveName(int i) const;
    Kind kind() const { return kind_; }

private:
    Kind kind_;
};

}  // namespace sonolab::ui
