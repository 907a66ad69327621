#include "ui/app/MainWindow.h"

#include "ui/app/AppSettings.h"
#include "ui/app/MessageBanner.h"
#include "ui/app/RecentFiles.h"
#include "ui/playback/PlaybackService.h"
#include "ui/player/AnnotationController.h"
#include "ui/player/OnsetController.h"
#include "ui/player/PlayerWidget.h"
#include "ui/player/SpectrogramSettingsBar.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace sonolab::ui {

MainWindow::MainWindow(Options options, QWidget* parent)
    : QMainWindow(parent), options_(options), playback_(new PlaybackService(this, options.playback)) {
    setWindowTitle(QStringLiteral("Sonolab"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/sonolab.svg")));
    setAcceptDrops(true);
    setDockNestingEnabled(true);

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    banner_ = new MessageBanner(central);
    tabs_ = new QTabWidget(central);
    tabs_->setTabBarAutoHide(true);
    tabs_->setDocumentMode(true);
    player_ = new PlayerWidget(tabs_, playback_);
    tabs_->addTab(player_, tr("Player"));
    layout->addWidget(banner_);
    layout->addWidget(tabs_, 1);
    setCentralWidget(central);

    hoverLabel_ = new QLabel(this);
    statusBar()->addPermanentWidget(hoverLabel_);

    player_->setSpectrogramSettings(loadSpectrogramSettings());
    player_->transport()->setFollowMode(loadFollowMode());
    connect(player_->settingsBar(), &SpectrogramSettingsBar::settingsChanged, this, &saveSpectrogramSettings);
    connect(player_->transport(), &TransportBar::followModeChanged, this, &saveFollowMode);
    connect(player_, &PlayerWidget::hoverText, hoverLabel_, &QLabel::setText);
    connect(player_, &PlayerWidget::statusMessage, this, [this](const QString& m) { showInfo(m); });
    connect(player_, &PlayerWidget::fileOpened, this, [this](const QString& path) {
        banner_->hide();
        RecentFiles::add(path);
        rebuildRecentMenu();
        setWindowTitle(QStringLiteral("%1 — Sonolab").arg(QFileInfo(path).fileName()));
        statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(path)), 4000);
        emit fileOpened(path);
    });
    connect(player_, &PlayerWidget::fileFailed, this, [this](const QString& path, const QString& message) {
        // The core message already names the file; add it if it does not.
        QString text = message.contains(path) || message.contains(QFileInfo(path).fileName())
                           ? message
                           : QStringLiteral("%1: %2").arg(path, message);
        showError(tr("Could not open %1").arg(text));
        if (!QFileInfo::exists(path)) {
            RecentFiles::remove(path);
            rebuildRecentMenu();
        }
        setWindowTitle(QStringLiteral("Sonolab"));
    });

    createMenus();
    if (!player_->playbackAvailable() && options_.playback) {
        // Said once, here; the transport bar keeps a small reminder.
        statusBar()->showMessage(tr("Playback unavailable: %1. Everything else works.").arg(player_->playbackUnavailableReason()), 15000);
    }

    // Most of the screen (charts, spectrograms and the map want room), never more than it: on a 1600x1000 screen
    // 1440x900. Every tab fits from about 1300 px wide (the rows wrap), less without the library panel.
    const QSize available = screen() ? screen()->availableGeometry().size() : QSize(1333, 845);
    resize(std::min(available.width(), std::max(1200, available.width() * 9 / 10)),
           std::min(available.height(), std::max(760, available.height() * 9 / 10)));
    if (options_.restoreLayout) {
        QSettings settings;
        restoreGeometry(settings.value("window/geometry").toByteArray());
    }
    player_->setFocus();
}

MainWindow::~MainWindow() = default;

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open…"), this, &MainWindow::openFileDialog);
    open->setShortcut(QKeySequence::Open);
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    file->addSeparator();
    file->addActions(player_->onsets()->fileActions());  // Detect Onsets, Export Onsets…
    file->addActions(player_->annotations()->fileActions());  // Import Annotations…, Annotation Layers
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addActions(player_->viewActions());
    view->addSeparator();
    panelsMenu_ = view->addMenu(tr("&Panels"));
    panelsMenu_->setEnabled(false);

    QMenu* playback = menuBar()->addMenu(tr("&Playback"));
    playback->addActions(player_->transportActions());

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Sonolab"), this, [this] {
        QMessageBox::about(this, tr("About Sonolab"),
                           tr("<b>Sonolab %1</b><p>Explore music with deep learning: listen, see the spectrogram, "
                              "train models and browse a collection by similarity.</p>")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::rebuildRecentMenu() {
    if (!recentMenu_) return;
    recentMenu_->clear();
    const QStringList files = RecentFiles::list();
    for (const QString& path : files) {
        QAction* a = recentMenu_->addAction(QFileInfo(path).fileName(), this, [this, path] { openFile(path); });
        a->setToolTip(path);
        a->setStatusTip(path);
    }
    if (!files.isEmpty()) {
        recentMenu_->addSeparator();
        recentMenu_->addAction(tr("Clear List"), this, [this] {
            RecentFiles::clear();
            rebuildRecentMenu();
        });
    }
    recentMenu_->setEnabled(!files.isEmpty());
}

QDockWidget* MainWindow::addPanel(QWidget* panel, const QString& title, Qt::DockWidgetArea area) {
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(QStringLiteral("dock-") + title);
    dock->setWidget(panel);
    // Tab it with a panel already in that area, so areas do not get crowded.
    QDockWidget* sibling = nullptr;
    for (auto* other : findChildren<QDockWidget*>())
        if (other != dock && dockWidgetArea(other) == area && !other->isFloating()) sibling = other;
    addDockWidget(area, dock);
    if (sibling) tabifyDockWidget(sibling, dock);
    panelsMenu_->addAction(dock->toggleViewAction());
    panelsMenu_->setEnabled(true);
    return dock;
}

int MainWindow::addTab(QWidget* page, const QString& title) { return tabs_->addTab(page, title); }

void MainWindow::showTab(QWidget* page) {
    int index = tabs_->indexOf(page);
    if (index >= 0) tabs_->setCurrentIndex(index);
}

void MainWindow::showError(const QString& message) {
    banner_->showMessage(message, MessageBanner::Kind::Error);
    statusBar()->showMessage(message, 10000);
}

void MainWindow::showInfo(const QString& message, int timeoutMs) { statusBar()->showMessage(message, timeoutMs); }

void MainWindow::openFile(const QString& path) {
    if (path.isEmpty()) return;
    if (QFileInfo(path).isDir()) {
        openFolder(path);
        return;
    }
    tabs_->setCurrentWidget(player_);
    banner_->hide();
    player_->openFile(path);
}

void MainWindow::openFolder(const QString& path) {
    if (folderHandler_) {
        folderHandler_(path);
        return;
    }
    showError(tr("%1 is a folder; opening folders needs the library panel, which this build does not have.").arg(path));
}

void MainWindow::openFileDialog() {
    QString start = RecentFiles::list().value(0);
    QString path = QFileDialog::getOpenFileName(
        this, tr("Open Audio File"), start.isEmpty() ? QString() : QFileInfo(start).absolutePath(),
        tr("Audio (*.wav *.flac *.mp3 *.ogg *.oga *.opus *.m4a *.aac *.aif *.aiff *.it *.s3m *.xm *.mod);;All files (*)"));
    if (!path.isEmpty()) openFile(path);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls()) {
        for (const QUrl& url : event->mimeData()->urls())
            if (url.isLocalFile()) {
                event->acceptProposedAction();
                return;
            }
    }
}

void MainWindow::dropEvent(QDropEvent* event) {
    for (const QUrl& url : event->mimeData()->urls()) {
        if (!url.isLocalFile()) continue;
        openFile(url.toLocalFile());  // the first file; several at once belong in the library
        event->acceptProposedAction();
        return;
    }
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (options_.restoreLayout) QSettings().setValue("window/geometry", saveGeometry());
    QMainWindow::closeEvent(event);
}

}  // namespace sonolab::ui
