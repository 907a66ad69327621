#pragma once
// What the desktop app remembers between runs (QSettings, organisation "Sonolab"): spectrogram settings and the
// follow mode. Window geometry and dock layout are saved by MainWindow itself.
#include "ui/player/SpectrogramSettings.h"
#include "ui/player/TransportBar.h"

namespace sonolab::ui {

SpectrogramSettings loadSpectrogramSettings();
void saveSpectrogramSettings(const SpectrogramSettings& settings);
FollowMode loadFollowMode();
void saveFollowMode(FollowMode mode);

}  // namespace sonolab::ui
