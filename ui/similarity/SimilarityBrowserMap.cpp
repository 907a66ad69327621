// SimilarityBrowser, part 2: the map (projection on a worker thread, colours by label set).
#include "ui/similarity/SimilarityBrowser.h"

#include "core/similarity/Projection.h"
#include "ui/similarity/CollectionMap.h"

#include <QComboBox>
#include <QProgressBar>

namespace sonolab::ui {

void SimilarityBrowser::mapComputed(const std::vector<float>& xy) {
    // A different size: the space changed meanwhile. Keep the previous map.
    if (!space_ || xy.empty() || xy.size() != 2 * space_->vectors.rows()) return;
    std::vector<MapPoint> points;
    for (std::size_t r = 0; r < space_->vectors.rows(); ++r) {
        const auto id = space_->vectors.id(r);
        const auto it = tracks_.find(id);
        points.push_back({id, xy[2 * r], xy[2 * r + 1], QString(), describe(id),
                          it != tracks_.end() ? it->second.labels.join(", ") : QString()});
    }
    map_->setPoints(std::move(points));
    map_->setLabels(colourLabels(colourBy_), colourBy_);
    std::vector<std::int64_t> ids;
    for (const auto& n : neighbours_) ids.push_back(n.id);
    map_->setSelection(query_, ids);
    emit mapReady();
}

QStringList SimilarityBrowser::colourChoices() const {
    QStringList out;
    for (int i = 0; i < colourPicker_->count(); ++i) out << colourPicker_->itemText(i);
    return out;
}

void SimilarityBrowser::setColourBy(const QString& labelSet) {
    colourBy_ = labelSet;
    {
        QSignalBlocker block(colourPicker_);
        colourPicker_->setCurrentText(labelSet);
    }
    map_->setLabels(colourLabels(labelSet), labelSet);
    refreshScore();
    refreshSuggestion();
}

std::map<std::int64_t, QString> SimilarityBrowser::colourLabels(const QString& labelSet) const {
    std::map<std::int64_t, QString> out;
    if (labelSet == tr("genre tag")) {
        for (const auto& [id, t] : tracks_)
            if (!t.genre.isEmpty()) out[id] = t.genre;
        return out;
    }
    // Multi-label sets: the least common of a track's labels says most about it ("rock" rather than "music").
    std::map<QString, int> counts;
    for (const auto& [id, t] : tracks_)
        if (auto it = t.labelsBySet.find(labelSet); it != t.labelsBySet.end())
            for (const auto& l : it->second) ++counts[l];
    for (const auto& [id, t] : tracks_) {
        auto it = t.labelsBySet.find(labelSet);
        if (it == t.labelsBySet.end() || it->second.isEmpty()) continue;
        QString best = it->second.front();
        for (const auto& l : it->second)
            if (counts[l] < counts[best] || (counts[l] == counts[best] && l < best)) best = l;
        out[id] = best;
    }
    return out;
}

void SimilarityBrowser::setMapProjection(const QString& projection) {
    projection_ = projection;
    {
        QSignalBlocker block(projectionPicker_);
        projectionPicker_->setCurrentText(projection);
    }
    refreshMap();
}

void SimilarityBrowser::refreshMap() {
    if (!space_) return;
    const bool tsne = projection_ == "t-SNE";
    if (tsne) {
        progress_->setVisible(true);
        progress_->setRange(0, 1000);
    }
    // A newer projection discards the one still running (BackgroundJob::start).
    mapJob_.start(
        [space = space_, tsne](const JobContext& c) {
            const auto points = tsne ? similarity::tsne2d(space->vectors, {}, &c.progress) : similarity::pca2d(space->vectors);
            std::vector<float> xy;
            for (const auto& p : points) {
                xy.push_back(p.x);
                xy.push_back(p.y);
            }
            return xy;
        },
        [this](const std::vector<float>& xy) { mapComputed(xy); });
}

}  // namespace sonolab::ui
