#pragma once
// Spectrogram tiles rendered on worker threads and kept in a memory-capped LRU cache.
// request() never blocks: it returns what is cached (possibly a tile still missing columns while the file decodes)
// and queues the rendering of what is missing; tileReady() tells the view to repaint.
// Zoom levels are a ladder of column spacings hop * 2^(level/2), so a view at any zoom draws tiles of the next
// finer level scaled down by at most sqrt(2), and tiles are reused while scrolling and when zooming back.
// GUI thread only (the workers talk to it through queued calls).
// Not a BackgroundJob (ui/widgets): many small tasks ordered by priority and dropped when stale, with no result or
// error for the user to see, want a pool of their own rather than one cancellable job with a result.
#include "ui/player/SampleStore.h"
#include "ui/player/SpectrogramSettings.h"
#include "ui/player/SpectrogramTile.h"

#include <QObject>
#include <QThreadPool>

#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <unordered_map>
#include <unordered_set>

namespace sonolab::ui {

class SpectrogramTileCache : public QObject {
    Q_OBJECT
public:
    explicit SpectrogramTileCache(QObject* parent = nullptr);
    ~SpectrogramTileCache() override;  // waits for running workers

    void setSamples(std::shared_ptr<const SampleStore> samples);
    std::shared_ptr<const SampleStore> samples() const { return samples_; }
    void setSettings(const SpectrogramSettings& settings);
    const SpectrogramSettings& settings() const { return settings_; }
    void setMemoryLimit(std::size_t bytes);
    std::size_t memoryLimit() const { return memoryLimit_; }
    std::size_t memoryUsed() const { return memoryUsed_; }

    static constexpr int kMaxLevel = 40;
    // Frames between column centres at a level.
    static double columnHop(const SpectrogramSettings& settings, int level);
    // Seconds of audio one tile of a level spans.
    static double tileSeconds(const SpectrogramSettings& settings, int level, double sampleRate) {
        return SpectrogramTile::kColumns * columnHop(settings, level) / sampleRate;
    }
    // The coarsest level whose columns are no wider than a pixel (so drawing never stretches more than 1 column/pixel).
    static int levelFor(const SpectrogramSettings& settings, double framesPerPixel);

    std::shared_ptr<const SpectrogramTile> request(int level, std::int64_t index, int height);
    // Looks without queueing anything and without touching the LRU order (for stand-in tiles while waiting).
    std::shared_ptr<const SpectrogramTile> peek(int level, std::int64_t index, int height) const;

    int pendingCount() const { return static_cast<int>(pending_.size()); }
    std::uint64_t tilesRendered() const { return tilesRendered_; }
    void clear();

signals:
    // A tile arrived: the view repaints the columns it covers (the whole view, while a stand-in may show it).
    void tileReady(int level, std::int64_t index, int height);

private:
    struct Key {
        int level;
        std::int64_t index;
        int height;
        bool operator==(const Key&) const = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key& k) const noexcept {
            return std::hash<std::int64_t>()(k.index * 1315423911LL ^ (std::int64_t(k.level) << 48) ^ (std::int64_t(k.height) << 32));
        }
    };
    struct Entry {
        std::shared_ptr<const SpectrogramTile> tile;
        std::list<Key>::iterator lru;
        std::chrono::steady_clock::time_point delivered;
    };
    // A tile still missing columns is rendered again at most this often while the file decodes. Every delivery
    // repaints, and every paint asked again for any tile the decoders had moved past: a loop of re-renders a few
    // columns apart, each copying the tile, that kept a core busy while a long track opened.
    static constexpr std::chrono::milliseconds kPartialRefresh{80};

    void schedule(const Key& key, std::shared_ptr<const SpectrogramTile> previous);
    void delivered(std::uint64_t generation, Key key, std::shared_ptr<const SpectrogramTile> tile);
    void evict();

    std::shared_ptr<const SampleStore> samples_;
    SpectrogramSettings settings_;
    std::size_t memoryLimit_ = 256u << 20;
    std::size_t memoryUsed_ = 0;
    std::uint64_t generation_ = 1;
    std::uint64_t tilesRendered_ = 0;
    int priority_ = 0;
    std::unordered_map<Key, Entry, KeyHash> tiles_;
    std::list<Key> lru_;  // front = most recently used
    std::unordered_set<Key, KeyHash> pending_;
    QThreadPool pool_;
};

}  // namespace sonolab::ui
