#pragma once
// Several stored runs side by side: their loss curves and a chosen validation metric overlaid (one colour per run,
// solid = validation, dashed-looking faint = training), and their hyperparameters in one table with the rows that
// differ highlighted, so the reason one run beat another is visible at a glance.
#include "core/library/LibraryTypes.h"

#include <QWidget>

#include <map>
#include <memory>
#include <string>
#include <vector>

class QComboBox;
class QTableWidget;

namespace sonolab::library {
class LibraryDatabase;
}

namespace sonolab::ui {

class LiveChart;

// A stored run's curves by series name (see RunRecorder.h), x = step or epoch.
std::map<std::string, std::vector<QPointF>> loadRunCurves(library::LibraryDatabase& db, library::RunId run);

class RunComparisonView : public QWidget {
    Q_OBJECT
public:
    explicit RunComparisonView(QWidget* parent = nullptr);

    void setDatabase(std::shared_ptr<library::LibraryDatabase> db);
    void showRuns(const std::vector<library::RunId>& runs);
    const std::vector<library::RunId>& runs() const { return runs_; }

    LiveChart* lossChart() const { return loss_; }
    LiveChart* metricChart() const { return metric_; }
    QTableWidget* parameterTable() const { return params_; }
    QComboBox* metricBox() const { return metricBox_; }
    // Rows of the parameter table whose values differ between the shown runs.
    QStringList differingParameters() const;

signals:
    // The library could not be read (the view then shows what it could).
    void errorOccurred(const QString& message);

private:
    void rebuild();

    std::shared_ptr<library::LibraryDatabase> db_;
    std::vector<library::RunId> runs_;
    LiveChart* loss_;
    LiveChart* metric_;
    QComboBox* metricBox_;
    QTableWidget* params_;
};

}  // namespace sonolab::ui
