#pragma once
// Annotation files in the player: File > Import Annotations… reads Audacity labels, Sonic Visualiser CSV, JAMS or
// .onsets into overlay layers (AnnotationLayers) over the waveform and spectrogram; File > Annotation Layers lists
// them to show, hide or remove. Layers belong to the open track: opening another clears them. Created by
// PlayerWidget. GUI thread; slots report failures by statusMessage, never by throwing.
#include <QList>
#include <QObject>
#include <QString>

class QAction;
class QMenu;

namespace sonolab::ui {

class AnnotationLayers;
class PlayerWidget;

class AnnotationController : public QObject {
    Q_OBJECT
public:
    explicit AnnotationController(PlayerWidget* player);
    ~AnnotationController() override;

    AnnotationLayers* layers() const { return layers_; }
    // Import Annotations…, and Annotation Layers (a submenu: one checkable entry per layer, Remove entries).
    QList<QAction*> fileActions() const { return fileActions_; }
    // The file-dialog filter of every annotation format Sonolab reads (also for exports).
    static QString fileFilter();

public slots:
    void documentOpened(const QString& path);
    // False (with a statusMessage) when no track is open or the file cannot be read.
    bool importFile(const QString& path);
    void importWithDialog();

signals:
    void statusMessage(const QString& message);

private:
    void rebuildLayersMenu();

    PlayerWidget* player_;
    AnnotationLayers* layers_;
    QMenu* layersMenu_;  // owned here (a QMenu has no QObject parent that would delete it with the player)
    QList<QAction*> fileActions_;
    QString file_;
};

}  // namespace sonolab::ui
