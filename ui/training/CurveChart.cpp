#include "ui/training/CurveChart.h"

#include <QChart>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>

#include <cmath>

namespace sonolab::ui {

CurveChart::CurveChart(Kind kind, QWidget* parent) : QChartView(new QChart, parent), kind_(kind) {
    chart()->setAnimationOptions(QChart::NoAnimation);
    chart()->setTitle(kind == Kind::Roc ? tr("ROC curves") : tr("Precision-recall curves"));
    chart()->legend()->setAlignment(Qt::AlignBottom);
    chart()->setMargins(QMargins(4, 4, 4, 4));
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(240, 220);
    auto* x = new QValueAxis;
    auto* y = new QValueAxis;
    x->setRange(0, 1);
    y->setRange(0, 1.02);
    x->setTitleText(kind == Kind::Roc ? tr("false-positive rate") : tr("recall"));
    y->setTitleText(kind == Kind::Roc ? tr("true-positive rate") : tr("precision"));
    x->setLabelFormat("%.1f");
    y->setLabelFormat("%.1f");
    chart()->addAxis(x, Qt::AlignBottom);
    chart()->addAxis(y, Qt::AlignLeft);
}

void CurveChart::clearCurves() { chart()->removeAllSeries(); }

void CurveChart::setEvaluation(const Evaluation& evaluation, const std::vector<double>& auc) {
    clearCurves();
    auto* x = chart()->axes(Qt::Horizontal).first();
    auto* y = chart()->axes(Qt::Vertical).first();
    if (kind_ == Kind::Roc && !evaluation.empty()) {
        auto* chance = new QLineSeries;
        chance->append(0, 0);
        chance->append(1, 1);
        chance->setPen(QPen(QColor(150, 150, 150), 1, Qt::DashLine));
        chance->setName(tr("chance"));
        chart()->addSeries(chance);
        chance->attachAxis(x);
        chance->attachAxis(y);
        for (QLegendMarker* m : chart()->legend()->markers(chance)) m->setVisible(false);
    }
    // A single-label task's curves are one-vs-rest per class; binary and multi-label use each sigmoid output.
    for (int o = 0; o < evaluation.labels.size(); ++o) {
        QList<QPointF> pts = kind_ == Kind::Roc ? rocCurve(evaluation, o) : precisionRecallCurve(evaluation, o);
        if (pts.isEmpty()) continue;
        auto* s = new QLineSeries;
        QString name = evaluation.labels[o];
        if (std::size_t(o) < auc.size() && std::isfinite(auc[std::size_t(o)]))
            name += QStringLiteral(" (%1)").arg(auc[std::size_t(o)], 0, 'f', 3);
        s->setName(name);
        s->replace(pts);
        chart()->addSeries(s);
        s->attachAxis(x);
        s->attachAxis(y);
    }
}

int CurveChart::curveCount() const {
    int n = 0;
    for (QAbstractSeries* s : chart()->series()) n += s->name() != tr("chance");
    return n;
}

QList<QPointF> CurveChart::curve(int i) const {
    int n = 0;
    for (QAbstractSeries* s : chart()->series()) {
        if (s->name() == tr("chance")) continue;
        if (n++ == i) return static_cast<QLineSeries*>(s)->points();
    }
    return {};
}

QString CurveChart::curveName(int i) const {
    int n = 0;
    for (QAbstractSeries* s : chart()->series()) {
        if (s->name() == tr("chance")) continue;
        if (n++ == i) return s->name();
    }
    return {};
}

}  // namespace sonolab::ui
