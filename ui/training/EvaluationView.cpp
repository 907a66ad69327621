#include "ui/training/EvaluationView.h"

#include "ui/player/PlayerWidget.h"
#include "ui/training/ClassMetricsModel.h"
#include "ui/training/ConfusionMatrixView.h"
#include "ui/training/CurveChart.h"
#include "ui/widgets/Panes.h"

#include <QAction>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace sonolab::ui {

namespace {

QString csvField(QString s) {
    if (!s.contains(',') && !s.contains('"') && !s.contains('\n')) return s;
    return '"' + s.replace('"', "\"\"") + '"';
}

bool writeText(const QString& path, const QString& text, QString* error) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text) || file.write(text.toUtf8()) < 0 || !file.commit()) {
        if (error) *error = path + QStringLiteral(": cannot write: ") + file.errorString();
        return false;
    }
    return true;
}

}  // namespace

EvaluationView::EvaluationView(QWidget* parent, bool withPlayer) : QWidget(parent) {
    outputBox_ = new QComboBox;
    outputBox_->setToolTip(tr("Binary and multi-label tasks have one 2×2 confusion matrix per output"));
    summary_ = new QLabel;
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    summary_->setWordWrap(true);  // a long summary takes a second line rather than widening the window
    auto* exportMetrics = new QPushButton(tr("Export metrics CSV…"));
    auto* exportPredictions = new QPushButton(tr("Export predictions CSV…"));
    connect(exportMetrics, &QPushButton::clicked, this, [this] { exportWithDialog(false); });
    connect(exportPredictions, &QPushButton::clicked, this, [this] { exportWithDialog(true); });

    matrix_ = new ConfusionMatrixView;
    cellTitle_ = new QLabel(tr("Click a cell of the matrix to list its clips"));
    cellTitle_->setWordWrap(true);
    clips_ = new QListWidget;
    clips_->setToolTip(tr("Click a clip to play it"));
    metrics_ = new ClassMetricsModel(this);
    table_ = new QTableView;
    table_->setModel(metrics_);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->verticalHeader()->hide();
    roc_ = new CurveChart(CurveChart::Kind::Roc);
    pr_ = new CurveChart(CurveChart::Kind::PrecisionRecall);

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Output:")));
    top->addWidget(outputBox_);
    top->addWidget(summary_, 1);
    top->addWidget(exportMetrics);
    top->addWidget(exportPredictions);

    auto* clipPane = pane({cellTitle_, {clips_, 1}});

    auto* curves = new QTabWidget;
    curves->addTab(table_, tr("Per class"));
    curves->addTab(roc_, tr("ROC"));
    curves->addTab(pr_, tr("Precision-recall"));

    auto* upper = splitPanes(Qt::Horizontal, {{matrix_, 3}, {clipPane, 2}, {curves, 3}});

    auto* vertical = new QSplitter(Qt::Vertical);
    vertical->addWidget(upper);
    if (withPlayer) {
        player_ = new PlayerWidget;
        player_->setMinimumHeight(160);
        // Its keys act only while it has the focus: Space elsewhere in the window stays the main player's.
        for (auto* action : player_->transportActions() + player_->viewActions())
            action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        vertical->addWidget(player_);
        vertical->setStretchFactor(0, 3);
        vertical->setStretchFactor(1, 2);
        // A clip plays as soon as its header is read; the spectrogram fills in while it plays.
        connect(player_, &PlayerWidget::fileOpened, this, [this](const QString& path) {
            if (path == pendingPlay_ && !player_->isPlaying()) player_->togglePlayPause();
            pendingPlay_.clear();
        });
    }

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(vertical, 1);

    connect(outputBox_, &QComboBox::currentIndexChanged, this, [this](int i) {
        if (i >= 0) setOutput(i);
    });
    connect(matrix_, &ConfusionMatrixView::cellActivated, this, &EvaluationView::showCell);
    connect(clips_, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) { activateClip(clips_->row(item)); });
    connect(clips_, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) { activateClip(clips_->row(item)); });
    clear();
}

void EvaluationView::setPlayback(PlaybackService* playback) {
    if (player_) player_->setPlayback(playback);
}

void EvaluationView::clear() {
    evaluation_ = {};
    report_ = {};
    output_ = 0;
    cellOfClip_.clear();
    listed_.clear();
    matrix_->clear();
    clips_->clear();
    metrics_->clear();
    roc_->clearCurves();
    pr_->clearCurves();
    summary_->setText(tr("No evaluation yet: it appears when a run finishes (or is stopped after an epoch)."));
    const QSignalBlocker block(outputBox_);
    outputBox_->clear();
    outputBox_->setEnabled(false);
}

void EvaluationView::setEvaluation(const Evaluation& evaluation, const ml::ClassificationReport& report) {
    evaluation_ = evaluation;
    report_ = report;
    output_ = 0;
    metrics_->setReport(report);
    std::vector<double> auc;
    for (const auto& c : report.perClass) auc.push_back(c.rocAuc);
    std::vector<double> ap;
    for (const auto& c : report.perClass) ap.push_back(c.prAuc);
    roc_->setEvaluation(evaluation, auc);
    pr_->setEvaluation(evaluation, ap);
    {
        const QSignalBlocker block(outputBox_);
        outputBox_->clear();
        if (evaluation.kind == TaskKind::SingleLabel) {
            outputBox_->addItem(tr("all classes"));
            outputBox_->setEnabled(false);
        } else {
            outputBox_->addItems(evaluation.labels);
            outputBox_->setEnabled(evaluation.labels.size() > 1);
        }
    }
    summary_->setText(tr("%1: %2 clips · accuracy %3 · balanced accuracy %4 · macro-F1 %5")
                          .arg(evaluation.heading.isEmpty() ? tr("%1 split").arg(evaluation.split) : evaluation.heading)
                          .arg(evaluation.clips.size())
                          .arg(report.accuracy, 0, 'f', 3)
                          .arg(report.balancedAccuracy, 0, 'f', 3)
                          .arg(report.macroF1, 0, 'f', 3));
    rebuildMatrix();
}

void EvaluationView::setOutput(int output) {
    if (output < 0 || (output >= evaluation_.labels.size() && evaluation_.kind != TaskKind::SingleLabel)) return;
    output_ = evaluation_.kind == TaskKind::SingleLabel ? 0 : output;
    if (outputBox_->currentIndex() != output_ && output_ < outputBox_->count()) {
        const QSignalBlocker block(outputBox_);
        outputBox_->setCurrentIndex(output_);
    }
    rebuildMatrix();
}

void EvaluationView::rebuildMatrix() {
    ConfusionSlice slice = confusionSlice(evaluation_, output_);
    cellOfClip_ = slice.cellOfClip;
    matrix_->setMatrix(slice.labels, slice.counts);
    clips_->clear();
    listed_.clear();
    cellTitle_->setText(tr("Click a cell of the matrix to list its clips"));
}

void EvaluationView::showCell(int t, int p) {
    const QStringList& labels = matrix_->labels();
    if (t < 0 || p < 0 || t >= labels.size() || p >= labels.size()) return;
    listed_.clear();
    clips_->clear();
    for (std::size_t i = 0; i < cellOfClip_.size(); ++i)
        if (cellOfClip_[i].y() == t && cellOfClip_[i].x() == p) listed_.push_back(int(i));
    const bool single = evaluation_.kind == TaskKind::SingleLabel;
    // Most confident mistakes (or hits) first: those are the ones worth hearing.
    const int scoreOutput = single ? p : output_;
    std::stable_sort(listed_.begin(), listed_.end(), [&](int a, int b) {
        const auto& pa = evaluation_.clips[std::size_t(a)].probabilities;
        const auto& pb = evaluation_.clips[std::size_t(b)].probabilities;
        const float sa = std::size_t(scoreOutput) < pa.size() ? pa[std::size_t(scoreOutput)] : 0.f;
        const float sb = std::size_t(scoreOutput) < pb.size() ? pb[std::size_t(scoreOutput)] : 0.f;
        return single || p == 1 ? sa > sb : sa < sb;
    });
    for (int i : listed_) {
        const EvaluatedClip& c = evaluation_.clips[std::size_t(i)];
        const float score = std::size_t(scoreOutput) < c.probabilities.size() ? c.probabilities[std::size_t(scoreOutput)] : 0.f;
        auto* item = new QListWidgetItem(QStringLiteral("%1   (p=%2)").arg(c.title).arg(score, 0, 'f', 2));
        item->setToolTip(c.path.isEmpty() ? c.id : c.path);
        item->setData(Qt::UserRole, i);
        clips_->addItem(item);
    }
    cellTitle_->setText(tr("true %1, predicted %2: %n clip(s)", nullptr, int(listed_.size())).arg(labels[t], labels[p]));
}

std::vector<int> EvaluationView::listedClips() const { return listed_; }

void EvaluationView::activateClip(int row) {
    if (row < 0 || std::size_t(row) >= listed_.size()) return;
    const EvaluatedClip& c = evaluation_.clips[std::size_t(listed_[std::size_t(row)])];
    clips_->setCurrentRow(row);
    emit clipActivated(c.path, c.title);
    if (player_ && !c.path.isEmpty()) {
        pendingPlay_ = c.path;
        player_->openFile(c.path);
    }
}

bool EvaluationView::exportMetricsCsv(const QString& path, QString* error) const {
    return writeText(path, metrics_->toCsv(), error);
}

bool EvaluationView::exportPredictionsCsv(const QString& path, QString* error) const {
    QStringList lines;
    QStringList header{"id", "title", "path", "true", "predicted"};
    for (const QString& l : evaluation_.labels) header << QStringLiteral("p_") + l;
    lines << header.join(',');
    auto names = [&](const std::vector<float>& v, bool probabilities) {
        QStringList out;
        if (evaluation_.kind == TaskKind::SingleLabel) {
            if (!v.empty()) out << evaluation_.labels.value(int(std::max_element(v.begin(), v.end()) - v.begin()));
        } else {
            const float cut = probabilities ? evaluation_.threshold : 0.5f;
            for (std::size_t o = 0; o < v.size(); ++o)
                if (v[o] >= cut) out << evaluation_.labels.value(int(o));
        }
        return out.join(';');
    };
    for (const EvaluatedClip& c : evaluation_.clips) {
        QStringList row{csvField(c.id), csvField(c.title), csvField(c.path), csvField(names(c.target, false)),
                        csvField(names(c.probabilities, true))};
        for (float p : c.probabilities) row << QString::number(p, 'g', 6);
        lines << row.join(',');
    }
    return writeText(path, lines.join('\n') + '\n', error);
}

void EvaluationView::exportWithDialog(bool predictions) {
    const QString path = QFileDialog::getSaveFileName(this, predictions ? tr("Export predictions") : tr("Export metrics"),
                                                      predictions ? "predictions.csv" : "metrics.csv", tr("CSV (*.csv)"));
    if (path.isEmpty()) return;
    QString error;
    if (!(predictions ? exportPredictionsCsv(path, &error) : exportMetricsCsv(path, &error)))
        QMessageBox::warning(this, tr("Export failed"), error);
}

}  // namespace sonolab::ui
