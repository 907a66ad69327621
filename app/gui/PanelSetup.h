#pragma once
// Puts the panels of other areas (library, training dashboard, similarity browser) into the main window, for those
// present in this build.
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
