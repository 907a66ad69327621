#include "ui/player/OnsetController.h"

#include "core/annotations/AnnotationFile.h"
#include "core/onsets/OnsetDataset.h"
#include "ui/playback/PlaybackService.h"
#include "ui/player/OnsetBar.h"
#include "ui/player/OnsetDetectionJob.h"
#include "ui/player/OnsetTrack.h"
#include "ui/player/PlayerWidget.h"

#include <QAction>
#include <QCheckBox>
#include <QFileDialog>
#include <QFileInfo>

namespace sonolab::ui {

namespace {
// "1 onset", "12 onsets" (no translator installed, so no %n plural forms).
QString count(std::size_t n, const QString& one, const QString& many) {
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}
}  // namespace

OnsetController::OnsetController(PlayerWidget* player, OnsetBar* bar)
    : QObject(player), player_(player), bar_(bar), track_(new OnsetTrack(this)), job_(new OnsetDetectionJob(this)) {
    track_->setMarkersVisible(bar_->showOnsets());
    track_->setCurveVisible(bar_->curve());
    clickTip_ = bar_->clickBox()->toolTip();

    connect(bar_, &OnsetBar::showToggled, this, [this](bool on) {
        track_->setMarkersVisible(on);
        if (on && !track_->hasDetection() && !job_->running() && !file_.isEmpty()) detect();
        updateClickTimes();
        updateSummary();
    });
    connect(bar_, &OnsetBar::curveToggled, track_, &OnsetTrack::setCurveVisible);
    connect(bar_, &OnsetBar::detectClicked, this, &OnsetController::detect);
    connect(bar_, &OnsetBar::cancelClicked, this, &OnsetController::cancel);
    connect(bar_, &OnsetBar::exportClicked, this, &OnsetController::exportWithDialog);
    connect(bar_, &OnsetBar::clicksToggled, this, &OnsetController::setClicks);
    connect(bar_, &OnsetBar::methodChanged, this, [this] {
        if (bar_->showOnsets() && !file_.isEmpty()) detect();  // a new method replaces what is shown
    });

    connect(job_, &OnsetDetectionJob::runningChanged, bar_, &OnsetBar::setRunning);
    connect(job_, &OnsetDetectionJob::progress, bar_, &OnsetBar::setProgress);
    connect(job_, &OnsetDetectionJob::finished, this, [this](const QString& file, const OnsetTrack::Detection& d) {
        if (file != file_) return;
        error_.clear();
        track_->setDetection(d);
        updateClickTimes();
        updateSummary();
        emit statusMessage(tr("%1 detected (%2)").arg(count(d.times.size(), tr("onset"), tr("onsets")), d.method));
        emit detectionFinished();
    });
    connect(job_, &OnsetDetectionJob::failed, this, [this](const QString& file, const QString& message) {
        if (file != file_) return;
        error_ = message;
        updateSummary();
        emit statusMessage(tr("Onset detection failed: %1").arg(message));
        emit detectionFinished();
    });
    connect(job_, &OnsetDetectionJob::cancelled, this, [this] {
        updateSummary();
        emit detectionFinished();
    });
    connect(track_, &OnsetTrack::changed, this, &OnsetController::updateSummary);

    auto make = [this](const QString& text, const QKeySequence& key, auto slot) {
        auto* action = new QAction(text, player_);
        if (!key.isEmpty()) action->setShortcut(key);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(action, &QAction::triggered, this, slot);
        player_->addAction(action);
        return action;
    };
    clickAction_ = new QAction(tr("Click on Onsets"), player_);
    clickAction_->setCheckable(true);
    connect(clickAction_, &QAction::toggled, this, &OnsetController::setClicks);
    navigationActions_ = {make(tr("Next Onset"), QKeySequence(Qt::Key_Period), &OnsetController::seekToNext),
                          make(tr("Previous Onset"), QKeySequence(Qt::Key_Comma), &OnsetController::seekToPrevious),
                          clickAction_};
    fileActions_ = {make(tr("Detect Onsets"), {}, &OnsetController::detect),
                    make(tr("Export Onsets…"), {}, &OnsetController::exportWithDialog)};
    updateSummary();
}

bool OnsetController::busy() const { return job_->running(); }

void OnsetController::playbackChanged() {
    const bool available = player_->playbackAvailable();
    bar_->clickBox()->setEnabled(available);
    bar_->clickBox()->setToolTip(available ? clickTip_ : player_->playbackUnavailableReason());
    clickAction_->setEnabled(available);
    if (auto* playback = player_->playback()) {
        playback->setClickTimes(player_, track_->navigationTimes());
        playback->setClicksEnabled(player_, clickAction_->isChecked());
    }
}

void OnsetController::documentOpened(const QString& path) {
    job_->cancel();
    file_ = path;
    error_.clear();
    track_->clear();
    if (path.isEmpty()) {
        updateClickTimes();
        return;
    }
    if (const QString sidecar = OnsetTrack::sidecarFor(path); !sidecar.isEmpty()) loadAnnotations(sidecar);
    if (bar_->showOnsets()) detect();
    updateClickTimes();
    updateSummary();
}

void OnsetController::detect() {
    try {
        detectWith(bar_->method());
    } catch (const std::exception& e) {
        emit statusMessage(QString::fromUtf8(e.what()));
    }
}

void OnsetController::detectWith(const onsets::OnsetMethod& method) {
    if (file_.isEmpty()) {
        emit statusMessage(tr("Open a track to detect its onsets."));
        return;
    }
    if (!bar_->showOnsets()) {
        QSignalBlocker block(bar_);  // detecting means showing; no second detection from the toggle
        bar_->setShowOnsets(true);
        track_->setMarkersVisible(true);
    }
    error_.clear();
    job_->start(file_, method);
    updateSummary();
}

void OnsetController::cancel() {
    job_->cancel();
    updateSummary();
}

void OnsetController::loadAnnotations(const QString& onsetsFile) {
    try {
        auto times = onsets::readOnsetsFile(std::filesystem::path(onsetsFile.toStdU16String()));
        track_->setAnnotations(std::move(times), onsetsFile);
        updateClickTimes();
    } catch (const std::exception& e) {
        emit statusMessage(tr("Annotations not loaded: %1").arg(QString::fromUtf8(e.what())));
    }
}

bool OnsetController::exportTo(const QString& path) {
    if (!track_->hasDetection()) {
        emit statusMessage(tr("No detected onsets to export: detect them first."));
        return false;
    }
    // The format of the extension (.txt Audacity labels, .csv Sonic Visualiser, .jams, .onsets); .onsets otherwise,
    // as before.
    try {
        const std::filesystem::path file(path.toStdU16String());
        const auto format = annotations::formatOfFile(file).value_or(annotations::Format::Onsets);
        annotations::writeAnnotationFile(file, {annotations::instants(track_->detected())}, format,
                                         {.duration = player_->durationSeconds(),
                                          .title = QFileInfo(file_).fileName().toStdString(),
                                          .tools = "Sonolab onsets (" + track_->detection().method.toStdString() + ")"});
    } catch (const std::exception& e) {
        emit statusMessage(tr("Export failed: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
    emit statusMessage(tr("%1 written to %2").arg(count(track_->detected().size(), tr("onset"), tr("onsets")), path));
    return true;
}

void OnsetController::exportWithDialog() {
    if (!track_->hasDetection()) {
        emit statusMessage(tr("No detected onsets to export: detect them first."));
        return;
    }
    // NAME.onsets beside the audio, unless that name holds the annotations (ground truth is not overwritten by default).
    const QFileInfo audio(file_);
    QString suggestion = audio.dir().filePath(audio.completeBaseName() + QStringLiteral(".onsets"));
    if (QFileInfo::exists(suggestion) || !track_->annotationSource().isEmpty()) {
        QString method = track_->detection().method.section(QLatin1Char(':'), 0, 0);
        suggestion = audio.dir().filePath(audio.completeBaseName() + QLatin1Char('.') + method + QStringLiteral(".onsets"));
    }
    const QString path = QFileDialog::getSaveFileName(
        player_, tr("Export Onsets"), suggestion,
        tr("Onsets (*.onsets);;Audacity labels (*.txt);;Sonic Visualiser CSV (*.csv);;JAMS (*.jams);;All files (*)"));
    if (!path.isEmpty()) exportTo(path);
}

void OnsetController::seekToNext() {
    if (auto t = track_->next(player_->positionSeconds())) player_->seek(*t);
}

void OnsetController::seekToPrevious() {
    if (auto t = track_->previous(player_->positionSeconds())) player_->seek(*t);
}

void OnsetController::setClicks(bool on) {
    {
        QSignalBlocker a(clickAction_), b(bar_);
        clickAction_->setChecked(on);
        bar_->setClicks(on);
    }
    if (auto* playback = player_->playback()) playback->setClicksEnabled(player_, on);
    if (on && track_->navigationTimes().empty()) emit statusMessage(tr("No onsets to click on yet: detect them first."));
}

void OnsetController::updateClickTimes() {
    // Clicks follow what navigation steps through: the detected onsets when shown, else the annotations.
    if (auto* playback = player_->playback()) playback->setClickTimes(player_, track_->navigationTimes());
}

void OnsetController::updateSummary() {
    QStringList parts;
    if (job_->running()) parts << tr("detecting…");
    else if (!error_.isEmpty()) parts << tr("detection failed");
    else if (track_->hasDetection() && track_->markersVisible())
        parts << QStringLiteral("%1 (%2)").arg(count(track_->detected().size(), tr("onset"), tr("onsets")),
                                               track_->detection().method.section(QLatin1Char(':'), 0, 0));
    if (!track_->annotations().empty())
        parts << QStringLiteral("%1 (%2)").arg(count(track_->annotations().size(), tr("annotation"), tr("annotations")),
                                               QFileInfo(track_->annotationSource()).fileName());
    bar_->setSummary(parts.join(QStringLiteral("  ·  ")), !error_.isEmpty() && !job_->running());
    if (!error_.isEmpty()) bar_->setToolTip(error_);
}

}  // namespace sonolab::ui
