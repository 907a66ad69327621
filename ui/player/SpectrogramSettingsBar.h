#pragma once
// The spectrogram's controls above the views: window size, hop, window function, frequency axis, dynamic range,
// colour map. Emits the whole settings struct whenever one changes.
#include "ui/player/SpectrogramSettings.h"

#include <QWidget>

class QComboBox;
class QSpinBox;

namespace sonolab::ui {

class SpectrogramSettingsBar : public QWidget {
    Q_OBJECT
public:
    explicit SpectrogramSettingsBar(QWidget* parent = nullptr);

    SpectrogramSettings settings() const;
    void setSettings(const SpectrogramSettings& settings);

signals:
    void settingsChanged(const SpectrogramSettings& settings);

private:
    void changed();

    SpectrogramSettings base_;  // fields without a control keep their value
    QComboBox* nFft_;
    QComboBox* hop_;
    QComboBox* window_;
    QComboBox* scale_;
    QSpinBox* range_;
    QSpinBox* top_;
    QComboBox* colours_;
    bool updating_ = false;
};

}  // namespace sonolab::ui
