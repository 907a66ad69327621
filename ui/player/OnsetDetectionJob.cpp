#include "ui/player/OnsetDetectionJob.h"

#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>

namespace sonolab::ui {

OnsetDetectionJob::OnsetDetectionJob(QObject* parent) : QObject(parent) {}

OnsetDetectionJob::~OnsetDetectionJob() {
    // Every worker still running (the current one and cancelled ones) ends before this object does: workers post
    // their progress to it.
    cancel_.cancel();
    for (auto* watcher : findChildren<QFutureWatcher<Outcome>*>()) {
        watcher->disconnect(this);
        watcher->waitForFinished();
    }
}

std::vector<float> OnsetDetectionJob::thresholdCurve(const onsets::OnsetDetection& d, const onsets::OnsetDetectorParams& params) {
    std::vector<float> curve(d.activation.size(), d.threshold);
    if (d.method != "flux") return curve;  // the recurrent method's threshold is absolute
    // Flux: a frame counts when it reaches its moving average plus the threshold; the window is placed as the peak
    // picker places it (scipy's uniform_filter origin), with zeros beyond the edges.
    const int pre = params.fluxPeaks.preAvg, post = params.fluxPeaks.postAvg;
    const int length = pre + post + 1;
    if (length <= 1) return curve;
    const int start = -(length / 2) - int(std::floor((pre - post) / 2.0));
    const auto n = std::ptrdiff_t(d.activation.size());
    for (std::ptrdiff_t i = 0; i < n; ++i) {
        double sum = 0;
        for (int k = 0; k < length; ++k) {
            const std::ptrdiff_t j = i + start + k;
            if (j >= 0 && j < n) sum += d.activation[std::size_t(j)];
        }
        curve[std::size_t(i)] = float(sum / length) + d.threshold;
    }
    return curve;
}

void OnsetDetectionJob::start(const QString& file, const onsets::OnsetMethod& method) {
    cancel();
    cancel_ = CancelToken{};
    file_ = file;
    const int generation = ++generation_;
    auto* watcher = new QFutureWatcher<Outcome>(this);
    watcher_ = watcher;
    Progress reporter;
    reporter.cancel = cancel_;
    // Posting to this object from the worker is safe: the destructor waits for every worker.
    reporter.report = [this, generation](double done, double total, const std::string& message) {
        const double fraction = total > 0 ? std::clamp(done / total, 0.0, 1.0) : 0.0;
        const QString text = QString::fromStdString(message);
        QMetaObject::invokeMethod(this, [this, generation, fraction, text] {
            if (generation_ == generation) emit progress(fraction, text);
        }, Qt::QueuedConnection);
    };
    const std::filesystem::path path(file.toStdU16String());
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher, generation, file] {
        watcher->deleteLater();
        if (watcher_ == watcher) watcher_ = nullptr;
        if (generation != generation_) return;  // an earlier run, replaced or cancelled
        setRunning(false);
        Outcome outcome = watcher->result();
        if (outcome.cancelled) emit cancelled(file);
        else if (!outcome.error.isEmpty()) emit failed(file, outcome.error);
        else emit finished(file, outcome.detection);
    });
    watcher->setFuture(QtConcurrent::run([path, method, reporter]() -> Outcome {
        Outcome out;
        try {
            const onsets::OnsetDetector detector(method);
            auto d = detector.detect(path, &reporter);
            reporter.throwIfCancelled();  // detection after the decode does not poll; drop its result all the same
            out.detection.threshold = thresholdCurve(d, detector.params());
            out.detection.times = std::move(d.times);
            out.detection.activation = std::move(d.activation);
            out.detection.fps = d.fps;
            out.detection.method = QString::fromStdString(d.method);
        } catch (const Cancelled&) {
            out.cancelled = true;
        } catch (const std::exception& e) {
            out.error = QString::fromUtf8(e.what());
        }
        return out;
    }));
    setRunning(true);
    emit progress(0.0, tr("detecting onsets"));
}

void OnsetDetectionJob::cancel() {
    if (!running_) return;
    cancel_.cancel();
    ++generation_;  // whatever the worker still returns is dropped
    setRunning(false);
    emit cancelled(file_);
}

void OnsetDetectionJob::setRunning(bool running) {
    if (running == running_) return;
    running_ = running;
    emit runningChanged(running);
}

}  // namespace sonolab::ui
