#include "ui/training/RunSettings.h"

#include "core/util/Error.h"

#include <QJsonValue>

#include <algorithm>

namespace sonolab::ui {

QJsonObject SiameseSettings::toJson() const {
    return QJsonObject{{"pairs", pairs},           {"loss", loss},
                       {"margin", margin},         {"pairs_per_track", pairsPerTrack},
                       {"identity", identity},     {"marks", marks},
                       {"class_table", classTable}};
}

SiameseSettings SiameseSettings::fromJson(const QJsonObject& json) {
    SiameseSettings s;
    s.enabled = true;
    s.pairs = json["pairs"].toString(s.pairs);
    s.loss = json["loss"].toString(s.loss);
    s.margin = json["margin"].toDouble(s.margin);
    s.pairsPerTrack = json["pairs_per_track"].toInt(s.pairsPerTrack);
    s.identity = json["identity"].toBool(s.identity);
    s.marks = json["marks"].toBool(s.marks);
    s.classTable = json["class_table"].toString(s.classTable);
    if (s.pairs != "labels" && s.pairs != "table" && s.pairs != "tags")
        throw Error("run settings", "'siamese.pairs' is not labels, table or tags");
    if (s.loss != "contrastive" && s.loss != "triplet")
        throw Error("run settings", "'siamese.loss' is not contrastive or triplet");
    return s;
}

void PretrainingSettings::applyTo(ml::PretrainingConfig& config) const {
    config.steps = std::size_t(std::max(0, steps));
    config.temperature = temperature;
    config.pairBy = pairBy;
    config.projectionDim = std::size_t(std::max(1, projection));
}

ml::PretrainingConfig RunSettings::pretrainingConfig() const {
    ml::PretrainingConfig c;
    c.training = config;
    c.cropFrames = config.windowFrames;
    c.augmentation = config.spectrogramAugmentation;
    pretraining.applyTo(c);
    return c;
}

// The keys core/pipeline's pretraining writes to the runs table (LibraryPretraining.cpp), so its rows read back.
QJsonObject PretrainingSettings::toJson() const {
    return QJsonObject{{"temperature", temperature},
                       {"pair_by", QString::fromUtf8(ml::toString(pairBy).data())},
                       {"projection_dim", projection}};
}

PretrainingSettings PretrainingSettings::fromJson(const QJsonObject& json) {
    PretrainingSettings s;
    s.temperature = json["temperature"].toDouble(s.temperature);
    if (json.contains("pair_by")) s.pairBy = ml::parsePairBy(json["pair_by"].toString().toStdString());
    s.projection = json["projection_dim"].toInt(s.projection);
    if (!(s.temperature > 0)) throw Error("run settings", "'pretraining.temperature' is not above 0");
    if (s.projection < 1) throw Error("run settings", "'pretraining.projection_dim' is below 1");
    return s;
}

QJsonObject RunSettings::toJson() const {
    const ml::TrainingConfig& c = config;
    QJsonObject augmentation{{"random_crop", c.augmentation.randomCrop},
                             {"noise_std", double(c.augmentation.noiseStd)}};
    QJsonObject out{
        {"name", name},
        {"data_set", dataSet},
        {"task", task},
        {"split", split},
        {"features", featureSpec},
        {"model", model},
        {"optimizer", QString::fromUtf8(ml::toString(c.optimizer).data())},
        {"learning_rate", c.learningRate},
        {"momentum", c.momentum},
        {"weight_decay", c.weightDecay},
        {"schedule", QString::fromUtf8(ml::toString(c.schedule).data())},
        {"epochs", c.epochs},
        {"batch_size", c.batchSize},
        {"seed", QString::number(c.seed)},
        {"threads", c.threads},
        {"early_stopping_patience", c.earlyStoppingPatience},
        {"restore_best", c.restoreBest},
        {"warmup_epochs", c.warmupEpochs},
        {"mixup_alpha", c.mixupAlpha},
        {"class_weighting", c.classWeighting},
        {"window_frames", qint64(c.windowFrames)},
        {"standardization", QString::fromUtf8(ml::toString(c.standardization).data())},
        {"device", QString::fromUtf8(ml::toString(c.device).data())},
        {"augmentation", augmentation},
        {"run_dir", QString::fromStdString(c.runDir.string())},
    };
    if (siamese.enabled) out["siamese"] = siamese.toJson();
    if (pretrain) {
        out["pretrain"] = true;
        out["steps"] = pretraining.steps;
        out["pretraining"] = pretraining.toJson();
    }
    if (!c.initRun.empty()) {
        out["init_run"] = QString::fromStdString(c.initRun.string());
        out["freeze_encoder"] = c.freezeEncoder;
        if (c.probeEpochs > 0) {  // LP-FT (`train --probe-epochs N`): the names core/pipeline stores too
            out["probe_epochs"] = c.probeEpochs;
            out["fine_tune_learning_rate"] = c.fineTuneLearningRate;
        }
    }
    if (c.spectrogramAugmentation.any())
        out["spectrogram_augmentations"] = QString::fromStdString(c.spectrogramAugmentation.toString());
    return out;
}

RunSettings RunSettings::fromJson(const QJsonObject& json) {
    RunSettings s;
    auto text = [&](const char* key, QString& out) {
        if (!json.contains(key)) return;
        if (!json[key].isString()) throw Error("run settings", std::string("'") + key + "' is not text");
        out = json[key].toString();
    };
    auto number = [&](const char* key, auto& out) {
        if (!json.contains(key)) return;
        if (!json[key].isDouble()) throw Error("run settings", std::string("'") + key + "' is not a number");
        out = static_cast<std::remove_reference_t<decltype(out)>>(json[key].toDouble());
    };
    auto flag = [&](const QJsonObject& o, const char* key, bool& out) {
        if (o.contains(key)) out = o[key].toBool(out);
    };
    text("name", s.name);
    text("data_set", s.dataSet);
    text("task", s.task);
    text("split", s.split);
    text("features", s.featureSpec);
    text("model", s.model);
    ml::TrainingConfig& c = s.config;
    // A text value the config stores as its own type: absent or empty keeps the default.
    auto parsed = [&](const char* key, auto& out, auto parse) {
        QString v;
        text(key, v);
        if (!v.isEmpty()) out = parse(v.toStdString());
    };
    parsed("optimizer", c.optimizer, ml::parseOptimizer);
    parsed("schedule", c.schedule, ml::parseSchedule);
    parsed("standardization", c.standardization, ml::parseStandardizationMode);
    parsed("device", c.device, ml::parseDevice);
    // Text keeps all 64 bits (the dashboard writes it so); runs stored by core/pipeline write a number.
    if (json["seed"].isDouble()) c.seed = std::uint64_t(json["seed"].toDouble());
    else parsed("seed", c.seed, [](const std::string& v) { return QString::fromStdString(v).toULongLong(); });
    parsed("run_dir", c.runDir, [](const std::string& v) { return std::filesystem::path(v); });
    number("learning_rate", c.learningRate);
    number("momentum", c.momentum);
    number("weight_decay", c.weightDecay);
    number("epochs", c.epochs);
    number("batch_size", c.batchSize);
    number("threads", c.threads);
    number("early_stopping_patience", c.earlyStoppingPatience);
    number("warmup_epochs", c.warmupEpochs);
    number("mixup_alpha", c.mixupAlpha);
    number("window_frames", c.windowFrames);
    flag(json, "class_weighting", c.classWeighting);
    flag(json, "restore_best", c.restoreBest);  // absent in rows older than the choice: the best epoch, as they kept
    const QJsonObject a = json["augmentation"].toObject();
    flag(a, "random_crop", c.augmentation.randomCrop);
    c.augmentation.noiseStd = float(a["noise_std"].toDouble(c.augmentation.noiseStd));
    if (json["siamese"].isObject()) s.siamese = SiameseSettings::fromJson(json["siamese"].toObject());
    flag(json, "pretrain", s.pretrain);
    if (json["pretraining"].isObject()) {
        s.pretrain = true;  // core/pipeline's rows say so by this object alone
        s.pretraining = PretrainingSettings::fromJson(json["pretraining"].toObject());
        // core/pipeline keeps a pretraining's augmentations there ("none" included).
        const QJsonValue augmentations = json["pretraining"].toObject()["augmentations"];
        if (augmentations.isString())
            c.spectrogramAugmentation = ml::SpectrogramAugmentation::parse(augmentations.toString().toStdString());
    }
    // The steps a pretraining took at least; stored before it had a length in steps: its epochs alone.
    s.pretraining.steps = 0;
    number("steps", s.pretraining.steps);
    if (s.pretraining.steps < 0) throw Error("run settings", "'steps' is below 0");
    parsed("init_run", c.initRun, [](const std::string& v) { return std::filesystem::path(v); });
    flag(json, "freeze_encoder", c.freezeEncoder);
    // A CLI run trained with --probe-epochs resumes with them (else its encoder would train from the first epoch).
    number("probe_epochs", c.probeEpochs);
    number("fine_tune_learning_rate", c.fineTuneLearningRate);
    parsed("spectrogram_augmentations", c.spectrogramAugmentation, ml::SpectrogramAugmentation::parse);
    // Rows core/pipeline stored alone (runs of `sonolab-cli train`) name these "init", "freeze" and "augmentations";
    // without them a reopened CLI probe showed "from scratch", and Start or Resume trained something else.
    if (!json.contains("init_run")) parsed("init", c.initRun, [](const std::string& v) { return std::filesystem::path(v); });
    if (!json.contains("freeze_encoder")) flag(json, "freeze", c.freezeEncoder);
    if (!json.contains("spectrogram_augmentations") && json["augmentations"].isString())
        parsed("augmentations", c.spectrogramAugmentation, ml::SpectrogramAugmentation::parse);
    // Settings stored before gain and masks had one owner kept them per crop: the same kinds of change, on the batch.
    c.spectrogramAugmentation.add(ml::SpectrogramAugmentation::fromCropSettings(
        float(a["gain_db"].toDouble()), a["frequency_masks"].toInt(), a["time_masks"].toInt()));
    return s;
}

}  // namespace sonolab::ui
