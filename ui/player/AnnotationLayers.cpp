#include "ui/player/AnnotationLayers.h"

#include "core/annotations/AnnotationFile.h"

#include <QFileInfo>

#include <algorithm>
#include <array>
#include <filesystem>

namespace sonolab::ui {

namespace {
// Saturated colours away from the onset markers' magenta and white and readable over the colour maps.
constexpr std::array<QRgb, 5> kColours{qRgb(80, 220, 120), qRgb(90, 170, 255), qRgb(255, 200, 60), qRgb(255, 110, 90),
                                       qRgb(180, 140, 255)};
}  // namespace

AnnotationLayers::AnnotationLayers(QObject* parent) : QObject(parent) {}

int AnnotationLayers::importFile(const QString& path) {
    const auto annotations = annotations::readAnnotationFile(std::filesystem::path(path.toStdU16String()));
    const QString file = QFileInfo(path).fileName();
    for (const auto& a : annotations) {
        Layer layer;
        const auto kind = annotations::kindName(a.kind);
        layer.name = annotations.size() > 1
                         ? QStringLiteral("%1: %2").arg(file, QString::fromUtf8(kind.data(), qsizetype(kind.size())))
                         : file;
        layer.source = path;
        layer.annotation = a;
        add(std::move(layer));
    }
    return int(annotations.size());
}

void AnnotationLayers::add(Layer layer) {
    if (!layer.colour.isValid()) layer.colour = QColor::fromRgb(kColours[std::size_t(added_) % kColours.size()]);
    ++added_;
    layers_.push_back(std::move(layer));
    emit changed();
}

void AnnotationLayers::remove(int index) {
    if (index < 0 || index >= count()) return;
    layers_.erase(layers_.begin() + index);
    emit changed();
}

void AnnotationLayers::setVisible(int index, bool visible) {
    if (index < 0 || index >= count() || layers_[std::size_t(index)].visible == visible) return;
    layers_[std::size_t(index)].visible = visible;
    emit changed();
}

void AnnotationLayers::clear() {
    if (layers_.empty()) return;
    layers_.clear();
    added_ = 0;
    emit changed();
}

int AnnotationLayers::visibleCount() const {
    return int(std::count_if(layers_.begin(), layers_.end(), [](const Layer& l) { return l.visible; }));
}

}  // namespace sonolab::ui
