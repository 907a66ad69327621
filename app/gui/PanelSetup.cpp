#include "PanelSetup.h"

#include "ui/app/MainWindow.h"
#include "ui/player/AudioDocument.h"
#include "ui/player/PlayerWidget.h"
#include "ui/player/SpectrogramView.h"
#include "ui/player/WaveformView.h"

namespace sonolab::app {

void setUpPanels(ui::MainWindow& window) {
    (void)window;  // panels of other areas are added here as they land
}

bool viewsComplete(const ui::PlayerWidget& player) {
    const auto* doc = player.document();
    if (!doc->isOpen() || doc->loading()) return doc->hasFailed();
    return player.spectrogram()->complete() && player.waveform()->paintedColumns() > 0;
}

}  // namespace sonolab::app
