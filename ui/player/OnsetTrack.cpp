#include "ui/player/OnsetTrack.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <cmath>

namespace sonolab::ui {

OnsetTrack::OnsetTrack(QObject* parent) : QObject(parent) {}

void OnsetTrack::setDetection(Detection detection) {
    detection_ = std::move(detection);
    std::sort(detection_.times.begin(), detection_.times.end());
    hasDetection_ = true;
    curveMax_ = 0;
    for (float v : detection_.activation) curveMax_ = std::max(curveMax_, v);
    for (float v : detection_.threshold) curveMax_ = std::max(curveMax_, v);
    emit changed();
}

void OnsetTrack::setAnnotations(std::vector<double> times, const QString& source) {
    annotations_ = std::move(times);
    std::sort(annotations_.begin(), annotations_.end());
    annotationSource_ = source;
    emit changed();
}

void OnsetTrack::clearDetection() {
    detection_ = {};
    hasDetection_ = false;
    curveMax_ = 0;
    emit changed();
}

void OnsetTrack::clear() {
    detection_ = {};
    hasDetection_ = false;
    curveMax_ = 0;
    annotations_.clear();
    annotationSource_.clear();
    emit changed();
}

void OnsetTrack::setMarkersVisible(bool on) {
    if (on == markersVisible_) return;
    markersVisible_ = on;
    emit changed();
}

void OnsetTrack::setCurveVisible(bool on) {
    if (on == curveVisible_) return;
    curveVisible_ = on;
    emit changed();
}

namespace {

// Index of the element of a sorted list nearest to t, or -1 for an empty list.
int nearestIndex(const std::vector<double>& times, double t) {
    if (times.empty()) return -1;
    auto it = std::lower_bound(times.begin(), times.end(), t);
    if (it == times.end()) return int(times.size()) - 1;
    if (it != times.begin() && t - *(it - 1) <= *it - t) --it;
    return int(it - times.begin());
}

}  // namespace

std::optional<OnsetTrack::Hit> OnsetTrack::hit(double seconds, double maxDistance) const {
    std::optional<Hit> best;
    auto consider = [&](const std::vector<double>& times, bool annotation) {
        const int i = nearestIndex(times, seconds);
        if (i < 0) return;
        const double d = std::abs(times[std::size_t(i)] - seconds);
        if (d > maxDistance || (best && d >= std::abs(best->time - seconds))) return;
        best = Hit{times[std::size_t(i)], annotation, i};
    };
    if (hasDetection_ && markersVisible_) consider(detection_.times, false);
    consider(annotations_, true);
    return best;
}

const std::vector<double>& OnsetTrack::navigationTimes() const {
    return hasDetection_ && markersVisible_ && !detection_.times.empty() ? detection_.times : annotations_;
}

std::optional<double> OnsetTrack::next(double seconds) const {
    const auto& times = navigationTimes();
    auto it = std::upper_bound(times.begin(), times.end(), seconds + 1e-3);
    if (it == times.end()) return std::nullopt;
    return *it;
}

std::optional<double> OnsetTrack::previous(double seconds) const {
    const auto& times = navigationTimes();
    auto it = std::lower_bound(times.begin(), times.end(), seconds - 1e-3);
    if (it == times.begin()) return std::nullopt;
    return *(it - 1);
}

QString OnsetTrack::sidecarFor(const QString& audioFile) {
    if (audioFile.isEmpty()) return {};
    const QFileInfo info(audioFile);
    const QString name = info.completeBaseName() + QStringLiteral(".onsets");
    const QString beside = info.dir().filePath(name);
    if (QFileInfo::exists(beside)) return beside;
    QDir parent = info.dir();
    if (parent.dirName() == QStringLiteral("audio") && parent.cdUp()) {
        const QString layout = parent.filePath(QStringLiteral("annotations/onsets/") + name);
        if (QFileInfo::exists(layout)) return layout;
    }
    return {};
}

}  // namespace sonolab::ui
