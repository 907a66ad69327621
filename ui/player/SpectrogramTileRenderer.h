#pragma once
// Renders spectrogram tiles on a worker thread: for each column, one FFT frame centred in the column's time span,
// power in dB relative to a full-scale sine, mapped onto pixel rows of the chosen frequency axis and coloured.
// Zoomed out, columns are spaced wider than the hop (one frame per column, not every frame): a whole-track view of a
// 10-minute file needs about as many FFTs as it has pixels.
#include "ui/player/SampleStore.h"
#include "ui/player/SpectrogramSettings.h"
#include "ui/player/SpectrogramTile.h"

#include <memory>

namespace sonolab::ui {

struct TileRequest {
    SpectrogramSettings settings;
    double columnHop = 512;       // frames between column centres at this zoom level
    std::int64_t firstColumn = 0; // column c spans frames [c * columnHop, (c + 1) * columnHop)
    int height = 256;
};

// Grows whenever more samples are decoded or decoding finishes: a tile older than this may be missing columns.
std::uint64_t dataVersionOf(const SampleStore& samples, bool finished);

// Computes the columns that `previous` lacks (all of them when previous is null) whose samples are decoded now.
// Thread-safe; uses one FFT plan per calling thread.
std::shared_ptr<SpectrogramTile> renderSpectrogramTile(const SampleStore& samples, const TileRequest& request,
                                                       const SpectrogramTile* previous);

}  // namespace sonolab::ui
