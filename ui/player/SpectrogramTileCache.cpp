#include "ui/player/SpectrogramTileCache.h"

#include "ui/player/SpectrogramTileRenderer.h"

#include <QMetaObject>
#include <QRunnable>
#include <QThread>

#include <algorithm>
#include <cmath>

namespace sonolab::ui {

SpectrogramTileCache::SpectrogramTileCache(QObject* parent) : QObject(parent) {
    pool_.setMaxThreadCount(std::max(1, QThread::idealThreadCount()));
}

SpectrogramTileCache::~SpectrogramTileCache() {
    pool_.clear();
    pool_.waitForDone();
}

void SpectrogramTileCache::clear() {
    pool_.clear();  // queued jobs that have not started
    ++generation_;  // results of running ones are dropped when they arrive
    tiles_.clear();
    lru_.clear();
    pending_.clear();
    memoryUsed_ = 0;
}

void SpectrogramTileCache::setSamples(std::shared_ptr<const SampleStore> samples) {
    samples_ = std::move(samples);
    clear();
}

void SpectrogramTileCache::setSettings(const SpectrogramSettings& settings) {
    if (settings == settings_) return;
    settings_ = settings;
    clear();
}

void SpectrogramTileCache::setMemoryLimit(std::size_t bytes) {
    memoryLimit_ = bytes;
    evict();
}

double SpectrogramTileCache::columnHop(const SpectrogramSettings& settings, int level) {
    return settings.hop * std::exp2(level / 2.0);
}

int SpectrogramTileCache::levelFor(const SpectrogramSettings& settings, double framesPerPixel) {
    if (framesPerPixel <= settings.hop) return 0;
    int level = static_cast<int>(std::floor(2.0 * std::log2(framesPerPixel / settings.hop) + 1e-9));
    return std::clamp(level, 0, kMaxLevel);
}

std::shared_ptr<const SpectrogramTile> SpectrogramTileCache::peek(int level, std::int64_t index, int height) const {
    auto it = tiles_.find(Key{level, index, height});
    return it == tiles_.end() ? nullptr : it->second.tile;
}

std::shared_ptr<const SpectrogramTile> SpectrogramTileCache::request(int level, std::int64_t index, int height) {
    if (!samples_ || height <= 0 || index < 0) return nullptr;
    Key key{level, index, height};
    auto it = tiles_.find(key);
    if (it == tiles_.end()) {
        if (!pending_.contains(key)) schedule(key, nullptr);
        return nullptr;
    }
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    const auto& tile = it->second.tile;
    const bool finished = samples_->finished();
    if (!tile->complete() && !pending_.contains(key) && dataVersionOf(*samples_, finished) > tile->dataVersion &&
        (finished || std::chrono::steady_clock::now() - it->second.delivered >= kPartialRefresh))
        schedule(key, tile);
    return tile;
}

void SpectrogramTileCache::schedule(const Key& key, std::shared_ptr<const SpectrogramTile> previous) {
    pending_.insert(key);
    TileRequest request{.settings = settings_,
                        .columnHop = columnHop(settings_, key.level),
                        .firstColumn = key.index * SpectrogramTile::kColumns,
                        .height = key.height};
    auto job = [this, samples = samples_, request, previous = std::move(previous), generation = generation_, key] {
        std::shared_ptr<const SpectrogramTile> tile = renderSpectrogramTile(*samples, request, previous.get());
        QMetaObject::invokeMethod(this, [this, generation, key, tile] { delivered(generation, key, tile); },
                                  Qt::QueuedConnection);
    };
    // The latest requests (what is on screen now) go first.
    pool_.start(QRunnable::create(std::move(job)), ++priority_);
}

void SpectrogramTileCache::delivered(std::uint64_t generation, Key key, std::shared_ptr<const SpectrogramTile> tile) {
    if (generation != generation_) return;
    pending_.erase(key);
    ++tilesRendered_;
    auto it = tiles_.find(key);
    const auto now = std::chrono::steady_clock::now();
    if (it != tiles_.end()) {
        memoryUsed_ -= it->second.tile->bytes();
        it->second.tile = tile;
        it->second.delivered = now;
        lru_.splice(lru_.begin(), lru_, it->second.lru);
    } else {
        lru_.push_front(key);
        tiles_.emplace(key, Entry{tile, lru_.begin(), now});
    }
    memoryUsed_ += tile->bytes();
    evict();
    emit tileReady(key.level, key.index, key.height);
}

void SpectrogramTileCache::evict() {
    // Never the most recent tile: the view is about to draw it.
    while (memoryUsed_ > memoryLimit_ && lru_.size() > 1) {
        Key victim = lru_.back();
        lru_.pop_back();
        auto it = tiles_.find(victim);
        memoryUsed_ -= it->second.tile->bytes();
        tiles_.erase(it);
    }
}

}  // namespace sonolab::ui
