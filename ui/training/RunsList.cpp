#include "ui/training/RunsList.h"

#include "core/library/LibraryDatabase.h"
#include "core/ml/Trainer.h"
#include "ui/training/RunComparisonView.h"
#include "ui/widgets/Panes.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace sonolab::ui {

namespace {

// The first of `keys` that holds a number; null (an undefined metric) counts as absent, like a missing key.
QString metricText(const QJsonObject& m, const QStringList& keys) {
    for (const QString& k : keys)
        if (m.value(k).isDouble()) return QString::number(m.value(k).toDouble(), 'f', 3);
    return {};
}

}  // namespace

RunsList::RunsList(QWidget* parent) : QWidget(parent) {
    table_ = new QTableWidget(0, ColumnCount);
    table_->setHorizontalHeaderLabels({tr("name"), tr("status"), tr("task"), tr("model"), tr("created"),
                                       tr("accuracy"), tr("macro-F1"), tr("retrieval (P@10 · MAP)")});
    table_->horizontalHeaderItem(Retrieval)
        ->setToolTip(tr("Similarity runs: precision@10 and mean average precision of the learned space on the held-out "
                        "test tracks, own group left out"));
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->verticalHeader()->hide();
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table_->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    table_->setToolTip(tr("Select several runs (Ctrl/Shift-click) to overlay their curves; double-click a name to rename"));
    reopen_ = new QPushButton(tr("Reopen"));
    reopen_->setToolTip(tr("Show the run's curves and settings in the dashboard (the form is filled to train it again)"));
    resume_ = new QPushButton(tr("Resume"));
    resume_->setToolTip(tr("Continue a stopped or interrupted run from its last checkpoint (the end of its last completed "
                           "epoch) with the settings it was started with, up to its number of epochs"));
    rename_ = new QPushButton(tr("Rename"));
    delete_ = new QPushButton(tr("Delete"));
    auto* refreshButton = new QPushButton(tr("Refresh"));
    comparison_ = new RunComparisonView;
    connect(comparison_, &RunComparisonView::errorOccurred, this, &RunsList::errorOccurred);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(reopen_);
    buttons->addWidget(resume_);
    buttons->addWidget(rename_);
    buttons->addWidget(delete_);
    buttons->addStretch(1);
    buttons->addWidget(refreshButton);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitPanes(Qt::Vertical, {{pane({{table_, 1}, buttons}), 1}, {comparison_, 3}}));

    connect(table_, &QTableWidget::itemSelectionChanged, this, &RunsList::selectionChanged);
    connect(table_, &QTableWidget::itemChanged, this, [this](QTableWidgetItem* item) {
        if (filling_ || item->column() != Name) return;
        if (!renameRun(item->data(Qt::UserRole).toLongLong(), item->text())) refresh();
    });
    connect(reopen_, &QPushButton::clicked, this, [this] {
        auto runs = selectedRuns();
        if (!runs.empty()) emit reopenRequested(runs.front());
    });
    connect(resume_, &QPushButton::clicked, this, [this] {
        auto runs = selectedRuns();
        if (runs.size() == 1 && canResume(runs.front())) emit resumeRequested(runs.front());
    });
    connect(table_, &QTableWidget::cellDoubleClicked, this, [this](int row, int column) {
        if (column != Name) emit reopenRequested(table_->item(row, Name)->data(Qt::UserRole).toLongLong());
    });
    connect(rename_, &QPushButton::clicked, this, [this] {
        auto rows = table_->selectionModel()->selectedRows();
        if (!rows.isEmpty()) table_->editItem(table_->item(rows.front().row(), Name));
    });
    connect(delete_, &QPushButton::clicked, this, [this] {
        auto runs = selectedRuns();
        if (runs.empty()) return;
        if (confirmDeletes_ &&
            QMessageBox::question(this, tr("Delete runs"),
                                  tr("Delete %n run(s) and their curves from the library? Run folders on disk are kept.",
                                     nullptr, int(runs.size()))) != QMessageBox::Yes)
            return;
        deleteRuns(runs);
    });
    connect(refreshButton, &QPushButton::clicked, this, &RunsList::refresh);
    selectionChanged();
}

void RunsList::setDatabase(std::shared_ptr<library::LibraryDatabase> db) {
    db_ = std::move(db);
    comparison_->setDatabase(db_);
    refresh();
}

void RunsList::refresh() {
    const auto keep = selectedRuns();
    filling_ = true;
    table_->setRowCount(0);
    resumable_.clear();
    if (db_) {
        try {
            for (const library::RunRecord& r : db_->runs()) {
                const bool ended = r.status == "stopped" || r.status == "running" || r.status == "preparing" || r.status == "paused";
                if (ended && r.task.rfind("siamese:", 0) != 0 && !r.runDir.empty() && ml::Trainer::hasCheckpoint(r.runDir))
                    resumable_.push_back(r.id);
                const int row = table_->rowCount();
                table_->insertRow(row);
                const QJsonObject m = QJsonDocument::fromJson(QByteArray::fromStdString(r.metricsJson)).object();
                const QString created = QDateTime::fromSecsSinceEpoch(r.createdAt).toString("yyyy-MM-dd HH:mm");
                const QStringList cells{QString::fromStdString(r.name), QString::fromStdString(r.status),
                                        QString::fromStdString(r.task), QString::fromStdString(r.model), created,
                                        metricText(m, {"test_accuracy", "validation_accuracy"}),
                                        metricText(m, {"test_macro_f1", "validation_macro_f1"}),
                                        m.value("test_precision_at_10").isDouble()
                                            ? metricText(m, {"test_precision_at_10"}) + QStringLiteral(" · ") +
                                                  metricText(m, {"test_map"})
                                            : QString()};
                for (int c = 0; c < ColumnCount; ++c) {
                    auto* item = new QTableWidgetItem(cells[c]);
                    item->setData(Qt::UserRole, qint64(r.id));
                    if (c != Name) item->setFlags(item->flags() & ~Qt::ItemIsEditable);
                    if (c == Name) item->setToolTip(QString::fromStdString(r.runDir));
                    table_->setItem(row, c, item);
                }
            }
        } catch (const std::exception& e) {
            emit errorOccurred(QString::fromUtf8(e.what()));
        }
    }
    table_->resizeColumnsToContents();
    // Long task and model texts (similarity runs name every class) would push the scores out of view: they elide.
    for (int c : {int(Task), int(Model)})
        if (table_->columnWidth(c) > 220) table_->setColumnWidth(c, 220);
    filling_ = false;
    selectRuns(keep);
    selectionChanged();
    emit refreshed();
}

bool RunsList::canResume(library::RunId id) const {
    return !trainingActive_ && std::find(resumable_.begin(), resumable_.end(), id) != resumable_.end();
}

void RunsList::setTrainingActive(bool active) {
    trainingActive_ = active;
    selectionChanged();
}

std::vector<library::RunId> RunsList::runIds() const {
    std::vector<library::RunId> ids;
    for (int r = 0; r < table_->rowCount(); ++r) ids.push_back(table_->item(r, Name)->data(Qt::UserRole).toLongLong());
    return ids;
}

std::vector<library::RunId> RunsList::selectedRuns() const {
    std::vector<library::RunId> ids;
    for (const QModelIndex& i : table_->selectionModel()->selectedRows())
        ids.push_back(table_->item(i.row(), Name)->data(Qt::UserRole).toLongLong());
    std::sort(ids.begin(), ids.end());
    return ids;
}

void RunsList::selectRuns(const std::vector<library::RunId>& runs) {
    const QSignalBlocker block(table_);
    table_->clearSelection();
    for (int r = 0; r < table_->rowCount(); ++r)
        if (std::find(runs.begin(), runs.end(), table_->item(r, Name)->data(Qt::UserRole).toLongLong()) != runs.end())
            table_->selectionModel()->select(table_->model()->index(r, 0),
                                             QItemSelectionModel::Select | QItemSelectionModel::Rows);
    selectionChanged();
}

bool RunsList::renameRun(library::RunId id, const QString& name) {
    if (!db_ || name.trimmed().isEmpty()) return false;
    try {
        db_->renameRun(id, name.trimmed().toStdString());
    } catch (const std::exception& e) {
        emit errorOccurred(QString::fromUtf8(e.what()));
        return false;
    }
    filling_ = true;
    for (int r = 0; r < table_->rowCount(); ++r)
        if (table_->item(r, Name)->data(Qt::UserRole).toLongLong() == id) table_->item(r, Name)->setText(name.trimmed());
    filling_ = false;
    comparison_->showRuns(comparison_->runs());
    return true;
}

bool RunsList::deleteRuns(const std::vector<library::RunId>& runs) {
    if (!db_) return false;
    bool ok = true;
    for (library::RunId id : runs) {
        try {
            db_->deleteRun(id);
        } catch (const std::exception& e) {
            ok = false;
            emit errorOccurred(QString::fromUtf8(e.what()));
        }
    }
    refresh();
    return ok;
}

void RunsList::selectionChanged() {
    const auto runs = selectedRuns();
    reopen_->setEnabled(runs.size() == 1);
    resume_->setEnabled(runs.size() == 1 && canResume(runs.front()));
    rename_->setEnabled(runs.size() == 1);
    delete_->setEnabled(!runs.empty());
    comparison_->showRuns(runs);
}

}  // namespace sonolab::ui
