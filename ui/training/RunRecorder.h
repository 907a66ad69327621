#pragma once
// Stores a dashboard run in the library database as it happens: a runs row (settings JSON, status, metrics JSON)
// and its curves as run_points. Batch losses are buffered and written once per epoch (one transaction), so the
// GUI thread touches the database a few times per epoch, not per batch.
#include "core/library/LibraryTypes.h"
#include "core/ml/Metrics.h"
#include "core/ml/TrainingObserver.h"
#include "ui/training/RunSettings.h"

#include <QList>
#include <QObject>

#include <map>
#include <memory>
#include <vector>

namespace sonolab::library {
class LibraryDatabase;
}

namespace sonolab::ui {

// Series names in run_points. Batch series are indexed by global step, epoch series by epoch number (1-based).
namespace series {
inline constexpr const char* kBatchLoss = "train/batch_loss";
inline constexpr const char* kTrainLoss = "train/loss";
inline constexpr const char* kValidationLoss = "validation/loss";
inline constexpr const char* kLearningRate = "learning_rate";
inline constexpr const char* kValidationPrefix = "validation/";  // + metric name (accuracy, macro_f1, roc_auc, ...)
}  // namespace series

class RunRecorder : public QObject {
    Q_OBJECT
public:
    explicit RunRecorder(std::shared_ptr<library::LibraryDatabase> db, QObject* parent = nullptr);
    ~RunRecorder() override;

    void setDatabase(std::shared_ptr<library::LibraryDatabase> db);
    library::RunId runId() const { return runId_; }

    // Each returns quietly when there is no database; database errors are reported by errorOccurred.
    // continuing: a stored run resumed from its checkpoint goes on in its own row.
    void begin(const RunSettings& settings, library::RunId continuing = 0);
    void recordBatches(const QList<ml::BatchReport>& reports);
    void recordEpoch(const ml::EpochReport& report);
    void recordState(ml::TrainingState state, const QString& message);
    void recordEvaluation(const ml::ClassificationReport& report, const QString& split);
    void flush();

    static QString statusText(ml::TrainingState state);

signals:
    void runAdded(qint64 runId);
    void runUpdated(qint64 runId);
    void errorOccurred(const QString& message);

private:
    void writeMetrics();

    std::shared_ptr<library::LibraryDatabase> db_;
    library::RunId runId_ = 0;
    std::vector<library::RunPoint> pending_;
    std::map<std::string, double> metrics_;
};

}  // namespace sonolab::ui
