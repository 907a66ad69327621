#pragma once
// Puts the panels of other areas (library, training dashboard, similarity browser) into the main window, for those
// present in this build.
namespace sonolab::ui {
class MainWindow;
class PlayerWidget;
}

namespace sonolab::app {

void setUpPanels(ui::MainWindow& window, bool withPlayback);
// Whether the file is decoded and the spectrogram has painted every visible tile at the right zoom.
bool viewsComplete(const ui::PlayerWidget& player);

}  // namespace sonolab::app
