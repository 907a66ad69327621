#include "ui/onsets/OnsetEvaluationView.h"

#include "core/util/AtomicFile.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace sonolab::ui {

OnsetEvaluationView::OnsetEvaluationView(QWidget* parent) : QWidget(parent) {
    model_ = new OnsetEvaluationModel(this);
    proxy_ = new OnsetEvaluationSortProxy(this);
    proxy_->setSourceModel(model_);
    proxy_->setSortRole(OnsetEvaluationModel::SortRole);
    table_ = new QTableView;
    table_->setModel(proxy_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(-1, Qt::AscendingOrder);  // data set order until the user clicks a header
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setAlternatingRowColors(true);
    table_->verticalHeader()->setVisible(false);
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
    // Fixed narrow number columns (two-line headers), so both methods fit side by side without scrolling.
    auto* header = table_->horizontalHeader();
    header->setMinimumSectionSize(36);
    header->setSectionResizeMode(QHeaderView::Interactive);
    for (int c = OnsetEvaluationModel::Fold; c < OnsetEvaluationModel::ColumnCount; ++c)
        header->resizeSection(c, c < OnsetEvaluationModel::FluxFirst ? 44 : 52);
    header->setSectionResizeMode(OnsetEvaluationModel::File, QHeaderView::Stretch);
    table_->setToolTip(tr("Double-click a file to open it in the player at its first mistake"));

    headline_ = new QLabel(tr("Train a detector to see how it and spectral flux score on the test files."));
    headline_->setWordWrap(true);
    headline_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* exportButton = new QPushButton(tr("Export CSV…"));
    auto* top = new QHBoxLayout;
    top->addWidget(headline_, 1);
    top->addWidget(exportButton);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(table_, 1);

    connect(table_, &QTableView::doubleClicked, this, &OnsetEvaluationView::activate);
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export onset evaluation"), QStringLiteral("onset-evaluation.csv"));
        if (path.isEmpty()) return;
        QString error;
        if (!exportCsv(path, &error)) QMessageBox::warning(this, tr("Export failed"), error);
    });
}

void OnsetEvaluationView::setRows(std::vector<OnsetFileRow> rows) {
    model_->setRows(std::move(rows));
    headline_->setText(headline());
}

void OnsetEvaluationView::clear() {
    model_->clear();
    headline_->setText(tr("Train a detector to see how it and spectral flux score on the test files."));
}

QString OnsetEvaluationView::headline() const {
    QStringList parts;
    for (bool rnn : {false, true}) {
        if (auto s = model_->summary(rnn))
            parts << tr("%1: F %2 (sum), %3 (mean)")
                         .arg(rnn ? tr("RNN") : tr("Flux"))
                         .arg(s->sum.fmeasure(), 0, 'f', 3)
                         .arg(s->meanFmeasure, 0, 'f', 3);
    }
    if (parts.isEmpty()) return {};
    return tr("%1 test files · %2 · ±25 ms").arg(model_->fileRows()).arg(parts.join(QStringLiteral(" · ")));
}

double OnsetEvaluationView::openPosition(int viewRow) const {
    const QModelIndex source = proxy_->mapToSource(proxy_->index(viewRow, 0));
    if (!source.isValid() || source.row() >= model_->fileRows()) return -1;
    const double t = model_->rows()[std::size_t(source.row())].firstMistake();
    return t < 0 ? 0.0 : std::max(0.0, t - 1.0);
}

void OnsetEvaluationView::activate(const QModelIndex& viewIndex) {
    const QModelIndex source = proxy_->mapToSource(viewIndex);
    if (!source.isValid() || source.row() >= model_->fileRows()) return;  // summary rows open nothing
    emit openFileRequested(model_->rows()[std::size_t(source.row())].path, openPosition(viewIndex.row()));
}

bool OnsetEvaluationView::exportCsv(const QString& path, QString* error) const {
    auto quote = [](QString s) {
        if (s.contains(',') || s.contains('"')) s = '"' + s.replace('"', QStringLiteral("\"\"")) + '"';
        return s;
    };
    QString csv;
    QStringList header;
    for (int c = 0; c < proxy_->columnCount(); ++c)
        header << quote(proxy_->headerData(c, Qt::Horizontal).toString().replace('\n', ' '));
    csv += header.join(',') + '\n';
    for (int r = 0; r < proxy_->rowCount(); ++r) {
        QStringList cells;
        for (int c = 0; c < proxy_->columnCount(); ++c) cells << quote(proxy_->index(r, c).data().toString());
        csv += cells.join(',') + '\n';
    }
    try {
        writeFileAtomically(std::filesystem::path(path.toStdU16String()), csv.toStdString());
        return true;
    } catch (const std::exception& e) {
        if (error) *error = QString::fromUtf8(e.what());
        return false;
    }
}

}  // namespace sonolab::ui
