#pragma once
// Sonolab's main window: the player (spectrogram, waveform, transport) in the centre, panels from other areas
// (library, training dashboard, similarity browser) docked around it or as tabs beside the player, menus, recent
// files, drag and drop, and a banner plus status bar for problems (a bad file never takes the app down).
#include <QMainWindow>

#include <functional>

class QLabel;
class QMenu;
class QTabWidget;

namespace sonolab::ui {

class MessageBanner;
class PlaybackService;
class PlayerWidget;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    struct Options {
        bool playback = true;        // false: never open an audio device (benchmarks, screenshots)
        bool restoreLayout = true;   // false: ignore saved geometry (tests, screenshots)
    };
    explicit MainWindow(QWidget* parent = nullptr) : MainWindow(Options{}, parent) {}
    explicit MainWindow(Options options, QWidget* parent = nullptr);
    ~MainWindow() override;

    PlayerWidget* player() const { return player_; }
    // The app's one audio output: the player and every panel that plays sound go through it.
    PlaybackService* playback() const { return playback_; }
    MessageBanner* banner() const { return banner_; }
    QMenu* panelsMenu() const { return panelsMenu_; }

    // Docks a panel (tabbed with panels already in that area); its visibility is toggled from View > Panels.
    QDockWidget* addPanel(QWidget* panel, const QString& title, Qt::DockWidgetArea area = Qt::LeftDockWidgetArea);
    // Adds a full-size tab beside the player (e.g. the training dashboard); the tab bar appears with the second tab.
    int addTab(QWidget* page, const QString& title);
    void showTab(QWidget* page);

    // Who opens a folder (the library panel, once it exists): --demo DIR, a folder on the command line or dropped.
    void setFolderHandler(std::function<void(const QString&)> handler) { folderHandler_ = std::move(handler); }

    // Status bar and banner, for panels too.
    void showError(const QString& message);
    void showInfo(const QString& message, int timeoutMs = 5000);

public slots:
    // Opens an audio file in the player; a folder goes to the folder handler.
    void openFile(const QString& path);
    void openFolder(const QString& path);
    void openFileDialog();

signals:
    void fileOpened(const QString& path);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void createMenus();
    void rebuildRecentMenu();

    Options options_;
    PlaybackService* playback_;
    PlayerWidget* player_;
    QTabWidget* tabs_;
    MessageBanner* banner_;
    QLabel* hoverLabel_;
    QMenu* recentMenu_ = nullptr;
    QMenu* panelsMenu_ = nullptr;
    std::function<void(const QString&)> folderHandler_;
};

}  // namespace sonolab::ui
