#include "ui/onsets/OnsetTrainingRunner.h"

#include "core/onsets/OnsetFeatureCache.h"
#include "core/onsets/OnsetFeatures.h"
#include "core/util/AtomicFile.h"
#include "core/util/Error.h"
#include "core/util/Progress.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaObject>

namespace sonolab::ui {

namespace fs = std::filesystem;

OnsetTrainingRunner::OnsetTrainingRunner(QObject* parent) : QObject(parent) {
    connect(&run_, &TrainingJob::batchesReported, this, &OnsetTrainingRunner::batchesReported);
    connect(&run_, &TrainingJob::epochReported, this, &OnsetTrainingRunner::epochReported);
    connect(&run_, &TrainingJob::stateChanged, this, &OnsetTrainingRunner::stateChanged);
    // A scored run ends through its result (start()); these ends never produced one.
    connect(&run_, &TrainingJob::finished, this, [this](JobEnd end, const QString& error) {
        if (end == JobEnd::Cancelled) finish(ml::TrainingState::Stopped, tr("stopped before an epoch finished: nothing to score"), nullptr);
        else if (end == JobEnd::Failed) finish(ml::TrainingState::Failed, error, nullptr);
    });
}

OnsetTrainingRunner::~OnsetTrainingRunner() = default;

bool OnsetTrainingRunner::start(const OnsetRunSettings& settings) {
    if (isActive()) {
        lastError_ = tr("A run is already in progress");
        return false;
    }
    if (settings.dataFolder.empty() || !fs::is_directory(settings.dataFolder)) {
        lastError_ = tr("Choose a data set folder (ISMIR 2012 layout, or audio files with .onsets beside them)");
        return false;
    }
    if (settings.epochs < 1 || settings.layers < 1 || settings.hidden < 1 || settings.learningRate <= 0 ||
        settings.batchSize < 1) {
        lastError_ = tr("Epochs, layers, units, batch size and learning rate must be positive");
        return false;
    }
    if (settings.runFolder.empty()) {
        lastError_ = tr("No run folder to write the model to");
        return false;
    }
    settings_ = settings;
    lastError_.clear();
    run_.start([this, settings](const TrainingContext& c) { return work(settings, c); },
               [this](std::shared_ptr<const OnsetRunResult> result) {
                   const bool stopped = result->rnn.stopped;
                   finish(stopped ? ml::TrainingState::Stopped : ml::TrainingState::Finished,
                          stopped ? tr("stopped; the epochs trained so far were scored") : QString(), result);
               });
    return true;
}

void OnsetTrainingRunner::finish(ml::TrainingState state, const QString& message,
                                 std::shared_ptr<const OnsetRunResult> result) {
    run_.setState(state, message);
    emit finished(state, message, std::move(result));
}

// On the worker thread: it reads only its arguments and reaches the GUI through context.job.post.
std::shared_ptr<const OnsetRunResult> OnsetTrainingRunner::work(const OnsetRunSettings& settings,
                                                                const TrainingContext& context) {
    const JobContext& job = context.job;
    auto result = std::make_shared<OnsetRunResult>();
    result->data = onsets::loadOnsetDataset(settings.dataFolder, settings.foldsWithoutSplits);
    const auto& data = result->data;
    const std::size_t k = data.folds.size();
    if (k < 3) throw Error(settings.dataFolder.string(), "needs at least 3 folds (test, validation, training); it has " + std::to_string(k));
    if (settings.testFold >= int(k))
        throw Error(settings.dataFolder.string(), "has no fold " + std::to_string(settings.testFold) + " (" + std::to_string(k) + " folds)");

    onsets::RnnExperimentConfig config;
    config.model = {.cell = settings.cell, .hidden = settings.hidden, .layers = settings.layers,
                    .inputDims = onsets::rnnOnsetFeatureDims(config.detector.rnnFeatures)};
    config.training = {.learningRate = settings.learningRate, .batchSize = settings.batchSize,
                       .epochs = settings.epochs, .patience = settings.patience, .seed = settings.seed,
                       .threads = settings.threads};
    config.featureCache = settings.featureCache.empty() ? settings.dataFolder / ".sonolab-cache" / "onsets"
                                                        : settings.featureCache;
    config.runsDir = settings.runFolder;
    if (settings.testFold >= 0) config.testFolds = {std::size_t(settings.testFold)};

    // The run folder says how it was made (the model file holds only the network's own shape).
    fs::create_directories(settings.runFolder);
    const QJsonObject about{
        {"data", QString::fromStdU16String(settings.dataFolder.u16string())},
        {"cell", QString::fromStdString(settings.cell)}, {"layers", settings.layers}, {"hidden", settings.hidden},
        {"epochs", settings.epochs}, {"patience", settings.patience}, {"learning_rate", settings.learningRate},
        {"batch", settings.batchSize}, {"seed", qint64(settings.seed)}, {"folds", qint64(k)},
        {"test_folds", settings.testFold < 0 ? QJsonValue(QStringLiteral("all")) : QJsonValue(settings.testFold)}};
    writeFileAtomically(settings.runFolder / "run.json", QJsonDocument(about).toJson().toStdString());

    // Features first, with progress: training then reads them all from the cache.
    job.post([this] { run_.setState(ml::TrainingState::Preparing, tr("extracting features")); });
    const onsets::OnsetFeatureCache cache(config.featureCache, config.detector.rnnFeatures);
    for (std::size_t i = 0; i < data.items.size(); ++i) {
        job.progress.throwIfCancelled();
        const auto& item = data.items[i];
        job.post([this, i, n = data.items.size(), name = QString::fromStdString(item.name)] {
            emit featureProgress(int(i), int(n), name);
        });
        cache.features(item.audio);
    }
    job.post([this, n = data.items.size()] { emit featureProgress(int(n), int(n), QString()); });

    const int runs = settings.testFold >= 0 ? 1 : int(k);
    auto index = std::make_shared<int>(0);
    config.onFold = [this, &job, index, runs](std::size_t fold, std::size_t) {
        job.post([this, fold, i = (*index)++, runs] { emit foldStarted(int(fold), i, runs); });
    };
    config.onFoldDone = [result](std::size_t, const fs::path& runDir) { result->modelFolder = runDir; };
    Progress cancelOnly;  // training stops on the run's token; its progress is the observer's
    cancelOnly.cancel = job.progress.cancel;
    result->rnn = onsets::crossValidateRnn(data, config, &context.observer, &cancelOnly);
    result->runFolder = settings.runFolder;

    // The baseline on exactly the test folds the network was scored on.
    std::vector<std::size_t> folds;
    for (std::size_t f = 0; f < result->rnn.folds.size(); ++f)
        if (result->rnn.folds[f].files > 0) folds.push_back(f);
    Progress evaluation;
    evaluation.report = [this, &job](double done, double total, const std::string& name) {
        job.post([this, done, total, n = QString::fromStdString(name)] { emit evaluationProgress(int(done), int(total), n); });
    };
    result->flux = onsets::evaluateMethod(data, onsets::OnsetMethod::parse("flux"), config.detector, config.evaluation,
                                          {}, &evaluation, folds);
    return result;
}

}  // namespace sonolab::ui
