#pragma once
// One line that answers "how far, how fast, on what": a progress bar over all batches of the run, the epoch and
// batch, samples per second, the estimated time left, and the device the engine reported.
#include "core/ml/TrainingObserver.h"

#include <QElapsedTimer>
#include <QWidget>

class QLabel;
class QProgressBar;

namespace sonolab::ui {

class TrainingProgressPanel : public QWidget {
    Q_OBJECT
public:
    explicit TrainingProgressPanel(QWidget* parent = nullptr);

    void start(int epochs, const QString& device);
    void setDevice(const QString& device);
    // elapsedSeconds: training time so far, without pauses (the slots measure it themselves).
    void updateFromBatch(const ml::BatchReport& report, double elapsedSeconds);
    void setState(ml::TrainingState state, const QString& message = {});

    QString text() const;
    int percent() const;
    double etaSeconds() const { return eta_; }
    static QString formatDuration(double seconds);

public slots:
    void onBatch(const sonolab::ml::BatchReport& report);
    void onEpoch(const sonolab::ml::EpochReport& report);
    void onStateChanged(sonolab::ml::TrainingState state, const QString& message);

private:
    void refreshText();

    QProgressBar* bar_;
    QLabel* label_;
    QString device_;
    QString stateText_;
    int epochs_ = 0;
    ml::BatchReport last_;
    bool haveBatch_ = false;
    std::int64_t firstStep_ = 0;  // the first step seen in this session (a resumed run starts later)
    double eta_ = -1;
    double lastEpochSeconds_ = 0;
    QElapsedTimer clock_;
    double pausedSeconds_ = 0;
    QElapsedTimer pauseClock_;
};

}  // namespace sonolab::ui
