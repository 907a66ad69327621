#include "core/ml/TrainingConfigText.h"

#include "core/util/Error.h"
#include "core/util/Text.h"

namespace sonolab::ml {
namespace {

// Reads the keys it knows from one map, each with its own parser.
struct EntryReader {
    const std::map<std::string, std::string>& extra;
    const std::string* find(const std::string& key) const {
        auto it = extra.find(key);
        return it == extra.end() ? nullptr : &it->second;
    }
    template <typename T, typename Parse>
    void read(const std::string& key, T& into, Parse parse) const {
        const std::string* v = find(key);
        if (!v) return;
        try {
            into = parse(*v);
        } catch (const Error&) {
            throw;
        } catch (const std::exception&) {
            throw Error("model.txt " + key, "'" + *v + "' is not a valid value");
        }
    }
    void number(const std::string& key, double& into) const { read(key, into, [](const std::string& s) { return std::stod(s); }); }
    void number(const std::string& key, float& into) const { read(key, into, [](const std::string& s) { return std::stof(s); }); }
    void number(const std::string& key, int& into) const { read(key, into, [](const std::string& s) { return std::stoi(s); }); }
    void number(const std::string& key, std::uint64_t& into) const {
        read(key, into, [](const std::string& s) { return std::uint64_t(std::stoull(s)); });
    }
    void count(const std::string& key, std::size_t& into) const {  // size_t may be uint64_t: its own name
        read(key, into, [](const std::string& s) { return std::size_t(std::stoull(s)); });
    }
    void flag(const std::string& key, bool& into) const { read(key, into, [](const std::string& s) { return s == "1" || s == "true"; }); }
};

// Every run's recipe since it was first recorded.
std::map<std::string, std::string> recipeEntries(const TrainingConfig& c) {
    const auto& a = c.augmentation;
    return {{"config.optimizer", std::string(toString(c.optimizer))},
            {"config.learning_rate", shortestText(c.learningRate)},
            {"config.momentum", shortestText(c.momentum)},
            {"config.nesterov", c.nesterov ? "1" : "0"},
            {"config.weight_decay", shortestText(c.weightDecay)},
            {"config.schedule", std::string(toString(c.schedule))},
            {"config.step_epochs", std::to_string(c.stepEpochs)},
            {"config.gamma", shortestText(c.gamma)},
            {"config.plateau_patience", std::to_string(c.plateauPatience)},
            {"config.min_learning_rate", shortestText(c.minLearningRate)},
            {"config.warmup_epochs", std::to_string(c.warmupEpochs)},
            {"config.epochs", std::to_string(c.epochs)},
            {"config.batch_size", std::to_string(c.batchSize)},
            {"config.seed", std::to_string(c.seed)},
            {"config.patience", std::to_string(c.earlyStoppingPatience)},
            {"config.restore_best", c.restoreBest ? "1" : "0"},
            {"config.class_weighting", c.classWeighting ? "1" : "0"},
            {"config.mixup_alpha", shortestText(c.mixupAlpha)},
            {"config.window_frames", std::to_string(c.windowFrames)},
            {"config.standardization", std::string(toString(c.standardization))},
            {"config.gradient_clip_norm", shortestText(c.gradientClipNorm)},
            {"config.augment.random_crop", a.randomCrop ? "1" : "0"},
            {"config.augment.noise_std", shortestText(a.noiseStd)},
            {"config.augmentations", c.spectrogramAugmentation.toString()},
            {"config.init_run", c.initRun.string()},
            {"config.freeze_encoder", c.freezeEncoder ? "1" : "0"}};
}

}  // namespace

std::map<std::string, std::string> trainingConfigEntries(const TrainingConfig& c) {
    auto entries = recipeEntries(c);
    // Written only where used, so that the recipe text (and with it the keys of fold models kept in run folders,
    // FoldEvaluation.h) of every run without LP-FT stays what it was before LP-FT existed.
    if (c.probeEpochs > 0) {
        entries["config.probe_epochs"] = std::to_string(c.probeEpochs);
        entries["config.fine_tune_learning_rate"] = shortestText(c.fineTuneLearningRate);
    }
    return entries;
}

TrainingConfig trainingConfigFromEntries(const std::map<std::string, std::string>& extra) {
    TrainingConfig c;
    const EntryReader r{extra};
    // What every run folder has recorded since the first release.
    r.read("optimizer", c.optimizer, [](const std::string& s) { return parseOptimizer(s); });
    r.number("learning_rate", c.learningRate);
    r.number("batch_size", c.batchSize);
    r.number("seed", c.seed);
    r.number("epochs_planned", c.epochs);
    // The whole recipe, in runs trained since it was recorded.
    r.read("config.optimizer", c.optimizer, [](const std::string& s) { return parseOptimizer(s); });
    r.number("config.learning_rate", c.learningRate);
    r.number("config.momentum", c.momentum);
    r.flag("config.nesterov", c.nesterov);
    r.number("config.weight_decay", c.weightDecay);
    r.read("config.schedule", c.schedule, [](const std::string& s) { return parseSchedule(s); });
    r.number("config.step_epochs", c.stepEpochs);
    r.number("config.gamma", c.gamma);
    r.number("config.plateau_patience", c.plateauPatience);
    r.number("config.min_learning_rate", c.minLearningRate);
    r.number("config.warmup_epochs", c.warmupEpochs);
    r.number("config.epochs", c.epochs);
    r.number("config.batch_size", c.batchSize);
    r.number("config.seed", c.seed);
    r.number("config.patience", c.earlyStoppingPatience);
    r.flag("config.restore_best", c.restoreBest);
    r.flag("config.class_weighting", c.classWeighting);
    r.number("config.mixup_alpha", c.mixupAlpha);
    r.count("config.window_frames", c.windowFrames);
    r.read("config.standardization", c.standardization, [](const std::string& s) { return parseStandardizationMode(s); });
    r.number("config.gradient_clip_norm", c.gradientClipNorm);
    auto& a = c.augmentation;
    r.flag("config.augment.random_crop", a.randomCrop);
    r.number("config.augment.noise_std", a.noiseStd);
    // Batch augmentations and the pretrained encoder (a fold trains from the same starting point as the run).
    r.read("config.augmentations", c.spectrogramAugmentation,
           [](const std::string& s) { return SpectrogramAugmentation::parse(s); });
    // Runs from before gain and masks had one owner recorded them per crop: the same kinds of change, on the batch.
    float gainDb = 0;
    int frequencyMasks = 0, timeMasks = 0;
    r.number("config.augment.gain_db", gainDb);
    r.number("config.augment.frequency_masks", frequencyMasks);
    r.number("config.augment.time_masks", timeMasks);
    c.spectrogramAugmentation.add(SpectrogramAugmentation::fromCropSettings(gainDb, frequencyMasks, timeMasks));
    r.read("config.init_run", c.initRun, [](const std::string& s) { return std::filesystem::path(s); });
    r.flag("config.freeze_encoder", c.freezeEncoder);
    r.number("config.probe_epochs", c.probeEpochs);
    r.number("config.fine_tune_learning_rate", c.fineTuneLearningRate);
    return c;
}

}  // namespace sonolab::ml
