#pragma once
// A training run's curves as both trainers (taggers, onset detector) show them: loss per batch across the top, loss
// per epoch and a validation measure side by side below it. The owner names the axes and feeds the charts.
#include <QWidget>

#include <array>

namespace sonolab::ui {

class LiveChart;

class TrainingCurves : public QWidget {
    Q_OBJECT
public:
    explicit TrainingCurves(QWidget* parent = nullptr);

    LiveChart* batchLoss() const { return batch_; }
    LiveChart* epochLoss() const { return epoch_; }
    LiveChart* validation() const { return validation_; }
    std::array<LiveChart*, 3> charts() const { return {batch_, epoch_, validation_}; }

private:
    LiveChart* batch_;
    LiveChart* epoch_;
    LiveChart* validation_;
};

}  // namespace sonolab::ui
