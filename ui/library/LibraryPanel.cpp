#include "ui/library/LibraryPanel.h"

#include "core/datasets/CollectionStore.h"
#include "core/library/Scanner.h"
#include "core/util/Error.h"
#include "ui/library/TrackTableModel.h"

#include <QAction>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QFileInfo>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QTimer>
#include <QUndoStack>
#include <QVBoxLayout>

namespace sonolab::ui {

LibraryPanel::LibraryPanel(QWidget* parent)
    : QWidget(parent),
      model_(new TrackTableModel(this)),
      view_(new QTableView(this)),
      search_(new QLineEdit(this)),
      splitBox_(new QComboBox(this)),
      scanButton_(new QPushButton(tr("Scan folder…"), this)),
      importButton_(new QPushButton(tr("Import data set…"), this)),
      cancelButton_(new QPushButton(tr("Cancel"), this)),
      progress_(new QProgressBar(this)),
      countLabel_(new QLabel(this)),
      problem_(new QLabel(this)),
      undo_(new QUndoStack(this)) {
    setObjectName(QStringLiteral("LibraryPanel"));
    model_->setUndoStack(undo_);
    connect(model_, &TrackTableModel::errorOccurred, this, &LibraryPanel::showError);

    search_->setPlaceholderText(tr("Search title, artist, labels, path…"));
    search_->setClearButtonEnabled(true);
    connect(search_, &QLineEdit::textChanged, model_, &TrackTableModel::setSearchText);

    view_->setModel(model_);
    view_->setSortingEnabled(true);
    view_->sortByColumn(TrackTableModel::Title, Qt::AscendingOrder);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    // F2 edits the labels cell; double-click and Enter open the track (not the editor).
    view_->setEditTriggers(QAbstractItemView::EditKeyPressed);
    view_->setAlternatingRowColors(true);
    view_->setTextElideMode(Qt::ElideMiddle);  // long paths keep their file name visible
    view_->verticalHeader()->hide();
    view_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    view_->horizontalHeader()->setStretchLastSection(true);
    view_->setColumnWidth(TrackTableModel::Title, 240);
    view_->setColumnWidth(TrackTableModel::Artist, 150);
    view_->setColumnWidth(TrackTableModel::Duration, 70);
    view_->setColumnWidth(TrackTableModel::Labels, 260);
    view_->setColumnWidth(TrackTableModel::Split, 80);
    view_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(view_, &QAbstractItemView::activated, this, &LibraryPanel::activateIndex);
    connect(view_, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
        QMenu menu(this);
        menu.addAction(tr("Open in player"), this, [this] {
            if (view_->currentIndex().isValid()) activateIndex(view_->currentIndex());
        });
        menu.addAction(tr("Set labels of selection…"), this, &LibraryPanel::editSelectedLabels);
        menu.addSeparator();
        menu.addAction(undo_->createUndoAction(&menu));
        menu.addAction(undo_->createRedoAction(&menu));
        menu.exec(view_->viewport()->mapToGlobal(at));
    });

    auto* undoAction = undo_->createUndoAction(this);
    undoAction->setShortcut(QKeySequence::Undo);
    undoAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    auto* redoAction = undo_->createRedoAction(this);
    redoAction->setShortcut(QKeySequence::Redo);
    redoAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(undoAction);
    addAction(redoAction);

    splitBox_->setToolTip(tr("Split shown in the Split column"));
    connect(splitBox_, &QComboBox::currentTextChanged, this, [this](const QString& text) {
        model_->setSplitName(text == tr("(no split)") ? QString() : text);
    });

    cancelButton_->setEnabled(false);
    progress_->setVisible(false);
    progress_->setMaximumWidth(200);
    connect(scanButton_, &QPushButton::clicked, this, &LibraryPanel::chooseScanFolder);
    connect(importButton_, &QPushButton::clicked, this, &LibraryPanel::chooseImport);
    connect(cancelButton_, &QPushButton::clicked, this, &LibraryPanel::cancelJob);
    connect(&job_, &BackgroundJob::progress, this, [this](double done, double total, const QString& text) {
        const int d = static_cast<int>(done), t = static_cast<int>(total);
        progress_->setRange(0, std::max(t, 0));
        progress_->setValue(d);
        emit jobProgress(d, t, text);
    });
    // A finished job reports through finishJob(true, ...) with its summary; these ends never produced one.
    connect(&job_, &BackgroundJob::finished, this, [this](JobEnd end, const QString& error) {
        if (end == JobEnd::Cancelled) finishJob(false, tr("Cancelled: nothing was changed"));
        if (end == JobEnd::Failed) {
            showError(error);
            finishJob(false, error);
        }
    });
    // "N tracks", or "N of M tracks" while a search hides some.
    auto count = [this] {
        const int shown = model_->rowCount(), all = model_->trackCount();
        countLabel_->setText(shown == all ? tr("%n track(s)", "", all) : tr("%1 of %n track(s)", "", all).arg(shown));
    };
    connect(model_, &QAbstractItemModel::modelReset, this, count);
    connect(model_, &QAbstractItemModel::layoutChanged, this, count);

    auto* top = new QHBoxLayout;
    top->addWidget(search_, 1);
    top->addWidget(splitBox_);
    top->addWidget(scanButton_);
    top->addWidget(importButton_);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(countLabel_, 1);
    bottom->addWidget(progress_);
    bottom->addWidget(cancelButton_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(view_, 1);
    layout->addWidget(problem_);
    layout->addLayout(bottom);
    problem_->setWordWrap(true);
    problem_->setStyleSheet(QStringLiteral("color: #b00020;"));
    problem_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    problem_->hide();
    countLabel_->setText(tr("No library open"));
    externalChanges_ = new QTimer(this);
    externalChanges_->setInterval(1500);
    connect(externalChanges_, &QTimer::timeout, this, &LibraryPanel::checkExternalChanges);
}

LibraryPanel::~LibraryPanel() = default;  // job_ cancels and waits for a running scan or import

void LibraryPanel::openLibrary(const std::filesystem::path& file) {
    db_ = std::make_shared<library::LibraryDatabase>(file);
    problem_->hide();
    undo_->clear();
    model_->setDatabase(db_);
    refreshSplits();
    seenChangeCount_ = db_->externalChangeCount();
    if (externalChanges_->interval() > 0) externalChanges_->start();
    const int tracks = static_cast<int>(db_->trackCount());
    if (model_->loading()) countLabel_->setText(tr("Reading %n track(s)…", "", tracks));
    emit statusMessage(tr("Library %1: %n track(s)", "", tracks)
                           .arg(QString::fromStdString(file.string())));
    // Opening upgraded a library of an older Sonolab: say what will happen (tracks hashed again) over the count.
    if (!db_->upgradeNotice().empty()) emit statusMessage(QString::fromStdString(db_->upgradeNotice()));
}

bool LibraryPanel::openDemo(const QString& demoDir) {
    const std::filesystem::path dir = demoDir.toStdString();
    std::error_code ec;
    if (!std::filesystem::exists(dir / "annotations_final.csv", ec)) return false;
    openLibrary(dir / "library.sqlite");
    if (db_->labelSet("demo")) return true;
    const std::filesystem::path annotations = dir / "annotations_final.csv", audio = dir / "audio";
    return startJob(tr("Importing the demo collection"), [=](library::LibraryDatabase& db, const Progress& progress) {
        datasets::MtatOptions options{.audioRoot = audio};
        options.labelSetName = "demo";
        const auto r = datasets::importMtat(db, annotations, options, {.replace = true}, &progress);
        return tr("Demo collection: %1 clips imported").arg(r.clips);
    });
}

void LibraryPanel::refreshSplits() {
    const QString current = splitBox_->currentText();
    QSignalBlocker block(splitBox_);
    splitBox_->clear();
    splitBox_->addItem(tr("(no split)"));
    if (db_) {
        try {
            for (const auto& s : db_->splits()) splitBox_->addItem(QString::fromStdString(s.name));
        } catch (const std::exception& e) {
            showError(tr("Could not read the library's splits: %1").arg(QString::fromUtf8(e.what())));
        }
    }
    int index = splitBox_->findText(current);
    if (index <= 0 && splitBox_->count() > 1) index = 1;  // show a split whenever there is one
    splitBox_->setCurrentIndex(std::max(index, 0));
    model_->setSplitName(splitBox_->currentIndex() > 0 ? splitBox_->currentText() : QString());
}

void LibraryPanel::activateIndex(const QModelIndex& index) {
    const QString path = index.data(TrackTableModel::PathRole).toString();
    if (!path.isEmpty()) emit trackActivated(path);
}

QStringList LibraryPanel::selectedPaths() const {
    QStringList out;
    auto rows = view_->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    for (const auto& index : rows) out << index.data(TrackTableModel::PathRole).toString();
    return out;
}

void LibraryPanel::setLabelsOfSelection(const QStringList& labels) {
    const auto rows = view_->selectionModel()->selectedRows();
    if (rows.isEmpty()) return;
    undo_->beginMacro(tr("Set labels of %n track(s)", "", static_cast<int>(rows.size())));
    for (const auto& index : rows)
        model_->editLabels(index.data(TrackTableModel::TrackIdRole).toLongLong(), labels);
    undo_->endMacro();
}

void LibraryPanel::editSelectedLabels() {
    bool ok = false;
    const QString text = QInputDialog::getText(this, tr("Set labels"),
                                               tr("Labels in '%1' (comma-separated):").arg(model_->editLabelSet()),
                                               QLineEdit::Normal, {}, &ok);
    if (!ok) return;
    QStringList labels;
    for (const auto& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!part.trimmed().isEmpty()) labels << part.trimmed();
    setLabelsOfSelection(labels);
}

void LibraryPanel::chooseScanFolder() {
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Scan a folder of audio files"));
    if (!folder.isEmpty()) startScan(folder);
}

void LibraryPanel::chooseImport() {
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Import labels: MagnaTagAtune annotations_final.csv or a CSV/TSV with a path column"), {},
        tr("Label files (*.csv *.tsv *.txt);;All files (*)"));
    if (file.isEmpty()) return;
    const bool mtat = QFileInfo(file).fileName().startsWith(QStringLiteral("annotations"));
    startImport(mtat ? ImportKind::Mtat : ImportKind::Csv, file);
}

bool LibraryPanel::busy() const { return job_.isRunning(); }

void LibraryPanel::cancelJob() {
    if (!busy()) return;
    job_.cancel();
    emit statusMessage(tr("Cancelling…"));
}

bool LibraryPanel::startScan(const QString& folder) {
    const std::filesystem::path root = folder.toStdString();
    return startJob(tr("Scanning %1").arg(folder), [root](library::LibraryDatabase& db, const Progress& progress) {
        const auto r = library::scanFolder(db, root, {}, &progress);
        return tr("Scan of %1: %2 added, %3 changed, %4 vanished, %5 unreadable")
            .arg(QString::fromStdString(root.string()))
            .arg(r.added)
            .arg(r.changed)
            .arg(r.vanished)
            .arg(r.unreadable.size());
    });
}

bool LibraryPanel::startImport(ImportKind kind, const QString& source, const QString& audioRoot,
                               const QString& groupColumn) {
    const std::filesystem::path path = source.toStdString(), root = audioRoot.toStdString();
    const std::string group = groupColumn.toStdString();
    return startJob(tr("Importing %1").arg(source), [=](library::LibraryDatabase& db, const Progress& progress) {
        datasets::ImportReport r;
        const datasets::StoreOptions store{.replace = true};
        if (kind == ImportKind::Mtat)
            r = datasets::importMtat(db, path, {.audioRoot = root, .groupColumn = group}, store, &progress);
        else if (kind == ImportKind::Folders)
            r = datasets::importClassFolders(db, path, {}, store, &progress);
        else
            r = datasets::importCsv(db, path, {.audioRoot = root, .groupColumn = group}, store, &progress);
        return tr("Imported %1 clips into '%2'").arg(r.clips).arg(QString::fromStdString(r.labelSet));
    });
}

bool LibraryPanel::startJob(const QString& title, Job job) {
    if (busy() || !db_) return false;
    // The worker opens its own connection: in WAL mode the table keeps reading while the job writes.
    job_.start(
        [file = db_->file(), job = std::move(job)](const JobContext& c) {
            // A scan of 100,000 files probes for a minute: below the window, so a click never waits for a core.
            BackgroundJob::runBelowWindow(4);
            library::LibraryDatabase db(file);
            return job(db, c.progress);
        },
        [this](const QString& summary) { finishJob(true, summary); });
    scanButton_->setEnabled(false);
    importButton_->setEnabled(false);
    cancelButton_->setEnabled(true);
    progress_->setRange(0, 0);
    progress_->setVisible(true);
    emit statusMessage(title + QStringLiteral("…"));
    return true;
}

void LibraryPanel::finishJob(bool ok, const QString& summary) {
    scanButton_->setEnabled(true);
    importButton_->setEnabled(true);
    cancelButton_->setEnabled(false);
    progress_->setVisible(false);
    if (ok) {
        model_->reload();  // a failure is shown through the model's errorOccurred
        refreshSplits();
    }
    emit statusMessage(summary);
    emit jobFinished(ok, summary);
}

void LibraryPanel::setExternalChangeInterval(int milliseconds) {
    externalChanges_->setInterval(milliseconds);
    if (milliseconds <= 0) externalChanges_->stop();
    else if (db_) externalChanges_->start();
}

void LibraryPanel::checkExternalChanges() {
    // Our own jobs reload when they finish; while one runs, what changed is ours or will be read then. A read still
    // going sees the change, or the next poll does.
    if (!db_ || busy() || model_->loading()) return;
    try {
        const std::int64_t count = db_->externalChangeCount();
        if (count == seenChangeCount_) return;
        seenChangeCount_ = count;
    } catch (const std::exception& e) {
        externalChanges_->stop();  // one message, not one every interval
        return showError(tr("Could not read the library: %1").arg(QString::fromUtf8(e.what())));
    }
    const int before = model_->trackCount();
    model_->reload();
    refreshSplits();
    // Other connections of this program commit too (features computed for the similarity map, a training run's
    // rows); only tracks coming or going are news, and only another program adds or removes them while no job of
    // this panel runs.
    const auto now = static_cast<int>(db_->trackCount());
    if (now != before) emit statusMessage(tr("Another program changed the library: %n track(s) now", "", now));
    emit changedElsewhere();
}

void LibraryPanel::showError(const QString& message) {
    problem_->setText(message);
    problem_->show();
    emit statusMessage(message);
    emit errorOccurred(message);
}

QString LibraryPanel::problemText() const { return problem_->isHidden() ? QString() : problem_->text(); }

}  // namespace sonolab::ui
