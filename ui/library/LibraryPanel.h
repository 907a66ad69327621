#pragma once
// The library panel: a searchable, sortable, multi-select table of the library's tracks, with hand-editable labels
// (undo/redo) and background scans/imports with progress and cancel. Self-contained: the main window docks it and
// connects trackActivated (open in the player) and statusMessage (status bar).
#include "core/library/LibraryDatabase.h"
#include "core/util/Progress.h"
#include "ui/widgets/BackgroundJob.h"

#include <QWidget>

#include <filesystem>
#include <functional>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableView;
class QTimer;
class QUndoStack;

namespace sonolab::ui {

class TrackTableModel;

class LibraryPanel : public QWidget {
    Q_OBJECT
public:
    explicit LibraryPanel(QWidget* parent = nullptr);
    ~LibraryPanel() override;

    // Opens (creating if needed) the library file and shows it: its tracks are read on a worker and arrive with
    // model()->loaded(). Throws sonolab::Error if it cannot be opened.
    void openLibrary(const std::filesystem::path& file);
    std::shared_ptr<library::LibraryDatabase> database() const { return db_; }
    // The demo collection (scripts/make-demo-collection.sh DIR): opens DIR/library.sqlite and, the first time,
    // imports DIR/annotations_final.csv in the background (label set "demo", its folder split and groups).
    // Returns false when DIR has no annotations_final.csv.
    bool openDemo(const QString& demoDir);

    // Background work; each returns false (and does nothing) while another job runs.
    bool startScan(const QString& folder);
    enum class ImportKind { Mtat, Folders, Csv };
    bool startImport(ImportKind kind, const QString& source, const QString& audioRoot = {},
                     const QString& groupColumn = {});
    bool busy() const;
    void cancelJob();

    TrackTableModel* model() const { return model_; }
    QTableView* view() const { return view_; }
    QLineEdit* searchBox() const { return search_; }
    QUndoStack* undoStack() const { return undo_; }
    // The last failure the panel shows under the table ("" when none).
    QString problemText() const;
    // Paths of the selected tracks, in view order.
    QStringList selectedPaths() const;
    // Sets the labels of every selected track (one undo step per track, grouped in one macro).
    void setLabelsOfSelection(const QStringList& labels);
    // How often the panel looks for commits of other programs to its library (sonolab-cli importing or training
    // beside the app); 0 stops looking. Default 1.5 s.
    void setExternalChangeInterval(int milliseconds);

signals:
    void trackActivated(const QString& path);
    void statusMessage(const QString& message);
    void jobProgress(int done, int total, const QString& message);
    void jobFinished(bool ok, const QString& summary);
    // Something the user asked for failed (the library could not be read or written). The panel shows it under
    // the table; the host may show it too (the app's banner).
    void errorOccurred(const QString& message);
    // Another program committed to the open library (new tracks, labels, splits or runs): the table is reading it
    // again (its rows arrive with TrackTableModel::loaded); panels that show the library's runs or spaces read it
    // again.
    void changedElsewhere();

private:
    using Job = std::function<QString(library::LibraryDatabase& db, const Progress& progress)>;
    bool startJob(const QString& title, Job job);
    void finishJob(bool ok, const QString& summary);
    void showError(const QString& message);
    void refreshSplits();
    void activateIndex(const QModelIndex& index);
    void chooseScanFolder();
    void chooseImport();
    void editSelectedLabels();
    void checkExternalChanges();

    std::shared_ptr<library::LibraryDatabase> db_;
    TrackTableModel* model_;
    QTableView* view_;
    QLineEdit* search_;
    QComboBox* splitBox_;
    QPushButton* scanButton_;
    QPushButton* importButton_;
    QPushButton* cancelButton_;
    QProgressBar* progress_;
    QLabel* countLabel_;
    QLabel* problem_;
    QUndoStack* undo_;
    QTimer* externalChanges_;
    std::int64_t seenChangeCount_ = 0;
    BackgroundJob job_;  // last member: its worker ends before the widgets it reports to go
};

}  // namespace sonolab::ui
