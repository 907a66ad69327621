#include "ui/training/RunRecorder.h"

#include "core/library/LibraryDatabase.h"
#include "core/pipeline/MetricsJson.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace sonolab::ui {

RunRecorder::RunRecorder(std::shared_ptr<library::LibraryDatabase> db, QObject* parent)
    : QObject(parent), db_(std::move(db)) {}

RunRecorder::~RunRecorder() {
    try {
        flush();
    } catch (...) {
        // Destruction must not throw; whatever could not be written was already reported.
    }
}

void RunRecorder::setDatabase(std::shared_ptr<library::LibraryDatabase> db) {
    flush();
    db_ = std::move(db);
    runId_ = 0;
}

QString RunRecorder::statusText(ml::TrainingState state) {
    return QString::fromUtf8(ml::toString(state).data());
}

void RunRecorder::begin(const RunSettings& settings, library::RunId continuing) {
    pending_.clear();
    metrics_.clear();
    runId_ = 0;
    if (!db_) return;
    try {
        if (continuing) {
            db_->setRunStatus(continuing, "preparing");
            runId_ = continuing;
            emit runUpdated(runId_);
            return;
        }
        library::RunRecord record;
        record.name = settings.name.toStdString();
        record.task = settings.task.toStdString();
        record.model = settings.model.toStdString();
        record.settingsJson = QJsonDocument(settings.toJson()).toJson(QJsonDocument::Compact).toStdString();
        record.status = "preparing";
        record.runDir = settings.config.runDir.string();
        runId_ = db_->addRun(record);
        emit runAdded(runId_);
    } catch (const std::exception& e) {
        emit errorOccurred(QString::fromUtf8(e.what()));
    }
}

void RunRecorder::recordBatches(const QList<ml::BatchReport>& reports) {
    if (!runId_) return;
    for (const ml::BatchReport& r : reports)
        if (std::isfinite(r.loss)) pending_.push_back({series::kBatchLoss, r.step, r.loss});
}

void RunRecorder::recordEpoch(const ml::EpochReport& r) {
    if (!runId_) return;
    const std::int64_t epoch = r.epoch + 1;
    pending_.push_back({series::kTrainLoss, epoch, r.trainLoss});
    if (r.validationLoss) pending_.push_back({series::kValidationLoss, epoch, *r.validationLoss});
    pending_.push_back({series::kLearningRate, epoch, r.learningRate});
    for (const auto& [name, value] : r.metrics) {
        // Curves skip undefined values; the metrics row keeps them (as null) like every other writer.
        if (std::isfinite(value)) pending_.push_back({series::kValidationPrefix + name, epoch, value});
        metrics_["validation_" + name] = value;
    }
    metrics_["train_loss"] = r.trainLoss;
    if (r.validationLoss) metrics_["validation_loss"] = *r.validationLoss;
    metrics_["epochs"] = double(epoch);
    flush();
    writeMetrics();
}

void RunRecorder::recordState(ml::TrainingState state, const QString&) {
    if (!runId_ || !db_) return;
    try {
        db_->setRunStatus(runId_, statusText(state).toStdString());
        // A stopped run resumes from its last checkpoint (an epoch's end): the batches after it are trained again.
        if (state == ml::TrainingState::Stopped) pending_.clear();
        if (state == ml::TrainingState::Finished || state == ml::TrainingState::Failed) flush();
        emit runUpdated(runId_);
    } catch (const std::exception& e) {
        emit errorOccurred(QString::fromUtf8(e.what()));
    }
}

void RunRecorder::recordEvaluation(const ml::ClassificationReport& report, const QString& split) {
    if (!runId_) return;
    const std::string prefix = split.toStdString() + "_";
    for (const auto& [name, value] : report.asMap()) metrics_[prefix + name] = value;
    writeMetrics();
}

void RunRecorder::flush() {
    if (!runId_ || !db_ || pending_.empty()) return;
    try {
        db_->appendRunPoints(runId_, pending_);
        pending_.clear();
    } catch (const std::exception& e) {
        pending_.clear();
        emit errorOccurred(QString::fromUtf8(e.what()));
    }
}

void RunRecorder::writeMetrics() {
    if (!runId_ || !db_) return;
    try {
        db_->setRunMetrics(runId_, pipeline::metricsJsonText(metrics_));
        emit runUpdated(runId_);
    } catch (const std::exception& e) {
        emit errorOccurred(QString::fromUtf8(e.what()));
    }
}

}  // namespace sonolab::ui
