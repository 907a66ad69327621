#include "ui/player/AnnotationController.h"

#include "ui/player/AnnotationLayers.h"
#include "ui/player/PlayerWidget.h"

#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>

namespace sonolab::ui {

AnnotationController::AnnotationController(PlayerWidget* player)
    : QObject(player), player_(player), layers_(new AnnotationLayers(this)), layersMenu_(new QMenu(tr("Annotation &Layers"))) {
    auto* import = new QAction(tr("&Import Annotations…"), player_);
    connect(import, &QAction::triggered, this, &AnnotationController::importWithDialog);
    fileActions_ = {import, layersMenu_->menuAction()};
    // Queued: a toggle or Remove entry changes the layers while its own action is still emitting, and the rebuild
    // deletes that action.
    connect(layers_, &AnnotationLayers::changed, this, &AnnotationController::rebuildLayersMenu, Qt::QueuedConnection);
    rebuildLayersMenu();
}

AnnotationController::~AnnotationController() { delete layersMenu_; }

QString AnnotationController::fileFilter() {
    return tr("Annotation files (*.txt *.csv *.tsv *.jams *.onsets);;Audacity labels (*.txt);;"
              "Sonic Visualiser CSV (*.csv *.tsv);;JAMS (*.jams);;Onsets (*.onsets);;All files (*)");
}

void AnnotationController::documentOpened(const QString& path) {
    file_ = path;
    layers_->clear();
}

bool AnnotationController::importFile(const QString& path) {
    if (file_.isEmpty()) {
        emit statusMessage(tr("Open a track to import annotations over it."));
        return false;
    }
    try {
        const int added = layers_->importFile(path);
        emit statusMessage(tr("%1: %2 layer(s) imported").arg(QFileInfo(path).fileName()).arg(added));
        return true;
    } catch (const std::exception& e) {
        emit statusMessage(tr("Annotations not imported: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
}

void AnnotationController::importWithDialog() {
    const QString dir = file_.isEmpty() ? QString() : QFileInfo(file_).absolutePath();
    const QString path = QFileDialog::getOpenFileName(player_, tr("Import Annotations"), dir, fileFilter());
    if (!path.isEmpty()) importFile(path);
}

void AnnotationController::rebuildLayersMenu() {
    layersMenu_->clear();
    const auto& layers = layers_->layers();
    layersMenu_->setEnabled(!layers.empty());
    for (int i = 0; i < int(layers.size()); ++i) {
        const auto& layer = layers[std::size_t(i)];
        QAction* show = layersMenu_->addAction(
            tr("%1 (%2 events)").arg(layer.name).arg(layer.annotation.events.size()));
        show->setCheckable(true);
        show->setChecked(layer.visible);
        connect(show, &QAction::toggled, layers_, [this, i](bool on) { layers_->setVisible(i, on); });
    }
    if (layers.empty()) return;
    layersMenu_->addSeparator();
    QMenu* remove = layersMenu_->addMenu(tr("Remove"));
    for (int i = 0; i < int(layers.size()); ++i)
        remove->addAction(layers[std::size_t(i)].name, layers_, [this, i] { layers_->remove(i); });
    layersMenu_->addAction(tr("Remove All"), layers_, &AnnotationLayers::clear);
}

}  // namespace sonolab::ui
