#pragma once
// Puts the panels of other areas (library, training dashboard with the onset trainer, similarity browser) into the
// main window and wires them to each other: the one place that knows every area (ordinary includes and links, so a
// renamed panel fails the build instead of silently leaving the app).
namespace sonolab::ui {
class MainWindow;
class PlayerWidget;
}

namespace sonolab::app {

void setUpPanels(ui::MainWindow& window, bool withPlayback);
// A first-time welcome: once the library panel shows tracks (now, or after its import finishes), selects the first
// one and opens it in the player, so the window never starts empty. Does nothing without a library panel.
void openFirstTrackWhenReady(ui::MainWindow& window);
// Whether the file is decoded and the spectrogram has painted every visible tile at the right zoom.
bool viewsComplete(const ui::PlayerWidget& player);

}  // namespace sonolab::app
