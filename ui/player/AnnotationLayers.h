#pragma once
// Annotation files imported over the open track (File > Import Annotations…): each a layer of instants and labelled
// segments, drawn over the waveform and spectrogram (AnnotationLayerOverlay), shown or hidden, removed. Parsing is
// core/annotations' (one reader per format); this model only holds what it read, for the views to observe.
// One per PlayerWidget; cleared when another track is opened. GUI thread only.
#include "core/annotations/Annotation.h"

#include <QColor>
#include <QObject>
#include <QString>

#include <vector>

namespace sonolab::ui {

class AnnotationLayers : public QObject {
    Q_OBJECT
public:
    explicit AnnotationLayers(QObject* parent = nullptr);

    struct Layer {
        QString name;    // "song.jams: tag_open" — the file and, for documents of several, the namespace
        QString source;  // the file it came from
        annotations::Annotation annotation;
        QColor colour;
        bool visible = true;
    };

    // Adds one layer per annotation in the file (JAMS documents may hold several); returns how many. Throws
    // sonolab::Error naming the file for an unreadable or malformed file (nothing is added then).
    int importFile(const QString& path);
    void add(Layer layer);
    void remove(int index);
    void setVisible(int index, bool visible);
    void clear();

    const std::vector<Layer>& layers() const { return layers_; }
    int count() const { return int(layers_.size()); }
    int visibleCount() const;

signals:
    void changed();

private:
    std::vector<Layer> layers_;
    int added_ = 0;  // picks the next colour
};

}  // namespace sonolab::ui
