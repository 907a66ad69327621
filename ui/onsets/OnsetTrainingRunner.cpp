#include "ui/onsets/OnsetTrainingRunner.h"

#include "core/onsets/OnsetFeatureCache.h"
#include "core/onsets/OnsetFeatures.h"
#include "core/util/AtomicFile.h"
#include "core/util/Error.h"
#include "core/util/Progress.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaObject>
#include <QPointer>

#include <mutex>

namespace sonolab::ui {

namespace fs = std::filesystem;

struct OnsetTrainingRunner::Shared {
    std::mutex mutex;
    QList<ml::BatchReport> pending;
    bool deliveryQueued = false;
    CancelToken cancel;
};

class OnsetTrainingRunner::Observer : public ml::TrainingObserver {
public:
    Observer(OnsetTrainingRunner* runner, std::shared_ptr<Shared> shared) : runner_(runner), shared_(std::move(shared)) {}

    void onBatch(const ml::BatchReport& report) override {
        bool queue = false;
        {
            std::lock_guard lock(shared_->mutex);
            shared_->pending.push_back(report);
            queue = !shared_->deliveryQueued;
            shared_->deliveryQueued = true;
        }
        if (queue) QMetaObject::invokeMethod(runner_, [r = runner_] { r->deliverBatches(); }, Qt::QueuedConnection);
    }
    void onEpoch(const ml::EpochReport& report) override {
        QMetaObject::invokeMethod(runner_, [r = runner_, report] {
            r->deliverBatches();  // the epoch's batches first, so charts stay in order
            emit r->epochReported(report);
        }, Qt::QueuedConnection);
    }
    void onStateChanged(ml::TrainingState state, const std::string& message) override {
        QMetaObject::invokeMethod(runner_, [r = runner_, state, m = QString::fromStdString(message)] {
            r->deliverBatches();
            emit r->stateChanged(state, m);
        }, Qt::QueuedConnection);
    }

private:
    OnsetTrainingRunner* runner_;
    std::shared_ptr<Shared> shared_;
};

OnsetTrainingRunner::OnsetTrainingRunner(QObject* parent) : QObject(parent) {}

OnsetTrainingRunner::~OnsetTrainingRunner() {
    if (shared_) shared_->cancel.cancel();
    if (worker_.joinable()) worker_.join();
}

bool OnsetTrainingRunner::start(const OnsetRunSettings& settings) {
    if (active_) {
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
    if (worker_.joinable()) worker_.join();  // the previous run has finished (active_ is false)
    settings_ = settings;
    shared_ = std::make_shared<Shared>();
    active_ = true;
    lastError_.clear();
    worker_ = std::thread([this, settings] { work(settings); });
    return true;
}

void OnsetTrainingRunner::stop() {
    if (shared_) shared_->cancel.cancel();
}

void OnsetTrainingRunner::deliverBatches() {
    QList<ml::BatchReport> batches;
    {
        std::lock_guard lock(shared_->mutex);
        batches.swap(shared_->pending);
        shared_->deliveryQueued = false;
    }
    if (!batches.isEmpty()) emit batchesReported(batches);
}

void OnsetTrainingRunner::work(OnsetRunSettings settings) {
    auto shared = shared_;
    auto post = [this](auto&& f) { QMetaObject::invokeMethod(this, std::forward<decltype(f)>(f), Qt::QueuedConnection); };
    auto finish = [this, post](ml::TrainingState state, QString message, std::shared_ptr<const OnsetRunResult> result) {
        post([this, state, message, result] {
            deliverBatches();
            active_ = false;
            emit stateChanged(state, message);
            emit finished(state, message, result);
        });
    };
    Progress cancelOnly;
    cancelOnly.cancel = shared->cancel;
    try {
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
        post([this] { emit stateChanged(ml::TrainingState::Preparing, tr("extracting features")); });
        const onsets::OnsetFeatureCache cache(config.featureCache, config.detector.rnnFeatures);
        for (std::size_t i = 0; i < data.items.size(); ++i) {
            if (shared->cancel.cancelled()) throw Cancelled{};
            const auto& item = data.items[i];
            post([this, i, n = data.items.size(), name = QString::fromStdString(item.name)] {
                emit featureProgress(int(i), int(n), name);
            });
            cache.features(item.audio);
        }
        post([this, n = data.items.size()] { emit featureProgress(int(n), int(n), QString()); });

        const int runs = settings.testFold >= 0 ? 1 : int(k);
        auto index = std::make_shared<int>(0);
        config.onFold = [this, post, index, runs](std::size_t fold, std::size_t) {
            post([this, fold, i = (*index)++, runs] { emit foldStarted(int(fold), i, runs); });
        };
        config.onFoldDone = [result](std::size_t, const fs::path& runDir) { result->modelFolder = runDir; };
        Observer observer(this, shared);
        result->rnn = onsets::crossValidateRnn(data, config, &observer, &cancelOnly);
        result->runFolder = settings.runFolder;

        // The baseline on exactly the test folds the network was scored on.
        std::vector<std::size_t> folds;
        for (std::size_t f = 0; f < result->rnn.folds.size(); ++f)
            if (result->rnn.folds[f].files > 0) folds.push_back(f);
        Progress evaluation;
        evaluation.report = [this, post](double done, double total, const std::string& name) {
            post([this, done, total, n = QString::fromStdString(name)] { emit evaluationProgress(int(done), int(total), n); });
        };
        result->flux = onsets::evaluateMethod(data, onsets::OnsetMethod::parse("flux"), config.detector, config.evaluation,
                                              {}, &evaluation, folds);
        const bool stopped = result->rnn.stopped;
        finish(stopped ? ml::TrainingState::Stopped : ml::TrainingState::Finished,
               stopped ? tr("stopped; the epochs trained so far were scored") : QString(), result);
    } catch (const Cancelled&) {
        finish(ml::TrainingState::Stopped, tr("stopped before an epoch finished: nothing to score"), nullptr);
    } catch (const std::exception& e) {
        finish(ml::TrainingState::Failed, QString::fromUtf8(e.what()), nullptr);
    }
}

}  // namespace sonolab::ui
