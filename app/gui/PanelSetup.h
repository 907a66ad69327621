#pragma once
// Puts the panels of other areas (library, training dashboard with the onset trainer, similarity browser) into the
// main window and wires them to each other: the one place that knows every area (ordinary includes and links, so a
// renamed panel fails the build instead of silently leaving the app).
class QWidget;

namespace sonolab::ui {
class LibraryPanel;
class MainWindow;
class PlayerWidget;
}  // namespace sonolab::ui

namespace sonolab::app {

// In two steps, so the window's first paint waits only for what it shows (issue 13): the training dashboard and the
// similarity browser cost ~40 ms of the GUI thread to build and lay out, on tabs not shown at start.
struct Panels {
    ui::LibraryPanel* library;
    QWidget* training;    // the Training tab's page, empty until fillTabs()
    QWidget* similarity;  // the Similarity tab's page, likewise
};
// Before the window is shown: the library dock and the tabs' titles.
Panels setUpPanels(ui::MainWindow& window);
// Once it is painted (or before it is shown, when a tab is to open first): the dashboard with the onset trainer and
// the similarity browser fill their tabs, and every panel is wired to the others.
void fillTabs(ui::MainWindow& window, const Panels& panels, bool withPlayback);
// A first-time welcome: once the library panel shows tracks (now, or after its import finishes), selects the first
// one and opens it in the player, so the window never starts empty. Does nothing without a library panel.
void openFirstTrackWhenReady(ui::MainWindow& window);
// Whether the file is decoded and the spectrogram has painted every visible tile at the right zoom.
bool viewsComplete(const ui::PlayerWidget& player);
// The similarity browser shows a space with its map and score, and builds nothing more (false without a browser).
bool similarityComplete(const ui::MainWindow& window);

}  // namespace sonolab::app
