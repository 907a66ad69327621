#include "ui/widgets/TrainingProgressPanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>

#include <algorithm>
#include <cmath>

namespace sonolab::ui {

TrainingProgressPanel::TrainingProgressPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    bar_ = new QProgressBar;
    bar_->setRange(0, 1000);
    bar_->setValue(0);
    bar_->setTextVisible(true);
    bar_->setFormat(QStringLiteral("%p%"));
    bar_->setMaximumWidth(260);
    label_ = new QLabel(tr("Idle"));
    label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A long state message is cut at the panel's edge (the tooltip has all of it) instead of widening the window.
    label_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    layout->addWidget(bar_);
    layout->addWidget(label_, 1);
}

QString TrainingProgressPanel::formatDuration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return QStringLiteral("–");
    const long s = std::lround(seconds);
    if (s >= 3600) return QStringLiteral("%1:%2:%3").arg(s / 3600).arg(s / 60 % 60, 2, 10, QChar('0')).arg(s % 60, 2, 10, QChar('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
}

void TrainingProgressPanel::start(int epochs, const QString& device) {
    epochs_ = epochs;
    device_ = device;
    haveBatch_ = false;
    eta_ = -1;
    pausedSeconds_ = 0;
    stateText_ = tr("preparing");
    clock_.start();
    bar_->setValue(0);
    refreshText();
}

void TrainingProgressPanel::setDevice(const QString& device) {
    device_ = device;
    refreshText();
}

void TrainingProgressPanel::updateFromBatch(const ml::BatchReport& r, double elapsed) {
    if (!haveBatch_) firstStep_ = r.step;
    last_ = r;
    haveBatch_ = true;
    const double total = double(std::max(1, epochs_)) * std::max(1, r.batches);
    const double done = double(r.epoch) * r.batches + r.batch + 1;
    const double fraction = std::clamp(done / total, 0.0, 1.0);
    bar_->setValue(int(std::lround(fraction * 1000)));
    // Elapsed time per batch so far predicts the rest; a resumed run counts only the batches done in this session.
    const double doneHere = double(r.step - firstStep_ + 1);
    eta_ = elapsed > 0 && doneHere > 0 ? elapsed / doneHere * (total - done) : -1;
    refreshText();
}

void TrainingProgressPanel::setState(ml::TrainingState state, const QString& message) {
    switch (state) {
    case ml::TrainingState::Idle: stateText_ = tr("idle"); break;
    case ml::TrainingState::Preparing: stateText_ = tr("preparing data"); break;
    case ml::TrainingState::Running: stateText_ = tr("training"); break;
    case ml::TrainingState::Paused: stateText_ = tr("paused"); break;
    case ml::TrainingState::Finished: stateText_ = tr("finished"); bar_->setValue(bar_->maximum()); eta_ = 0; break;
    case ml::TrainingState::Stopped: stateText_ = tr("stopped"); break;
    case ml::TrainingState::Failed: stateText_ = tr("failed"); break;
    }
    if (!message.isEmpty()) stateText_ += QStringLiteral(": ") + message;
    refreshText();
}

void TrainingProgressPanel::refreshText() {
    QStringList parts;
    parts << stateText_;
    if (haveBatch_) {
        parts << tr("epoch %1/%2").arg(last_.epoch + 1).arg(epochs_);
        parts << tr("batch %1/%2").arg(last_.batch + 1).arg(last_.batches);
        parts << tr("%1 samples/s").arg(last_.samplesPerSecond, 0, 'f', 0);
        parts << tr("ETA %1").arg(formatDuration(eta_));
    }
    if (!device_.isEmpty()) parts << device_;
    label_->setText(parts.join(QStringLiteral(" · ")));
    label_->setToolTip(label_->text());
}

QString TrainingProgressPanel::text() const { return label_->text(); }
int TrainingProgressPanel::percent() const { return bar_->value() / 10; }

void TrainingProgressPanel::onBatch(const ml::BatchReport& report) {
    double elapsed = clock_.isValid() ? clock_.elapsed() / 1000.0 : 0.0;
    updateFromBatch(report, elapsed - pausedSeconds_);
}

void TrainingProgressPanel::onEpoch(const ml::EpochReport& report) {
    lastEpochSeconds_ = report.seconds;
    refreshText();
}

void TrainingProgressPanel::onStateChanged(ml::TrainingState state, const QString& message) {
    if (state == ml::TrainingState::Paused) pauseClock_.start();
    else if (pauseClock_.isValid()) {
        pausedSeconds_ += pauseClock_.elapsed() / 1000.0;
        pauseClock_.invalidate();
    }
    setState(state, message);
}

}  // namespace sonolab::ui
