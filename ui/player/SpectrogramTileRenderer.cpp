#include "ui/player/SpectrogramTileRenderer.h"

#include "core/dsp/Stft.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

namespace sonolab::ui {

namespace {

// How one pixel row reads the spectrum: the loudest bin when the row spans one bin or more, else interpolated
// between the two bins around the row's centre frequency (the low end of log and mel axes).
struct RowSource {
    int firstBin = 0, lastBin = 0;  // inclusive, when spanning
    float fraction = 0;             // interpolation weight of firstBin + 1
    bool interpolate = false;
};

std::vector<RowSource> rowSources(const FrequencyScale& scale, int height, int nFft, int sampleRate) {
    std::vector<RowSource> rows(static_cast<std::size_t>(height));
    const int maxBin = nFft / 2;
    const double binsPerHz = double(nFft) / sampleRate;
    for (int r = 0; r < height; ++r) {
        double hi = scale.hzAtY(r, height) * binsPerHz;
        double lo = scale.hzAtY(r + 1, height) * binsPerHz;
        auto& row = rows[static_cast<std::size_t>(r)];
        int a = static_cast<int>(std::ceil(lo)), b = static_cast<int>(std::floor(hi));
        if (b >= a && hi - lo >= 1.0) {
            row.firstBin = std::clamp(a, 0, maxBin);
            row.lastBin = std::clamp(b, 0, maxBin);
        } else {
            double centre = std::clamp(scale.hzAtY(r + 0.5, height) * binsPerHz, 0.0, double(maxBin));
            row.interpolate = true;
            row.firstBin = std::min(static_cast<int>(centre), maxBin - 1);
            row.fraction = static_cast<float>(centre - row.firstBin);
        }
    }
    return rows;
}

// One FFT plan per worker thread, rebuilt only when the analysis settings change.
dsp::Stft& threadStft(int nFft, dsp::WindowType window) {
    thread_local std::optional<dsp::Stft> stft;
    if (!stft || stft->params().nFft != nFft || stft->params().window != window)
        stft.emplace(dsp::StftParams{.nFft = nFft, .hop = nFft, .window = window, .center = false});
    return *stft;
}

}  // namespace

std::uint64_t dataVersionOf(const SampleStore& samples, bool finished) {
    return static_cast<std::uint64_t>(samples.decodedFrames()) * 2 + (finished ? 1 : 0);
}

std::shared_ptr<SpectrogramTile> renderSpectrogramTile(const SampleStore& samples, const TileRequest& request,
                                                       const SpectrogramTile* previous) {
    constexpr int kColumns = SpectrogramTile::kColumns;
    const auto& settings = request.settings;
    const int height = std::max(1, request.height);
    const int nFft = settings.nFft;
    const int rate = samples.sampleRate();

    auto tile = std::make_shared<SpectrogramTile>();
    const bool reuse = previous && previous->height() == height;
    if (reuse) {
        *tile = *previous;  // QImage shares its data until written: detach() below copies once
        tile->image.detach();
    } else {
        tile->image = QImage(kColumns, height, QImage::Format_RGB32);
        tile->image.fill(QColor(0, 0, 0));
        tile->levelsDb.assign(static_cast<std::size_t>(kColumns * height), -1000.0f);
        tile->columnValid.assign(kColumns, 0);
        tile->validColumns = 0;
    }
    // Read before rendering: samples that arrive meanwhile make the tile look stale, never fresher than it is.
    const bool finished = samples.finished();
    tile->dataVersion = dataVersionOf(samples, finished);

    auto& stft = threadStft(nFft, settings.window);
    const auto& window = stft.window();
    double windowSum = std::accumulate(window.begin(), window.end(), 0.0);
    // A full-scale sine at a bin centre has power (sum(w) / 2)^2: that is 0 dB.
    const double norm = 4.0 / std::max(1e-12, windowSum * windowSum);
    const FrequencyScale scale = settings.frequencyScale(rate);
    const auto rows = rowSources(scale, height, nFft, rate);
    const ColourMap colours(settings.colours);
    const float floorDb = settings.topDb - settings.rangeDb;
    const float invRange = 1.0f / std::max(1.0f, settings.rangeDb);

    const std::int64_t total = samples.frames();
    std::vector<float> frame(static_cast<std::size_t>(nFft));
    std::vector<float> power(static_cast<std::size_t>(stft.bins()));

    for (int c = 0; c < kColumns; ++c) {
        if (tile->columnValid[static_cast<std::size_t>(c)]) continue;
        double centre = (double(request.firstColumn + c) + 0.5) * request.columnHop;
        std::int64_t start = std::llround(centre) - nFft / 2;
        bool beyondEnd = start >= total || start + nFft <= 0;
        if (beyondEnd && !finished) continue;  // the estimate may be short; wait for the decoder
        if (!beyondEnd && !samples.covered(start, start + nFft)) continue;

        auto* levels = tile->levelsDb.data() + static_cast<std::size_t>(c) * height;
        if (beyondEnd) {
            for (int r = 0; r < height; ++r) tile->image.setPixel(c, r, qRgb(0, 0, 0));
        } else {
            samples.read(start, frame);
            stft.frame(frame, 0, power, false);
            for (int r = 0; r < height; ++r) {
                const auto& src = rows[static_cast<std::size_t>(r)];
                float p;
                if (src.interpolate) {
                    p = power[static_cast<std::size_t>(src.firstBin)] * (1.0f - src.fraction) +
                        power[static_cast<std::size_t>(src.firstBin + 1)] * src.fraction;
                } else {
                    p = power[static_cast<std::size_t>(src.firstBin)];
                    for (int k = src.firstBin + 1; k <= src.lastBin; ++k) p = std::max(p, power[static_cast<std::size_t>(k)]);
                }
                float db = 10.0f * std::log10(static_cast<float>(p * norm) + 1e-20f);
                levels[r] = db;
                reinterpret_cast<QRgb*>(tile->image.scanLine(r))[c] = colours.atFraction((db - floorDb) * invRange);
            }
        }
        tile->columnValid[static_cast<std::size_t>(c)] = 1;
        ++tile->validColumns;
    }
    return tile;
}

}  // namespace sonolab::ui
