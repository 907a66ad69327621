#pragma once
// Shared helpers of the player tests: generated fixture files and reading colours back from grabbed views.
#include "support/TestSupport.h"
#include "ui/player/ColourMap.h"
#include "ui/player/PlayerWidget.h"
#include "ui/player/SpectrogramView.h"

#include <QImage>
#include <QString>
#include <QTest>

#include <filesystem>

namespace sonolab::test {

// A mono 16-bit WAV of a sine, written by the independent test writer (cached per name within a run).
inline QString sineWav(const std::string& name, double hz, double seconds, int rate = 22050, float amplitude = 0.5f) {
    auto dir = std::filesystem::path(freshDir("uiplayer-" + name));
    auto path = dir / (name + ".wav");
    writeWav16(path, sine(hz, seconds, rate, amplitude), rate);
    return QString::fromStdString(path.string());
}

// Shows the player at that size, opens the file and waits until the spectrogram has painted every visible tile.
inline bool openAndRender(ui::PlayerWidget& player, const QString& file, int width, int height) {
    player.resize(width, height);
    player.show();
    player.openFile(file);
    return QTest::qWaitFor([&] { return player.spectrogram()->complete(); }, 15000);
}

// The colour-map index (0..255) nearest to a pixel's colour: turns a grabbed spectrogram back into levels.
inline int colourIndex(const ui::ColourMap& map, QRgb pixel) {
    int best = 0, bestDistance = 1 << 30;
    for (int i = 0; i < 256; ++i) {
        QRgb c = map.at(i);
        int dr = qRed(c) - qRed(pixel), dg = qGreen(c) - qGreen(pixel), db = qBlue(c) - qBlue(pixel);
        int d = dr * dr + dg * dg + db * db;
        if (d < bestDistance) {
            bestDistance = d;
            best = i;
        }
    }
    return best;
}

}  // namespace sonolab::test
