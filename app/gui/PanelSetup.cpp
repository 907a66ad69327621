#include "PanelSetup.h"

#include "ui/app/MainWindow.h"
#include "ui/library/LibraryPanel.h"
#include "ui/library/TrackTableModel.h"
#include "ui/onsets/OnsetTrainingPanel.h"
#include "ui/player/AudioDocument.h"
#include "ui/player/OnsetBar.h"
#include "ui/player/PlayerWidget.h"
#include "ui/player/SpectrogramView.h"
#include "ui/player/WaveformView.h"
#include "ui/similarity/SimilarityBrowser.h"
#include "ui/training/EvaluationView.h"
#include "ui/training/TrainingDashboard.h"

#include <QDir>
#include <QFileInfo>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QVBoxLayout>

#include <array>
#include <exception>
#include <memory>

namespace sonolab::app {

namespace {

QWidget* emptyPage() {
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    return page;
}

}  // namespace

Panels setUpPanels(ui::MainWindow& window) {
    Panels panels{.library = new ui::LibraryPanel, .training = emptyPage(), .similarity = emptyPage()};
    // The tabs' titles now, so the tab bar does not appear (and move the player down) when their pages fill.
    window.addTab(panels.training, QObject::tr("Training"));
    window.addTab(panels.similarity, QObject::tr("Similarity"));
    auto* library = panels.library;
    window.addPanel(library, QObject::tr("Library"), Qt::LeftDockWidgetArea);
    QObject::connect(library, &ui::LibraryPanel::trackActivated, &window, &ui::MainWindow::openFile);
    QObject::connect(library, &ui::LibraryPanel::statusMessage, &window, [&window](const QString& m) { window.showInfo(m); });
    QObject::connect(library, &ui::LibraryPanel::errorOccurred, &window, &ui::MainWindow::showError);
    return panels;
}

void fillTabs(ui::MainWindow& window, const Panels& panels, bool withPlayback) {
    auto* dashboard = new ui::TrainingDashboard(nullptr, withPlayback);
    panels.training->layout()->addWidget(dashboard);
    dashboard->evaluation()->setPlayback(window.playback());  // clips play through the app's one output
    QObject::connect(dashboard, &ui::TrainingDashboard::statusMessage, &window, [&window](const QString& m) { window.showInfo(m); });
    // The onset detector trains in the Training tab, beside the taggers.
    auto* onsetPanel = new ui::OnsetTrainingPanel;
    dashboard->addMode(onsetPanel, QObject::tr("Onset detector"));
    QObject::connect(onsetPanel, &ui::OnsetTrainingPanel::statusMessage, &window, [&window](const QString& m) { window.showInfo(m); });
    // A newly trained detector becomes the player's RNN method, ready for the Detect button.
    QObject::connect(onsetPanel, &ui::OnsetTrainingPanel::modelReady, &window, [&window](const QString& folder) {
        try {
            window.player()->onsetBar()->setMethod(QStringLiteral("rnn:") + folder);
        } catch (const std::exception& e) {
            window.showError(QString::fromUtf8(e.what()));
        }
    });
    // The onset detector's evaluation table opens a file in the player at its first mistake.
    QObject::connect(onsetPanel, &ui::OnsetTrainingPanel::openFileRequested, &window, [&window](const QString& path, double seconds) {
        window.openFile(path);
        auto* player = window.player();
        if (seconds <= 0) return;
        if (player->document()->isOpen()) return player->seek(seconds);
        auto once = std::make_shared<QMetaObject::Connection>();
        *once = QObject::connect(player->document(), &ui::AudioDocument::opened, player, [player, seconds, once] {
            QObject::disconnect(*once);
            player->seek(seconds);
        });
    });

    auto* browser = new ui::SimilarityBrowser;
    panels.similarity->layout()->addWidget(browser);
    browser->setPlayback(window.playback());
    // The track open in the player (from the library, a file or the command line) is the browser's query.
    QObject::connect(window.player(), &ui::PlayerWidget::fileOpened, browser,
                     [browser](const QString& path) { browser->selectTrackByPath(path); });
    // A finished siamese run's learned space is built and shown in the Similarity tab.
    QObject::connect(dashboard, &ui::TrainingDashboard::similaritySpaceReady, browser, &ui::SimilarityBrowser::requestSpace);
    // Every run with a model is a space to search (a classifier's penultimate layer too): the Space box follows the runs.
    QObject::connect(dashboard, &ui::TrainingDashboard::runsChanged, browser, &ui::SimilarityBrowser::refreshSpaces);

    auto* library = panels.library;
    // One history of label edits: the library panel's and the browser's ("Label as ..."), undone from either; a
    // label the browser writes shows in the library's table too.
    browser->setUndoStack(library->undoStack());
    QObject::connect(browser, &ui::SimilarityBrowser::trackLabelled, library, [library] { library->model()->reload(); });
    // Everyone works on the library the panel has open; tell them again after each import or scan.
    auto share = [=] {
        auto db = library->database();
        if (!db) return;
        dashboard->setLibrary(db);
        browser->setLibrary(db);
    };
    QObject::connect(library, &ui::LibraryPanel::jobFinished, &window, share);
    // sonolab-cli (or another Sonolab) importing or training on the same library: show its tracks and runs.
    QObject::connect(library, &ui::LibraryPanel::changedElsewhere, &window, share);
    window.setFolderHandler([&window, library, share](const QString& folder) {
        try {
            if (!library->openDemo(folder)) {
                // A plain folder of audio: the user's own library, scanned for new files.
                QString dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
                QDir().mkpath(dataDir);
                library->openLibrary(std::filesystem::path((dataDir + QStringLiteral("/library.sqlite")).toStdU16String()));
                library->startScan(folder);
            }
            share();
        } catch (const std::exception& e) {
            window.showError(QObject::tr("Could not open the library for %1: %2").arg(folder, QString::fromUtf8(e.what())));
        }
    });
    share();  // a library opened before the tabs filled
}

void openFirstTrackWhenReady(ui::MainWindow& window) {
    auto* library = window.findChild<ui::LibraryPanel*>();
    if (!library) return;
    auto openFirst = [&window, library] {
        if (library->model()->rowCount() == 0) return false;
        library->view()->selectRow(0);
        const QString path = library->selectedPaths().value(0);
        if (!path.isEmpty()) window.openFile(path);
        return true;
    };
    if (openFirst()) return;
    // The first track is there once the table has read the library (on a worker), or once the demo's import ends.
    auto once = std::make_shared<std::array<QMetaObject::Connection, 2>>();
    auto tryOpen = [once, openFirst] {
        if (!openFirst()) return;
        for (const auto& c : *once) QObject::disconnect(c);
    };
    (*once)[0] = QObject::connect(library->model(), &ui::TrackTableModel::loaded, &window, tryOpen);
    (*once)[1] = QObject::connect(library, &ui::LibraryPanel::jobFinished, &window, [tryOpen](bool ok, const QString&) {
        if (ok) tryOpen();
    });
}

bool viewsComplete(const ui::PlayerWidget& player) {
    const auto* doc = player.document();
    if (!doc->isOpen() || doc->loading()) return doc->hasFailed();
    return player.spectrogram()->complete() && player.waveform()->paintedColumns() > 0;
}

bool similarityComplete(const ui::MainWindow& window) {
    const auto* browser = window.findChild<ui::SimilarityBrowser*>();
    return browser && !browser->currentSpace().isEmpty() && !browser->isBuilding() && !browser->isScoring();
}

}  // namespace sonolab::app
