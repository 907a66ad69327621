#include "ui/training/TrackPredictionPanel.h"

#include "core/annotations/AnnotationFile.h"
#include "core/audio/AudioDecoder.h"
#include "core/ml/Predictor.h"
#include "core/util/Error.h"
#include "core/pipeline/LibraryTraining.h"
#include "core/pipeline/ModelFeatures.h"
#include "ui/training/PredictionTimeline.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace sonolab::ui {

struct TrackPredictionPanel::Result {
    QString file;
    QStringList labels;
    ml::TrackPrediction prediction;
    double secondsPerFrame = 0;
    double durationSeconds = 0;
};

TrackPredictionPanel::TrackPredictionPanel(QWidget* parent) : QWidget(parent) {
    timeline_ = new PredictionTimeline;
    status_ = new QLabel(tr("No model chosen: train a run or reopen one"));
    status_->setWordWrap(true);
    export_ = new QPushButton(tr("Export…"));
    export_->setToolTip(tr("Write the predictions over time as Audacity labels, a Sonic Visualiser layer or JAMS"));
    export_->setEnabled(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* top = new QHBoxLayout;
    top->addWidget(status_, 1);
    top->addWidget(export_);
    layout->addLayout(top);
    layout->addWidget(timeline_);
    connect(export_, &QPushButton::clicked, this, &TrackPredictionPanel::exportWithDialog);
    connect(timeline_, &PredictionTimeline::seekRequested, this, &TrackPredictionPanel::seekRequested);
    connect(&job_, &BackgroundJob::finished, this, [this](JobEnd end, const QString& error) {
        if (end != JobEnd::Failed) return;
        timeline_->clear();
        status_->setText(tr("Cannot predict %1: %2").arg(QFileInfo(file_).fileName(), error));
        emit predictionFailed(file_, error);
    });
}

TrackPredictionPanel::~TrackPredictionPanel() = default;  // job_ waits for a running prediction

void TrackPredictionPanel::setRun(const std::filesystem::path& runDir) {
    runDir_ = runDir;
    if (!file_.isEmpty()) predictFile(file_);
    else status_->setText(tr("Model: %1. Open a track to see its predictions.")
                              .arg(QString::fromStdString(runDir.filename().string())));
}

void TrackPredictionPanel::predictFile(const QString& path) {
    file_ = path;
    overTime_ = false;
    export_->setEnabled(false);
    if (path.isEmpty() || runDir_.empty()) {
        job_.discard();
        timeline_->clear();
        if (runDir_.empty()) status_->setText(tr("No model chosen: train a run or reopen one"));
        return;
    }
    status_->setText(tr("Predicting %1…").arg(QFileInfo(path).fileName()));
    // A newer request discards the older one (BackgroundJob::start): only the latest file's prediction shows.
    job_.start(
        [runDir = runDir_, cache = cache_, path](const JobContext&) {
            Result r;
            r.file = path;
            ml::Predictor predictor = ml::Predictor::load(runDir);
            const ml::SavedModelInfo& info = predictor.info();
            for (const auto& l : info.task.outputNames()) r.labels << QString::fromStdString(l);
            r.prediction = pipeline::predictFile(predictor, path.toStdString(), cache);
            const auto features = pipeline::ModelFeatures::fromSpecString(info.featureSpec, info.input.frames);
            r.secondsPerFrame = features.summary || features.options.sampleRate <= 0
                                    ? 0.0
                                    : double(features.options.hop) / features.options.sampleRate;
            r.durationSeconds = audio::probe(path.toStdString()).durationSeconds;
            return r;
        },
        [this](const Result& r) { showResult(r); });
}

void TrackPredictionPanel::showResult(const Result& r) {
    duration_ = r.durationSeconds;
    overTime_ = r.secondsPerFrame > 0;
    export_->setEnabled(overTime_);
    if (r.secondsPerFrame > 0) {
        timeline_->setPrediction(r.labels, r.prediction, r.secondsPerFrame);
    } else {
        // A per-track summary model has no time axis: one window over the whole track.
        timeline_->setPredictions(r.labels, {0.0}, 1.0, {r.prediction.probabilities}, r.prediction.probabilities);
    }
    QStringList best;
    for (int i = 0; i < r.labels.size() && std::size_t(i) < r.prediction.probabilities.size(); ++i)
        best << QStringLiteral("%1 %2").arg(r.labels[i]).arg(r.prediction.probabilities[std::size_t(i)], 0, 'f', 2);
    status_->setText(tr("%1 (model %2): %3")
                         .arg(QFileInfo(r.file).fileName(), QString::fromStdString(runDir_.filename().string()),
                              best.join(QStringLiteral(" · "))));
    emit predictionReady(r.file);
}

void TrackPredictionPanel::setCursorSeconds(double seconds) { timeline_->setCursorSeconds(seconds); }
void TrackPredictionPanel::setVisibleRange(double a, double b) { timeline_->setVisibleRange(a, b); }

QString TrackPredictionPanel::statusText() const { return status_->text(); }

bool TrackPredictionPanel::exportTo(const QString& path) {
    if (!overTime_ || file_.isEmpty()) {
        status_->setText(tr("No predictions over time to export: open a track with a model that predicts windows."));
        return false;
    }
    const auto scores = timeline_->scores();
    std::vector<annotations::NamedLayer> layers{{"top", annotations::topLabelSegments(scores, duration_)}};
    for (auto& values : annotations::classValues(scores, duration_))
        layers.push_back({"p " + (values.events.empty() ? std::string() : values.events[0].label), std::move(values)});
    try {
        const std::filesystem::path file(path.toStdU16String());
        const auto format = annotations::formatOfFile(file);
        if (!format) throw fileError(file, "has no annotation extension (.txt, .csv, .jams)");
        const auto written = annotations::writeAnnotationLayers(
            file, layers, *format,
            {.duration = duration_, .title = QFileInfo(file_).fileName().toStdString(),
             .tools = "Sonolab predictions (model " + runDir_.filename().string() + ")"});
        status_->setText(tr("Predictions written to %1 (%2 file(s))").arg(path).arg(written.size()));
        return true;
    } catch (const std::exception& e) {
        status_->setText(tr("Export failed: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
}

void TrackPredictionPanel::exportWithDialog() {
    const QFileInfo audio(file_);
    const QString suggestion = audio.dir().filePath(audio.completeBaseName() + QStringLiteral(".predictions.jams"));
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Predictions"), suggestion,
        tr("JAMS (*.jams);;Audacity labels (*.txt);;Sonic Visualiser CSV (*.csv)"));
    if (!path.isEmpty()) exportTo(path);
}

}  // namespace sonolab::ui
