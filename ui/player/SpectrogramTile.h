#pragma once
// One rendered strip of the spectrogram: kColumns analysis columns at one zoom level, `height` pixel rows.
// Immutable once published by SpectrogramTileCache; a tile rendered while the file was still decoding is
// re-rendered (only its missing columns) when more samples arrive.
#include <QImage>

#include <cstdint>
#include <vector>

namespace sonolab::ui {

struct SpectrogramTile {
    static constexpr int kColumns = 256;

    QImage image;                 // kColumns x height, RGB32; row 0 = highest frequency
    std::vector<float> levelsDb;  // [column * height + row], for the hover read-out
    std::vector<std::uint8_t> columnValid;
    int validColumns = 0;
    std::uint64_t dataVersion = 0;  // decoded frame count when rendered

    bool complete() const { return validColumns == kColumns; }
    int height() const { return image.height(); }
    std::size_t bytes() const { return static_cast<std::size_t>(image.sizeInBytes()) + levelsDb.size() * sizeof(float) + columnValid.size(); }
    float levelAt(int column, int row) const { return levelsDb[static_cast<std::size_t>(column * height() + row)]; }
};

}  // namespace sonolab::ui
