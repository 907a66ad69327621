#pragma once
// The onset controls under the spectrogram settings: show/detect onsets, the method (spectral flux or a trained
// recurrent run folder), Detect, progress with Cancel while detection runs, the detection curve, clicks on onsets
// in playback, export, and a summary ("42 onsets (flux) · 40 annotations"). Only widgets: OnsetController acts.
#include "core/onsets/rnn/OnsetDetector.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QToolButton;

namespace sonolab::ui {

class OnsetBar : public QWidget {
    Q_OBJECT
public:
    explicit OnsetBar(QWidget* parent = nullptr);

    // The chosen method ("flux", or "rnn:RUN" once a run folder was picked).
    onsets::OnsetMethod method() const;
    // Selects "flux" or "rnn:PATH" (adding the run to the list); throws sonolab::Error for other text.
    void setMethod(const QString& text);

    bool showOnsets() const;
    void setShowOnsets(bool on);
    bool curve() const;
    bool clicks() const;
    void setClicks(bool on);

    void setRunning(bool running);
    void setProgress(double fraction, const QString& message);
    void setSummary(const QString& text, bool error = false);
    QString summary() const;

    QCheckBox* showBox() const { return show_; }
    QCheckBox* clickBox() const { return click_; }
    QPushButton* detectButton() const { return detect_; }
    QToolButton* cancelButton() const { return cancel_; }
    QProgressBar* progressBar() const { return progress_; }

signals:
    void showToggled(bool on);
    void curveToggled(bool on);
    void clicksToggled(bool on);
    void methodChanged();
    void detectClicked();
    void cancelClicked();
    void exportClicked();

private:
    void methodActivated(int index);

    QCheckBox* show_;
    QComboBox* method_;
    QPushButton* detect_;
    QProgressBar* progress_;
    QToolButton* cancel_;
    QCheckBox* curve_;
    QCheckBox* click_;
    QToolButton* export_;
    QLabel* summary_;
    int lastMethod_ = 0;
};

}  // namespace sonolab::ui
