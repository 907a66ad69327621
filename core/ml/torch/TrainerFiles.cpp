// The run folder of a TorchTrainer (TorchTrainer.h): the saved model, the per-epoch checkpoint and curves.csv, all
// written atomically and, in a data-parallel job, by rank 0 only.
#include "core/ml/torch/TorchTrainer.h"

#include "core/ml/SavedModel.h"
#include "core/ml/TrainingHistory.h"
#include "core/util/AtomicFile.h"
#include "core/util/Error.h"

namespace sonolab::ml {
namespace {

constexpr const char* kCheckpoint = Trainer::kCheckpointFile;
constexpr const char* kWeights = "model.pt";

}  // namespace

void TorchTrainer::writeModel(const std::string& reason) const {
    if (!writesFiles()) return;
    saveModuleAtomically(*net, config.runDir / kWeights);
    SavedModelInfo info;
    info.model = spec;
    info.task = train.task();
    info.input = shape;
    info.featureSpec = config.featureSpec;
    info.standardization = train.standardization();
    info.dataset = config.datasetName.empty() ? train.name() : config.datasetName;
    info.epochs = epochsDone;
    {
        torch::NoGradGuard noGrad;
        const bool wasTraining = net->is_training();
        net->eval();
        auto probe = torch::zeros({1, 1, std::int64_t(shape.bands), std::int64_t(shape.frames)}, device);
        info.embeddingSize = std::size_t(net->embed(probe).numel());
        net->train(wasTraining);
    }
    if (!history.empty()) {
        const EpochReport& kept = bestEpoch >= 0 ? history[std::size_t(bestEpoch)] : history.back();
        info.metrics = kept.metrics;
        info.metrics["train_loss"] = kept.trainLoss;
        if (kept.validationLoss) info.metrics["validation_loss"] = *kept.validationLoss;
    }
    info.extra = {{"optimizer", std::string(toString(config.optimizer))},
                  {"learning_rate", std::to_string(config.learningRate)},
                  {"batch_size", std::to_string(config.batchSize)},
                  {"seed", std::to_string(config.seed)},
                  {"epochs_planned", std::to_string(config.epochs)},
                  {"kept", reason},
                  {"best_epoch", std::to_string(bestEpoch + 1)}};
    writeSavedModelInfo(config.runDir, info);
}

void TorchTrainer::writeCheckpoint() const {
    if (!writesFiles() || !config.checkpointEachEpoch) return;
    torch::serialize::OutputArchive archive;
    torch::serialize::OutputArchive model, opt;
    net->save(model);
    optimizer->save(opt);
    archive.write("model", model);
    archive.write("optimizer", opt);
    archive.write("spec", c10::IValue(spec.toString()));
    archive.write("task", c10::IValue(train.task().toString()));
    archive.write("optimizer_kind", c10::IValue(std::string(toString(config.optimizer))));
    archive.write("epochs_done", c10::IValue(std::int64_t(epochsDone)));
    archive.write("step", c10::IValue(step));
    archive.write("learning_rate", c10::IValue(learningRate));
    archive.write("best_loss", c10::IValue(bestLoss));
    archive.write("best_epoch", c10::IValue(std::int64_t(bestEpoch)));
    archive.write("epochs_since_best", c10::IValue(std::int64_t(epochsSinceBest)));
    archive.write("plateau_count", c10::IValue(std::int64_t(plateauCount)));
    archive.write("history", c10::IValue(encodeHistory(history)));
    saveArchiveAtomically(archive, config.runDir / kCheckpoint);
    writeFileAtomically(config.runDir / "curves.csv", historyCsv(history));
}

torch::serialize::InputArchive TorchTrainer::openCheckpoint(const std::filesystem::path& file, torch::Device on) const {
    torch::serialize::InputArchive archive;
    try {
        archive.load_from(file.string(), on);
    } catch (const std::exception& e) {
        throw fileError(file, std::string("cannot read the checkpoint: ") + e.what());
    }
    auto text = [&](const char* key) {
        c10::IValue v;
        archive.read(key, v);
        return v.toStringRef();
    };
    if (text("spec") != spec.toString())
        throw fileError(file, "was written for model " + text("spec") + ", not " + spec.toString());
    if (text("task") != train.task().toString())
        throw fileError(file, "was written for task " + text("task") + ", not " + train.task().toString());
    if (text("optimizer_kind") != toString(config.optimizer))
        throw fileError(file, "was written with optimizer " + text("optimizer_kind"));
    return archive;
}

void TorchTrainer::loadCheckpoint(const std::filesystem::path& dir) {
    const auto file = dir / kCheckpoint;
    torch::serialize::InputArchive archive = openCheckpoint(file, device);
    auto text = [&](const char* key) {
        c10::IValue v;
        archive.read(key, v);
        return v.toStringRef();
    };
    auto integer = [&](const char* key) {
        c10::IValue v;
        archive.read(key, v);
        return v.toInt();
    };
    auto real = [&](const char* key) {
        c10::IValue v;
        archive.read(key, v);
        return v.toDouble();
    };
    try {
        torch::serialize::InputArchive model, opt;
        archive.read("model", model);
        archive.read("optimizer", opt);
        loadModuleChecked(*net, model, file);
        applyMemoryLayout(*net, layout, device);  // a checkpoint may come from a run with the other layout
        optimizer->load(opt);
    } catch (const c10::Error& e) {
        throw fileError(file, std::string("does not match the model: ") + e.what_without_backtrace());
    }
    epochsDone = int(integer("epochs_done"));
    step = integer("step");
    learningRate = real("learning_rate");
    bestLoss = real("best_loss");
    bestEpoch = int(integer("best_epoch"));
    epochsSinceBest = int(integer("epochs_since_best"));
    plateauCount = int(integer("plateau_count"));
    history = decodeHistory(text("history"), config.epochs);
}

}  // namespace sonolab::ml
