#pragma once
// Perceptual colour maps for the spectrogram (viridis, magma from matplotlib's design, plus greys), as 256-entry
// lookup tables so that colouring a pixel is one array read on the worker that renders a tile.
#include <QRgb>
#include <QString>

#include <array>
#include <vector>

namespace sonolab::ui {

enum class ColourMapKind { Viridis, Magma, Greys };

class ColourMap {
public:
    explicit ColourMap(ColourMapKind kind = ColourMapKind::Viridis);

    ColourMapKind kind() const { return kind_; }
    // index 0 = quietest, 255 = loudest.
    QRgb at(int index) const { return table_[static_cast<std::size_t>(index)]; }
    // value in [0, 1], clamped.
    QRgb atFraction(float value) const;

    static QString name(ColourMapKind kind);
    static std::vector<ColourMapKind> all();

private:
    ColourMapKind kind_;
    std::array<QRgb, 256> table_{};
};

}  // namespace sonolab::ui
