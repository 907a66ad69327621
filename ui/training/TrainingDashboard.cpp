#include "ui/training/TrainingDashboard.h"

#include "core/library/LibraryDatabase.h"
#include "core/ml/ModelRuntime.h"
#include "core/ml/SavedModel.h"
#include "core/util/Error.h"
#include "ui/training/CrossValidationPanel.h"
#include "ui/training/EncoderInitBox.h"
#include "ui/training/EvaluationView.h"
#include "ui/training/RunComparisonView.h"
#include "ui/training/RunFolderFollower.h"
#include "ui/training/RunForm.h"
#include "ui/training/RunRecorder.h"
#include "ui/training/RunsList.h"
#include "ui/training/TrainingRunController.h"
#include "ui/widgets/LiveChart.h"
#include "ui/widgets/Panes.h"
#include "ui/widgets/TrainingCurves.h"
#include "ui/widgets/TrainingProgressPanel.h"

#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QSplitter>
#include <QTabWidget>
#include <QTime>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace sonolab::ui {

namespace {

const QStringList kMetricOrder{"accuracy", "balanced_accuracy", "macro_f1", "roc_auc", "pr_auc"};

}  // namespace

TrainingDashboard::TrainingDashboard(QWidget* parent, bool withPlayer) : QWidget(parent) {
    controller_ = new TrainingRunController(this);
    controller_->setJob(libraryRunJob());
    recorder_ = new RunRecorder(nullptr, this);
    follower_ = new RunFolderFollower(this);

    form_ = new RunForm;
    auto* formScroll = new QScrollArea;
    formScroll->setWidget(form_);
    formScroll->setWidgetResizable(true);
    // Wide enough for the form, never scrolled sideways (its fields shrink to the column; RunForm keeps them narrow).
    formScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // A tall column leaves the room below the form empty instead of spreading its rows apart.
    form_->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    formScroll->setMinimumWidth(form_->minimumSizeHint().width() + formScroll->verticalScrollBar()->sizeHint().width() +
                                2 * formScroll->frameWidth());
    start_ = new QPushButton(tr("Start"));
    start_->setToolTip(tr("Train with these settings (on a worker thread: the app stays responsive)"));
    pause_ = new QPushButton(tr("Pause"));
    pause_->setToolTip(tr("Pause at the next batch; press again to resume"));
    stop_ = new QPushButton(tr("Stop"));
    stop_->setToolTip(tr("Stop after the current batch; the last completed epoch's model is kept and evaluated"));
    pretrain_ = new QPushButton(tr("Pretrain on the library…"));
    pretrain_->setToolTip(tr("Self-supervised: teach the model's encoder from every track of the library, labelled or "
                             "not (two crops of a track must match among the others). The run becomes a similarity "
                             "space and a \"Start from\" choice for classifiers"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(start_);
    buttons->addWidget(pause_);
    buttons->addWidget(stop_);
    auto* left = pane({{formScroll, 1}, buttons, pretrain_});

    auto* charts = new TrainingCurves;
    batchChart_ = charts->batchLoss();
    epochChart_ = charts->epochLoss();
    metricsChart_ = charts->validation();
    metricsChart_->setTitle(tr("Validation metrics per epoch"));

    smoothing_ = new QSlider(Qt::Horizontal);
    smoothing_->setRange(0, 999);
    smoothing_->setValue(600);
    smoothing_->setMinimumWidth(120);  // the chart bar's buttons and hint must not squeeze it to its handle
    smoothing_->setToolTip(tr("Smoothing: TensorBoard's debiased exponential moving average (the raw curve stays faint "
                              "behind the smoothed one)"));
    smoothingValue_ = new QLabel;
    logY_ = new QCheckBox(tr("log y"));
    logY_->setToolTip(tr("Logarithmic value axis (non-positive values are hidden)"));
    logX_ = new QCheckBox(tr("log x"));
    logX_->setToolTip(tr("Logarithmic step/epoch axis: early training gets room"));
    auto* exportButton = new QToolButton;
    exportButton->setText(tr("Export…"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto* exportMenu = new QMenu(exportButton);
    exportButton->setMenu(exportMenu);
    for (auto [chart, name] : {std::pair{batchChart_, QStringLiteral("batch_loss")}, {epochChart_, QStringLiteral("epoch_loss")},
                               {metricsChart_, QStringLiteral("metrics")}}) {
        for (const QString& format : {QStringLiteral("png"), QStringLiteral("svg"), QStringLiteral("csv")}) {
            exportMenu->addAction(tr("%1 as %2…").arg(chart->chart()->title(), format.toUpper()), this, [this, chart, name, format] {
                const QString path = QFileDialog::getSaveFileName(this, tr("Export chart"), name + '.' + format);
                if (path.isEmpty()) return;
                QString error;
                const bool ok = format == "png" ? chart->exportPng(path, &error)
                                : format == "svg" ? chart->exportSvg(path, &error)
                                                  : chart->exportCsv(path, &error);
                if (!ok) QMessageBox::warning(this, tr("Export failed"), error);
            });
        }
    }
    auto* chartBar = new QHBoxLayout;
    chartBar->addWidget(new QLabel(tr("Smoothing")));
    chartBar->addWidget(smoothing_, 1);
    chartBar->addWidget(smoothingValue_);
    chartBar->addWidget(logY_);
    chartBar->addWidget(logX_);
    chartBar->addWidget(exportButton);
    auto* followButton = new QToolButton;
    followButton->setText(tr("Follow folder…"));
    followButton->setToolTip(tr("Show the curves of a run folder that another process or machine is writing "
                                "(sonolab-cli train, a torchrun job on a shared file system) and follow them live"));
    connect(followButton, &QToolButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Follow a run folder"));
        if (!dir.isEmpty()) followRunFolder(dir.toStdString());
    });
    chartBar->addWidget(followButton);
    auto* hint = new QLabel(tr("Drag to zoom · double-click to reset · hover to read values"));
    hint->setEnabled(false);

    auto* curves = new QWidget;
    auto* curvesLayout = new QVBoxLayout(curves);
    curvesLayout->addLayout(chartBar);
    curvesLayout->addWidget(hint);  // its own line: beside the buttons it squeezed the smoothing slider to its handle
    curvesLayout->addWidget(charts, 1);

    evaluation_ = new EvaluationView(nullptr, withPlayer);
    runsList_ = new RunsList;
    tabs_ = new QTabWidget;
    tabs_->addTab(curves, tr("Curves"));
    tabs_->addTab(evaluation_, tr("Evaluation"));
    crossValidation_ = new CrossValidationPanel;
    tabs_->addTab(crossValidation_, tr("Cross-validation"));
    tabs_->addTab(runsList_, tr("Runs"));

    progress_ = new TrainingProgressPanel;
    status_ = new QLabel;
    status_->setWordWrap(true);
    // A long message (a run's outcome and advice) wraps; it never makes the window wider than the screen.
    status_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto* split = splitPanes(Qt::Horizontal, {{left, 0}, {pane({progress_, {tabs_, 1}, status_}), 1}});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    modes_ = new QTabWidget;  // what to train: taggers/classifiers from the library, or what the app adds
    modes_->addTab(split, tr("Tagger / classifier"));
    layout->addWidget(modes_);

    auto applySmoothing = [this] {
        const double w = smoothing_->value() / 1000.0;
        smoothingValue_->setText(QString::number(w, 'f', 3));
        for (LiveChart* c : {batchChart_, epochChart_, metricsChart_}) c->setSmoothing(w);
    };
    connect(smoothing_, &QSlider::valueChanged, this, applySmoothing);
    applySmoothing();
    connect(logY_, &QCheckBox::toggled, this, [this](bool on) {
        for (LiveChart* c : {batchChart_, epochChart_}) c->setLogY(on);  // metrics live in [0,1]: linear reads better
    });
    connect(logX_, &QCheckBox::toggled, this, [this](bool on) {
        for (LiveChart* c : {batchChart_, epochChart_, metricsChart_}) c->setLogX(on);
    });

    connect(start_, &QPushButton::clicked, this, [this] { startRun(); });
    connect(pause_, &QPushButton::clicked, this, [this] { controller_->isPaused() ? resumeRun() : pauseRun(); });
    connect(stop_, &QPushButton::clicked, this, &TrainingDashboard::stopRun);
    connect(pretrain_, &QPushButton::clicked, this, [this] { openPretrainDialog(); });
    connect(form_, &RunForm::validityChanged, this, [this] { updateButtons(); });

    connect(controller_, &TrainingRunController::started, recorder_, [this](const RunSettings& s) {
        if (recordRuns_) recorder_->begin(s, s.resume ? continuingRun_ : 0);
        currentRunId_ = recordRuns_ ? recorder_->runId() : 0;
        if (currentRunId_) runsList_->refresh();
    });
    connect(controller_, &TrainingRunController::batchesReported, this, &TrainingDashboard::onBatches);
    connect(controller_, &TrainingRunController::epochReported, this, &TrainingDashboard::onEpoch);
    connect(controller_, &TrainingRunController::stateChanged, this, &TrainingDashboard::onState);
    connect(controller_, &TrainingRunController::runFinished, this, &TrainingDashboard::onFinished);
    connect(controller_, &TrainingRunController::deviceChanged, progress_, &TrainingProgressPanel::setDevice);
    connect(controller_, &TrainingRunController::preparationProgress, this,
            [this](double done, double total, const QString& message) {
                showStatus(tr("Preparing data: %1 / %2 %3").arg(done).arg(total).arg(message));
            });
    connect(controller_, &TrainingRunController::evaluationReady, this,
            [this](const Evaluation& e, const ml::ClassificationReport& report) {
                evaluation_->setEvaluation(e, report);
                if (recordRuns_) recorder_->recordEvaluation(report, e.split);
                runsList_->refresh();
            });
    connect(follower_, &RunFolderFollower::epochsAdded, this, &TrainingDashboard::onFollowedEpochs);
    connect(follower_, &RunFolderFollower::errorOccurred, this, &TrainingDashboard::showStatus);
    connect(recorder_, &RunRecorder::errorOccurred, this, [this](const QString& m) { showStatus(tr("Runs table: %1").arg(m)); });
    connect(runsList_, &RunsList::reopenRequested, this, [this](qint64 id) { reopenRun(id); });
    connect(runsList_, &RunsList::resumeRequested, this, [this](qint64 id) { resumeStoredRun(id); });
    connect(runsList_, &RunsList::refreshed, this, &TrainingDashboard::runsChanged);
    connect(runsList_, &RunsList::errorOccurred, this, &TrainingDashboard::showStatus);
    connect(evaluation_, &EvaluationView::clipActivated, this, &TrainingDashboard::clipActivated);
    connect(crossValidation_, &CrossValidationPanel::evaluationReady, evaluation_, &EvaluationView::setEvaluation);
    connect(crossValidation_, &CrossValidationPanel::started, this, [this] { updateButtons(); });
    connect(crossValidation_, &CrossValidationPanel::ended, this, [this](const QString& message) {
        showStatus(message);
        updateButtons();
    });
    updateButtons();
}

TrainingDashboard::~TrainingDashboard() {
    // Stop training before the charts go away; the controller joins its worker in its destructor.
    controller_->stop();
}

void TrainingDashboard::addMode(QWidget* page, const QString& title) { modes_->addTab(page, title); }

void TrainingDashboard::setLibrary(std::shared_ptr<library::LibraryDatabase> db) {
    db_ = std::move(db);
    recorder_->setDatabase(recordRuns_ ? db_ : nullptr);
    runsList_->setDatabase(db_);
    if (db_) {
        try {
            form_->setChoices(FormChoices::fromLibrary(*db_));
        } catch (const std::exception& e) {
            showStatus(QString::fromUtf8(e.what()));
        }
    } else {
        form_->setChoices({});
    }
    showRunFolder(currentRunFolder_);
    updateButtons();
}

void TrainingDashboard::setJob(RunJob job, bool recordRuns) {
    controller_->setJob(std::move(job));
    customJob_ = true;
    recordRuns_ = recordRuns;
    recorder_->setDatabase(recordRuns_ ? db_ : nullptr);
    showRunFolder(currentRunFolder_);
}

void TrainingDashboard::setPreparer(DataPreparer preparer) { setJob(datasetRunJob(std::move(preparer)), true); }

void TrainingDashboard::setRunsFolder(const std::filesystem::path& folder) { controller_->setRunsFolder(folder); }

bool TrainingDashboard::startRun() {
    const QString problem = form_->validate();
    if (!problem.isEmpty()) {
        showStatus(problem);
        return false;
    }
    return startRun(form_->settings());
}

bool TrainingDashboard::startRun(const RunSettings& settings) {
    if (crossValidation_->isRunning()) {
        showStatus(crossValidationRunning());
        return false;
    }
    // The default job stores runs through the pipeline; the dashboard's recorder would store them twice.
    if (!customJob_) recordRuns_ = false;
    if (!customJob_) recorder_->setDatabase(nullptr);
    follower_->stop();  // the charts are this run's now
    // A resumed run's charts already hold its stored curves (resumeStoredRun): the new epochs join them.
    if (!settings.resume) clearCharts();
    evaluation_->clear();
    setMetricsTitle(settings.siamese.enabled);
    progress_->start(settings.config.epochs, QString());
    if (!controller_->start(settings)) {
        showStatus(controller_->lastError());
        progress_->setState(ml::TrainingState::Failed, controller_->lastError());
        updateButtons();
        return false;
    }
    tabs_->setCurrentIndex(0);
    // The first run of a session loads libtorch (~0.8 s on 2 cores) before its first batch: say so, or the wait
    // looks like a hang.
    showStatus(ml::modelRuntimeLoaded() ? tr("Training %1").arg(settings.name)
                                        : tr("Training %1: loading libtorch first…").arg(settings.name));
    updateButtons();
    return true;
}

void TrainingDashboard::pauseRun() {
    controller_->pause();
    updateButtons();
}

void TrainingDashboard::resumeRun() {
    controller_->resume();
    updateButtons();
}

void TrainingDashboard::stopRun() {
    controller_->stop();
    showStatus(tr("Stopping after the current batch…"));
}

void TrainingDashboard::clearCharts() {
    for (LiveChart* c : {batchChart_, epochChart_, metricsChart_}) c->clear();
}

void TrainingDashboard::onBatches(const QList<ml::BatchReport>& reports) {
    const int s = batchChart_->addSeries(tr("train loss"));
    for (const ml::BatchReport& r : reports) batchChart_->append(s, double(r.step), r.loss);
    if (!reports.isEmpty()) progress_->onBatch(reports.back());
    if (recordRuns_) recorder_->recordBatches(reports);
}

void TrainingDashboard::onEpoch(const ml::EpochReport& r) {
    plotEpoch(r);
    progress_->onEpoch(r);
    if (recordRuns_) recorder_->recordEpoch(r);
}

bool TrainingDashboard::followRunFolder(const std::filesystem::path& folder) {
    if (controller_->isActive()) {
        showStatus(tr("Stop the active run before following another one."));
        return false;
    }
    if (crossValidation_->isRunning()) {  // its results belong to the run shown
        showStatus(crossValidationRunning());
        return false;
    }
    if (!std::filesystem::is_directory(folder)) {
        showStatus(tr("%1 is not a folder").arg(QString::fromStdString(folder.string())));
        return false;
    }
    clearCharts();
    evaluation_->clear();
    setMetricsTitle(false);
    currentRunId_ = 0;
    showRunFolder(folder);
    tabs_->setCurrentIndex(0);
    showStatus(tr("Following %1 (its curves.csv; epochs appear as the run writes them)")
                   .arg(QString::fromStdString(folder.string())));
    follower_->follow(folder);
    return true;
}

void TrainingDashboard::onFollowedEpochs(const std::vector<ml::EpochReport>& epochs, bool restarted) {
    if (restarted) clearCharts();
    for (const auto& r : epochs) plotEpoch(r);
    showStatus(tr("Following %1: %n epoch(s), last read %2", nullptr, int(follower_->epochs().size()))
                   .arg(QString::fromStdString(follower_->folder().string()),
                        QTime::currentTime().toString(QStringLiteral("HH:mm:ss"))));
}

void TrainingDashboard::plotEpoch(const ml::EpochReport& r) {
    const double x = r.epoch + 1;
    epochChart_->append(epochChart_->addSeries(tr("train")), x, r.trainLoss);
    if (r.validationLoss) epochChart_->append(epochChart_->addSeries(tr("validation")), x, *r.validationLoss);
    // Known metrics first in a fixed order (stable colours across runs), others after.
    QStringList names;
    for (const QString& m : kMetricOrder)
        if (r.metrics.count(m.toStdString())) names << m;
    for (const auto& [k, v] : r.metrics)
        if (!names.contains(QString::fromStdString(k)) && k != "hamming_loss" && k != "micro_f1")
            names << QString::fromStdString(k);
    for (const QString& m : names) {
        const double v = r.metrics.at(m.toStdString());
        if (std::isfinite(v)) metricsChart_->append(metricsChart_->addSeries(m), x, v);
    }
}

void TrainingDashboard::onState(ml::TrainingState state, const QString& message) {
    progress_->onStateChanged(state, message);
    if (recordRuns_) recorder_->recordState(state, message);
    updateButtons();
}

void TrainingDashboard::onFinished(ml::TrainingState state, const QString& message, qint64 storedRunId) {
    if (storedRunId > 0) currentRunId_ = storedRunId;
    showRunFolder(controller_->settings().config.runDir);
    if (state != ml::TrainingState::Failed && ml::isRunFolder(currentRunFolder_)) {
        const QString folder = QString::fromStdString(currentRunFolder_.string());
        // A siamese network predicts no classes: its product is a space to search, not a tagger for the player.
        if (controller_->settings().siamese.enabled || controller_->settings().pretrain)
            emit similaritySpaceReady(QStringLiteral("run:") + folder);
        else emit modelReady(folder);
    }
    if (controller_->settings().pretrain && db_) form_->initBox()->setRuns(FormChoices::pretrainedRunsOf(*db_));
    if (recordRuns_) recorder_->flush();
    for (LiveChart* c : {batchChart_, epochChart_, metricsChart_}) c->refreshNow();
    runsList_->refresh();
    QString text = tr("Run %1").arg(RunRecorder::statusText(state));
    if (!message.isEmpty()) text += QStringLiteral(": ") + message;
    showStatus(text);
    updateButtons();
}

bool TrainingDashboard::reopenRun(library::RunId id) {
    if (!db_) return false;
    if (controller_->isActive()) {
        showStatus(tr("Stop the active run before reopening another one."));
        return false;
    }
    if (crossValidation_->isRunning()) {  // its results belong to the run shown
        showStatus(crossValidationRunning());
        return false;
    }
    follower_->stop();
    std::optional<library::RunRecord> record;
    std::map<std::string, std::vector<QPointF>> curves;
    try {
        record = db_->run(id);
        if (record) curves = loadRunCurves(*db_, id);
    } catch (const std::exception& e) {
        showStatus(QString::fromUtf8(e.what()));
        return false;
    }
    if (!record) {
        showStatus(tr("Run %1 is not in the library any more.").arg(id));
        return false;
    }
    clearCharts();
    evaluation_->clear();
    auto put = [&](LiveChart* chart, const QString& name, const std::string& key) {
        auto it = curves.find(key);
        if (it != curves.end()) chart->setPoints(chart->addSeries(name), it->second);
    };
    put(batchChart_, tr("train loss"), series::kBatchLoss);
    put(epochChart_, tr("train"), series::kTrainLoss);
    put(epochChart_, tr("validation"), series::kValidationLoss);
    // Known metrics first (stable colours), then any other the run recorded (e.g. a siamese run's precision_at_5).
    const std::string prefix = series::kValidationPrefix;
    QStringList metricNames = kMetricOrder;
    for (const auto& [key, points] : curves)
        if (key.rfind(prefix, 0) == 0 && key != series::kValidationLoss) {
            const QString name = QString::fromStdString(key.substr(prefix.size()));
            if (!metricNames.contains(name)) metricNames << name;
        }
    for (const QString& m : metricNames) put(metricsChart_, m, prefix + m.toStdString());
    for (LiveChart* c : {batchChart_, epochChart_, metricsChart_}) c->refreshNow();
    try {
        RunSettings settings = RunSettings::fromJson(QJsonDocument::fromJson(QByteArray::fromStdString(record->settingsJson)).object());
        if (settings.name.isEmpty()) settings.name = QString::fromStdString(record->name);
        if (settings.task.isEmpty()) settings.task = QString::fromStdString(record->task);
        if (settings.model.isEmpty()) settings.model = QString::fromStdString(record->model);
        setMetricsTitle(settings.siamese.enabled);
        form_->load(settings);
    } catch (const std::exception& e) {
        showStatus(tr("Settings of run %1 could not be read: %2").arg(id).arg(QString::fromUtf8(e.what())));
    }
    currentRunId_ = id;
    showRunFolder(record->runDir);
    if (!currentRunFolder_.empty() && ml::isRunFolder(currentRunFolder_))
        emit modelReady(QString::fromStdString(currentRunFolder_.string()));
    progress_->setState(ml::TrainingState::Idle, tr("showing stored run “%1” (%2)")
                                                     .arg(QString::fromStdString(record->name), QString::fromStdString(record->status)));
    tabs_->setCurrentIndex(0);
    showStatus(tr("Reopened run %1").arg(QString::fromStdString(record->name)));
    return true;
}

bool TrainingDashboard::resumeStoredRun(library::RunId id) {
    if (!db_) return false;
    if (controller_->isActive()) {
        showStatus(tr("Stop the active run before resuming another one."));
        return false;
    }
    if (!runsList_->canResume(id)) {
        showStatus(tr("Run %1 cannot be resumed: only a stopped or interrupted classifier run with a checkpoint can.").arg(id));
        return false;
    }
    RunSettings settings;
    try {
        const std::optional<library::RunRecord> record = db_->run(id);
        if (!record) throw Error("run " + std::to_string(id), "is not in the library any more");
        // The settings it was started with: the dashboard's own (stored with the run), else what the pipeline keeps.
        settings = RunSettings::fromJson(QJsonDocument::fromJson(QByteArray::fromStdString(record->settingsJson)).object());
        settings.name = QString::fromStdString(record->name);
        if (settings.task.isEmpty()) settings.task = QString::fromStdString(record->task);
        if (settings.model.isEmpty()) settings.model = QString::fromStdString(record->model);
        if (settings.dataSet.isEmpty() || !customJob_) settings.dataSet = QString::fromStdString(db_->file().string());
        settings.config.runDir = record->runDir;
        settings.resume = true;
    } catch (const std::exception& e) {
        showStatus(tr("Run %1 cannot be resumed: %2").arg(id).arg(QString::fromUtf8(e.what())));
        return false;
    }
    if (!reopenRun(id)) return false;  // its curves so far, and its settings in the form
    continuingRun_ = id;
    return startRun(settings);
}

void TrainingDashboard::setMetricsTitle(bool siamese) {
    metricsChart_->setTitle(siamese ? tr("Validation retrieval per epoch (embedding of the validation tracks)")
                                    : tr("Validation metrics per epoch"));
}

void TrainingDashboard::updateButtons() {
    const bool active = controller_->isActive();
    // A cross-validation trains too: one training at a time keeps every core on it (and its figures undisturbed).
    const bool validating = crossValidation_->isRunning();
    const QString problem = validating ? crossValidationRunning() : form_->validate();
    start_->setEnabled(!active && !validating && (problem.isEmpty() || customJob_));
    start_->setToolTip(problem.isEmpty() ? tr("Train with these settings") : problem);
    pause_->setEnabled(active && !controller_->settings().pretrain);  // pretraining stops, it does not pause
    pretrain_->setEnabled(!active && !validating && db_ && !customJob_);
    runsList_->setTrainingActive(active || validating);
    crossValidation_->setBlocked(active ? tr("A run is training: cross-validate when it has ended.") : QString());

    pause_->setText(controller_->isPaused() ? tr("Resume") : tr("Pause"));
    stop_->setEnabled(active);
}

void TrainingDashboard::showStatus(const QString& message) {
    status_->setText(message);
    emit statusMessage(message);
}

QString TrainingDashboard::statusText() const { return status_->text(); }

void TrainingDashboard::showRunFolder(const std::filesystem::path& folder) {
    currentRunFolder_ = folder;
    // Runs of another job (tests, generated data) are not the library's: nothing there to cross-validate on.
    crossValidation_->setRun(folder, db_ && !customJob_ ? db_->file() : std::filesystem::path());
}

QString TrainingDashboard::crossValidationRunning() const {
    return tr("A cross-validation is running: cancel it or wait for it to end.");
}

bool TrainingDashboard::exportCharts(const QString& folder, QString* error) {
    QDir().mkpath(folder);
    for (auto [chart, name] : {std::pair{batchChart_, QStringLiteral("batch_loss")}, {epochChart_, QStringLiteral("epoch_loss")},
                               {metricsChart_, QStringLiteral("metrics")}}) {
        const QString base = folder + '/' + name;
        if (!chart->exportPng(base + ".png", error) || !chart->exportSvg(base + ".svg", error) ||
            !chart->exportCsv(base + ".csv", error))
            return false;
    }
    return true;
}

}  // namespace sonolab::ui
