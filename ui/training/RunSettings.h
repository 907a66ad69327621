#pragma once
// Everything a dashboard run is made of, as the run form fills it and as the runs table stores it (settings JSON),
// so a stored run can be reopened into the form and trained again.
#include "core/ml/ContrastivePretraining.h"
#include "core/ml/TrainingConfig.h"

#include <QJsonObject>
#include <QString>

namespace sonolab::ui {

// A similarity (siamese network) run instead of a classifier: how pairs are made and the loss (core/pipeline's
// SiameseTrainingRequest). The task's classes are the labels (single:) or the tags (multi:, for tag pairs).
struct SiameseSettings {
    bool enabled = false;
    QString pairs = QStringLiteral("labels");  // labels | table | tags
    QString loss = QStringLiteral("contrastive");  // contrastive | triplet (batch-hard mining)
    double margin = 1.0;                        // contrastive margin, or the triplet margin
    int pairsPerTrack = 5;
    bool identity = true;
    bool marks = true;                          // the similarity browser's similar / not similar marks
    QString classTable;                         // CSV for pairs = table

    QJsonObject toJson() const;
    static SiameseSettings fromJson(const QJsonObject& json);  // enabled = true
};

// What a pretraining run takes beyond `config` (whose model, rate, batch, schedule, warm-up, seed, threads and spectrogram
// augmentations it shares with a classifier run): the defaults are `sonolab-cli pretrain`'s (ml::PretrainingConfig).
struct PretrainingSettings {
    // At least this many optimizer steps (ml::PretrainingConfig::steps); config.epochs is the least number of epochs.
    int steps = int(ml::kDefaultPretrainingSteps);
    double temperature = ml::PretrainingConfig{}.temperature;
    ml::PairBy pairBy = ml::PretrainingConfig{}.pairBy;
    int projection = int(ml::PretrainingConfig{}.projectionDim);

    void applyTo(ml::PretrainingConfig& config) const;
    QJsonObject toJson() const;
    static PretrainingSettings fromJson(const QJsonObject& json);
};

struct RunSettings {
    QString name;           // shown in the runs list
    QString dataSet;        // the library file (or a data source's name)
    QString task;           // "binary:speech", "single:a,b,c", "multi:t1,t2" (core/ml TaskSpec syntax)
    QString split;          // the library split to train on; empty = the data source's own
    QString featureSpec;    // core/features spec string
    QString model;          // ModelSpec text, e.g. "compact_cnn:layers=3"
    ml::TrainingConfig config;
    SiameseSettings siamese;
    // Self-supervised pretraining on every track of the library (core/pipeline/LibraryPretraining.h) instead of a
    // classifier: task, label set and split are not used; model, epochs (the least), batch size, rate, schedule,
    // warm-up, spectrogram augmentations, seed, threads and the run folder are, with `pretraining`. The dashboard's
    // pretraining dialog sets it; core/pipeline's stored rows read back with it set.
    bool pretrain = false;
    PretrainingSettings pretraining;  // with pretrain
    // The pretraining these settings ask for: config as its training, the crop, the augmentations ("none" included)
    // and `pretraining`. The job runs it and the dashboard counts its epochs from it.
    ml::PretrainingConfig pretrainingConfig() const;
    // Continue the checkpoint in config.runDir (`train --resume`) instead of starting afresh. A request, not a
    // setting: never stored, so a stored run reopened into the form trains afresh.
    bool resume = false;

    QJsonObject toJson() const;
    // Missing keys keep their defaults; a malformed value throws sonolab::Error naming the key.
    static RunSettings fromJson(const QJsonObject& json);
};

}  // namespace sonolab::ui
