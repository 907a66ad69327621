#include "ui/player/OnsetDetectionJob.h"

#include <algorithm>
#include <cmath>

namespace sonolab::ui {

OnsetDetectionJob::OnsetDetectionJob(QObject* parent) : QObject(parent) {
    connect(&job_, &BackgroundJob::progress, this, [this](double done, double total, const QString& message) {
        emit progress(total > 0 ? std::clamp(done / total, 0.0, 1.0) : 0.0, message);
    });
    // A detection that finished reports through start()'s onResult, after which this says the run is over.
    connect(&job_, &BackgroundJob::finished, this, [this](JobEnd end, const QString& error) {
        setRunning(false);
        if (end == JobEnd::Cancelled) emit cancelled(file_);
        else if (end == JobEnd::Failed) emit failed(file_, error);
    });
}

OnsetDetectionJob::~OnsetDetectionJob() = default;  // job_ cancels and waits for every worker, discarded ones too

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
    file_ = file;
    const std::filesystem::path path(file.toStdU16String());
    job_.start(
        [path, method](const JobContext& c) {
            const onsets::OnsetDetector detector(method);
            auto d = detector.detect(path, &c.progress);
            c.progress.throwIfCancelled();  // detection after the decode does not poll; drop its result all the same
            OnsetTrack::Detection out;
            out.threshold = thresholdCurve(d, detector.params());
            out.times = std::move(d.times);
            out.activation = std::move(d.activation);
            out.fps = d.fps;
            out.method = QString::fromStdString(d.method);
            return out;
        },
        [this, file](const OnsetTrack::Detection& detection) {
            setRunning(false);
            emit finished(file, detection);
        });
    setRunning(true);
    emit progress(0.0, tr("detecting onsets"));
}

void OnsetDetectionJob::cancel() {
    if (!job_.isRunning()) return;
    job_.discard();  // whatever the worker still returns is dropped
    setRunning(false);
    emit cancelled(file_);
}

void OnsetDetectionJob::setRunning(bool running) {
    if (running == running_) return;
    running_ = running;
    emit runningChanged(running);
}

}  // namespace sonolab::ui
