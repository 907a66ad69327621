#pragma once
// The runs stored in the library: reopen one, resume a stopped or interrupted one from its last checkpoint, rename
// (edit the name in place), delete, and select several to compare their curves and hyperparameters side by side.
#include "core/library/LibraryTypes.h"

#include <QWidget>

#include <memory>
#include <vector>

class QPushButton;
class QTableWidget;

namespace sonolab::library {
class LibraryDatabase;
}

namespace sonolab::ui {

class RunComparisonView;

class RunsList : public QWidget {
    Q_OBJECT
public:
    enum Column { Name, Status, Task, Model, Created, Accuracy, MacroF1, Retrieval, ColumnCount };

    explicit RunsList(QWidget* parent = nullptr);

    void setDatabase(std::shared_ptr<library::LibraryDatabase> db);
    void refresh();

    QTableWidget* table() const { return table_; }
    RunComparisonView* comparison() const { return comparison_; }
    std::vector<library::RunId> runIds() const;  // in table order (newest first)
    std::vector<library::RunId> selectedRuns() const;
    void selectRuns(const std::vector<library::RunId>& runs);

    // A run can be resumed when it stopped (or its process ended while it was preparing or running) and its folder
    // holds a checkpoint; similarity runs cannot (their pipeline starts afresh), nor any while a run trains here.
    bool canResume(library::RunId id) const;
    void setTrainingActive(bool active);
    QPushButton* resumeButton() const { return resume_; }

    bool renameRun(library::RunId id, const QString& name);
    bool deleteRuns(const std::vector<library::RunId>& runs);
    // The Delete button asks first; tests and scripted use turn that off.
    void setConfirmDeletes(bool confirm) { confirmDeletes_ = confirm; }

signals:
    void reopenRequested(qint64 runId);
    void resumeRequested(qint64 runId);
    // The table was read again from the library (a run was added, ended, renamed or deleted).
    void refreshed();
    void errorOccurred(const QString& message);

private:
    void selectionChanged();

    std::shared_ptr<library::LibraryDatabase> db_;
    QTableWidget* table_;
    QPushButton* reopen_;
    QPushButton* resume_;
    QPushButton* rename_;
    QPushButton* delete_;
    RunComparisonView* comparison_;
    bool confirmDeletes_ = true;
    bool trainingActive_ = false;
    std::vector<library::RunId> resumable_;  // filled by refresh()
    bool filling_ = false;
};

}  // namespace sonolab::ui
