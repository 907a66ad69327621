#pragma once
// The onsets of the open track as the views see them: the detected ones (with the detection function and the
// peak-picking threshold, to draw as curves) and annotations loaded from a .onsets file (ground truth to compare
// with). One per PlayerWidget; cleared when another track is opened. GUI thread only.
#include <QMetaType>
#include <QObject>
#include <QString>

#include <optional>
#include <vector>

namespace sonolab::ui {

class OnsetTrack : public QObject {
    Q_OBJECT
public:
    explicit OnsetTrack(QObject* parent = nullptr);

    struct Detection {
        std::vector<double> times;       // seconds, ascending
        std::vector<float> activation;   // the detection function, frame i at i / fps seconds
        std::vector<float> threshold;    // where peak picking cuts it, per frame (moving average + threshold for flux)
        double fps = 100.0;
        QString method;                  // "flux", "rnn:RUN"
    };
    // A marker under a time: which list it is in and where.
    struct Hit {
        double time = 0;
        bool annotation = false;
        int index = 0;
    };

    void setDetection(Detection detection);
    void setAnnotations(std::vector<double> times, const QString& source);
    void clearDetection();
    void clear();  // both, e.g. when another track is opened

    bool hasDetection() const { return hasDetection_; }
    const Detection& detection() const { return detection_; }
    const std::vector<double>& detected() const { return detection_.times; }
    // Largest value of the activation and threshold curves (the curve's vertical scale, fixed per track).
    float curveMaximum() const { return curveMax_; }
    const std::vector<double>& annotations() const { return annotations_; }
    QString annotationSource() const { return annotationSource_; }

    // Whether the views draw the detected markers and the detection curve (annotations are drawn whenever present).
    bool markersVisible() const { return markersVisible_; }
    bool curveVisible() const { return curveVisible_; }
    void setMarkersVisible(bool on);
    void setCurveVisible(bool on);

    // The visible marker nearest to `seconds`, if one lies within maxDistance seconds.
    std::optional<Hit> hit(double seconds, double maxDistance) const;
    // The onsets keyboard navigation steps through: the detected ones when shown, else the annotations.
    const std::vector<double>& navigationTimes() const;
    // First navigation time after / last before `seconds` (a 1 ms tolerance, so a cursor on an onset moves on).
    std::optional<double> next(double seconds) const;
    std::optional<double> previous(double seconds) const;

    // NAME.onsets beside the audio file, else the ISMIR 2012 layout's DIR/annotations/onsets/NAME.onsets for
    // DIR/audio/NAME.ext; empty when neither exists.
    static QString sidecarFor(const QString& audioFile);

signals:
    void changed();

private:
    Detection detection_;
    bool hasDetection_ = false;
    float curveMax_ = 0;
    std::vector<double> annotations_;
    QString annotationSource_;
    bool markersVisible_ = true;
    bool curveVisible_ = true;
};

}  // namespace sonolab::ui

Q_DECLARE_METATYPE(sonolab::ui::OnsetTrack::Detection)
