#include "ui/app/AppSettings.h"

#include <QSettings>

#include <algorithm>

namespace sonolab::ui {

SpectrogramSettings loadSpectrogramSettings() {
    QSettings q;
    SpectrogramSettings s;
    q.beginGroup(QStringLiteral("spectrogram"));
    // Values are checked: a hand-edited or older settings file must not crash the renderer.
    int nFft = q.value("nFft", s.nFft).toInt();
    if (nFft >= 64 && nFft <= 65536 && (nFft & (nFft - 1)) == 0) s.nFft = nFft;
    s.hop = std::clamp(q.value("hop", s.hop).toInt(), 16, 65536);
    s.window = static_cast<dsp::WindowType>(std::clamp(q.value("window", int(s.window)).toInt(), 0, 3));
    s.scale = static_cast<FrequencyScaleKind>(std::clamp(q.value("scale", int(s.scale)).toInt(), 0, 2));
    s.rangeDb = std::clamp(q.value("rangeDb", s.rangeDb).toFloat(), 10.0f, 200.0f);
    s.topDb = std::clamp(q.value("topDb", s.topDb).toFloat(), -100.0f, 20.0f);
    s.colours = static_cast<ColourMapKind>(std::clamp(q.value("colours", int(s.colours)).toInt(), 0, 2));
    q.endGroup();
    return s;
}

void saveSpectrogramSettings(const SpectrogramSettings& s) {
    QSettings q;
    q.beginGroup(QStringLiteral("spectrogram"));
    q.setValue("nFft", s.nFft);
    q.setValue("hop", s.hop);
    q.setValue("window", int(s.window));
    q.setValue("scale", int(s.scale));
    q.setValue("rangeDb", s.rangeDb);
    q.setValue("topDb", s.topDb);
    q.setValue("colours", int(s.colours));
    q.endGroup();
}

FollowMode loadFollowMode() {
    return static_cast<FollowMode>(std::clamp(QSettings().value("followMode", int(FollowMode::Page)).toInt(), 0, 2));
}

void saveFollowMode(FollowMode mode) { QSettings().setValue("followMode", int(mode)); }

}  // namespace sonolab::ui
