#include "ui/training/CrossValidationPanel.h"

#include "core/ml/ArchitectureCatalog.h"
#include "core/ml/ContrastivePretraining.h"
#include "core/ml/SavedModel.h"
#include "core/ml/Trainer.h"
#include "core/ml/TrainingConfigText.h"
#include "core/pipeline/FoldEvaluation.h"
#include "ui/training/TrainingData.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

#include <cmath>

namespace sonolab::ui {
namespace {

// The table's metric columns: ClassificationReport::asMap keys and their headers.
const std::vector<std::pair<std::string, const char*>> kMetricColumns{
    {"accuracy", QT_TRANSLATE_NOOP("CrossValidationPanel", "Accuracy")},
    {"balanced_accuracy", QT_TRANSLATE_NOOP("CrossValidationPanel", "Balanced accuracy")},
    {"macro_f1", QT_TRANSLATE_NOOP("CrossValidationPanel", "Macro-F1")},
    {"roc_auc", QT_TRANSLATE_NOOP("CrossValidationPanel", "ROC-AUC")}};
constexpr int kCountColumns = 4;  // fold, train, validation, test

QString number(double v) { return std::isfinite(v) ? QString::number(v, 'f', 3) : QStringLiteral("—"); }

// On the worker: fold, member and epoch as one fraction of the whole, and the trainers' reports passed on to the
// TrainingJob's observer (which is how a Cancel stops no trainer that is gone).
class FoldProgress final : public pipeline::FoldObserver {
public:
    FoldProgress(const TrainingContext& context, int folds, int members)
        : context_(context), folds_(folds), members_(members) {}

    void onMember(int fold, int, int member, int, bool reused) override {
        fold_ = fold;
        member_ = member;
        report(0.0, (reused ? CrossValidationPanel::tr("trained before, reused") : CrossValidationPanel::tr("training"))
                        .toStdString());
    }
    void onEpoch(const ml::EpochReport& r) override {
        context_.observer.onEpoch(r);
        report(r.epochs > 0 ? double(r.epoch + 1) / r.epochs : 0.0,
               CrossValidationPanel::tr("epoch %1/%2").arg(r.epoch + 1).arg(r.epochs).toStdString());
    }
    void onBatch(const ml::BatchReport& r) override { context_.observer.onBatch(r); }
    void onStateChanged(ml::TrainingState state, const std::string& message) override {
        context_.observer.onStateChanged(state, message);
    }

private:
    void report(double withinMember, const std::string& what) const {
        const double done = (fold_ * members_ + member_ + withinMember) / double(folds_ * members_);
        std::string message = CrossValidationPanel::tr("fold %1 of %2").arg(fold_ + 1).arg(folds_).toStdString();
        if (members_ > 1)
            message += CrossValidationPanel::tr(", model %1 of %2").arg(member_ + 1).arg(members_).toStdString();
        context_.job.progress(1000.0 * done, 1000.0, message + ": " + what);
    }

    const TrainingContext& context_;
    int folds_, members_;
    int fold_ = 0, member_ = 0;
};

QString foldByText(const QString& key) {
    return key == QLatin1String("album") ? CrossValidationPanel::tr("album") : CrossValidationPanel::tr("source track");
}

}  // namespace

struct CrossValidationPanel::Outcome {
    pipeline::FoldResult result;
    TaskSpec task;
    int folds = 0;
    QString foldBy;  // "group" | "album"
};

CrossValidationPanel::CrossValidationPanel(QWidget* parent) : QWidget(parent) {
    runLabel_ = new QLabel;
    runLabel_->setWordWrap(true);
    folds_ = new QSpinBox;
    folds_->setRange(2, 20);
    folds_->setValue(4);
    folds_->setToolTip(tr("Each fold is tested once by a model trained on the others"));
    foldBy_ = new QComboBox;
    foldBy_->addItem(tr("source track"), QStringLiteral("group"));
    foldBy_->addItem(tr("album"), QStringLiteral("album"));
    foldBy_->setToolTip(tr("What stays on one side of a fold. Clips of one source track are near copies of each other; "
                           "by album, a model is never tested on the album it learned (the honest figure, when the "
                           "collection has several albums of each class)"));
    seeds_ = new QSpinBox;
    seeds_->setRange(1, 10);
    seeds_->setToolTip(tr("Models per fold (seeds S, S+1, …): their probabilities are averaged"));
    epochs_ = new QSpinBox;
    epochs_->setRange(0, 100000);
    epochs_->setSpecialValueText(tr("the run's"));
    epochs_->setToolTip(tr("Epochs each fold model trains; \"the run's\" keeps the run's own setting"));
    start_ = new QPushButton(tr("Cross-validate"));
    startTip_ = tr("Train the run's recipe on each fold (on a worker thread; the fold models are kept in the run "
                   "folder, so the same settings again only predict)");
    cancel_ = new QPushButton(tr("Cancel"));
    cancel_->setToolTip(tr("Stop after the current batch; the fold models finished so far are kept"));
    progress_ = new QProgressBar;
    progress_->setRange(0, 1000);
    progress_->setValue(0);
    progress_->setTextVisible(false);
    status_ = new QLabel;
    status_->setWordWrap(true);
    status_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    model_ = new QStandardItemModel(this);
    QStringList headers{tr("Fold"), tr("Train"), tr("Validation"), tr("Test")};
    for (const auto& [key, header] : kMetricColumns) headers << tr(header);
    model_->setHorizontalHeaderLabels(headers);
    table_ = new QTableView;
    table_->setModel(model_);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(true);

    auto* settings = new QFormLayout;
    settings->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    settings->addRow(tr("Folds"), folds_);
    settings->addRow(tr("Keep together"), foldBy_);
    settings->addRow(tr("Models per fold"), seeds_);
    settings->addRow(tr("Epochs"), epochs_);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(start_);
    buttons->addWidget(cancel_);
    buttons->addWidget(progress_, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(runLabel_);
    layout->addLayout(settings);
    layout->addLayout(buttons);
    layout->addWidget(status_);
    layout->addWidget(table_, 1);

    connect(start_, &QPushButton::clicked, this, [this] { start(); });
    connect(cancel_, &QPushButton::clicked, this, &CrossValidationPanel::cancel);
    connect(&job_, &TrainingJob::progress, this, [this](double done, double total, const QString& message) {
        if (total > 0) progress_->setValue(int(std::lround(1000.0 * done / total)));
        setStatus(message);
    });
    connect(&job_, &TrainingJob::finished, this, [this](JobEnd end, const QString& error) {
        if (end == JobEnd::Cancelled)
            setStatus(tr("Cancelled. The fold models finished so far are kept: the same settings again reuse them."));
        else if (end == JobEnd::Failed)
            setStatus(tr("Cross-validation failed: %1").arg(error));
        else
            progress_->setValue(progress_->maximum());
        updateButtons();
        emit ended(status_->text());
    });
    setRun({}, {});
}

CrossValidationPanel::~CrossValidationPanel() = default;  // job_ stops the run and waits for its worker

QString CrossValidationPanel::statusText() const { return status_->text(); }

QString CrossValidationPanel::runText() const { return runLabel_->text(); }

void CrossValidationPanel::setStatus(const QString& text) { status_->setText(text); }

void CrossValidationPanel::setRun(const std::filesystem::path& runDir, const std::filesystem::path& library) {
    if (runDir != runDir_ && !isRunning()) {  // the last figures were another run's
        model_->removeRows(0, model_->rowCount());
        progress_->setValue(0);
        setStatus(QString());
    }
    runDir_ = runDir;
    library_ = library;
    const QString name = QString::fromStdString(runDir.filename().string());
    runProblem_.clear();
    validationNote_.clear();
    if (library.empty()) {
        runProblem_ = tr("Open a library to cross-validate a run trained on it.");
    } else if (runDir.empty()) {
        runProblem_ = tr("Train a run or reopen one from the Runs list: its recipe is cross-validated here.");
    } else if (!ml::isRunFolder(runDir)) {
        runProblem_ = tr("Run %1 has no model yet.").arg(name);
    } else if (ml::isPretrainedRun(runDir)) {
        runProblem_ = tr("Run %1 was made by pretraining and predicts no classes: cross-validate a classifier that "
                         "starts from it (\"Start from\" in the run form).").arg(name);
    } else {
        try {
            const auto info = ml::readSavedModelInfo(runDir);
            const auto& arch = info.model.architecture;
            if (ml::hasArchitecture(arch) && ml::architectureInfo(arch).kind == ml::ArchitectureKind::Siamese)
                runProblem_ = tr("Run %1 is a similarity (siamese) run and predicts no classes.").arg(name);
            // Said before it runs: the table's Validation column follows from the run's own settings.
            validationNote_ = pipeline::validationShareFor(ml::trainingConfigFromEntries(info.extra)) > 0
                                  ? tr("It picks its model by validation, so each fold holds out some source tracks "
                                       "for that.")
                                  : tr("It keeps its last epoch, so each fold model trains on every clip outside its "
                                       "test fold.");
        } catch (const std::exception& e) {
            runProblem_ = QString::fromUtf8(e.what());
        }
    }
    runLabel_->setText(runProblem_.isEmpty()
                           ? tr("Run <b>%1</b>: its model, features and training settings are trained on all folds but "
                                "one and tested on that one, each fold in turn. %2")
                                 .arg(name.toHtmlEscaped(), validationNote_.toHtmlEscaped())
                           : runProblem_);
    updateButtons();
}

void CrossValidationPanel::setBlocked(const QString& reason) {
    blocked_ = reason;
    updateButtons();
}

void CrossValidationPanel::updateButtons() {
    const bool running = isRunning();
    start_->setEnabled(!running && runProblem_.isEmpty() && blocked_.isEmpty());
    start_->setToolTip(!blocked_.isEmpty() && !running ? blocked_ : startTip_);
    cancel_->setEnabled(running);
    for (QWidget* w : std::initializer_list<QWidget*>{folds_, foldBy_, seeds_, epochs_}) w->setEnabled(!running);
}

bool CrossValidationPanel::start() {
    if (isRunning()) return false;
    const QString refused = !runProblem_.isEmpty() ? runProblem_ : blocked_;
    if (!refused.isEmpty()) {
        setStatus(refused);
        return false;
    }
    const QString foldBy = foldBy_->currentData().toString();
    pipeline::FoldRequest request{.run = runDir_,
                                  .library = library_,
                                  .folds = folds_->value(),
                                  .groupBy = datasets::groupByFromString(foldBy.toStdString()),
                                  .seeds = seeds_->value(),
                                  .epochs = epochs_->value()};
    model_->removeRows(0, model_->rowCount());
    progress_->setValue(0);
    setStatus(tr("Preparing the clips' features…"));
    job_.start(
        [request, foldBy](const TrainingContext& context) {
            ml::requireClassifierRun(request.run);
            Outcome o;
            o.task = ml::readSavedModelInfo(request.run).task.withoutLabelSet();
            o.folds = request.folds;
            o.foldBy = foldBy;
            FoldProgress observer(context, request.folds, request.seeds);
            o.result = pipeline::crossValidate(request, &observer, &context.job.progress,
                                               [&context](ml::Trainer& t) { context.attachTrainer(&t); });
            return o;
        },
        [this](const Outcome& o) { showOutcome(o); });
    updateButtons();
    emit started();
    return true;
}

void CrossValidationPanel::cancel() {
    if (!isRunning()) return;
    job_.stop();
    setStatus(tr("Cancelling after the current batch…"));
}

void CrossValidationPanel::showOutcome(const Outcome& o) {
    fillTable(o.result);
    // Every clip once, predicted by the fold model that never saw it: one report over the whole label set.
    const auto& pooled = o.result.pooled;
    const QString by = foldByText(o.foldBy);
    Evaluation evaluation = evaluationOfPredictions(o.task, pooled.predictions, tr("out of fold"));
    evaluation.heading = tr("Cross-validation (%1 folds by %2, each clip out of fold)").arg(o.folds).arg(by);
    const auto f1 = o.result.summary.find("macro_f1");
    const auto acc = o.result.summary.find("accuracy");
    QString text = tr("%1 folds by %2").arg(o.folds).arg(by);
    if (f1 != o.result.summary.end())
        text += tr(": macro-F1 %1 ± %2 (%3 to %4)")
                    .arg(number(f1->second.mean), number(f1->second.std), number(f1->second.min), number(f1->second.max));
    if (acc != o.result.summary.end())
        text += tr(", accuracy %1 ± %2").arg(number(acc->second.mean), number(acc->second.std));
    text += tr("; every clip once: macro-F1 %1, accuracy %2")
                .arg(number(pooled.report.macroF1), number(pooled.report.accuracy));
    int trained = 0;
    for (int t : o.result.trainedMembers) trained += t;
    text += tr(". %n fold model(s) trained now", nullptr, trained);
    text += tr("; every clip's out-of-fold prediction is in the Evaluation tab.");
    setStatus(text);
    emit evaluationReady(evaluation, pooled.report);
}

void CrossValidationPanel::fillTable(const pipeline::FoldResult& r) {
    auto cell = [](const QString& text, bool numeric) {
        auto* item = new QStandardItem(text);
        if (numeric) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        return item;
    };
    model_->removeRows(0, model_->rowCount());
    for (std::size_t k = 0; k < r.folds.size(); ++k) {
        QList<QStandardItem*> row{cell(QString::number(k + 1), true), cell(QString::number(r.trainClips[k]), true),
                                  cell(QString::number(r.validationClips[k]), true),
                                  cell(QString::number(r.folds[k].predictions.size()), true)};
        const auto metrics = r.folds[k].report.asMap();
        for (const auto& [key, header] : kMetricColumns) {
            const auto it = metrics.find(key);
            row << cell(it == metrics.end() ? QStringLiteral("—") : number(it->second), true);
        }
        model_->appendRow(row);
    }
    for (const bool range : {false, true}) {
        QList<QStandardItem*> row{cell(range ? tr("min to max") : tr("mean ± std"), false)};
        for (int c = 1; c < kCountColumns; ++c) row << cell(QString(), false);
        for (const auto& [key, header] : kMetricColumns) {
            const auto it = r.summary.find(key);
            const QString text = it == r.summary.end() ? QStringLiteral("—")
                                 : range ? tr("%1 to %2").arg(number(it->second.min), number(it->second.max))
                                         : tr("%1 ± %2").arg(number(it->second.mean), number(it->second.std));
            row << cell(text, true);
        }
        for (QStandardItem* item : row) {
            QFont bold = item->font();
            bold.setBold(!range);
            item->setFont(bold);
        }
        model_->appendRow(row);
    }
}

}  // namespace sonolab::ui
