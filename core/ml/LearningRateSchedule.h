#pragma once
// The learning rate of each batch, from the TrainingConfig alone (no torch), so tests can check it against the
// formulas below and the trainer, the curves and a resumed run all agree:
//
//   lr0           config.learningRate; after the probe epochs of LP-FT (probeEpochs > 0), fineTuneLearningRate where
//                 set: the schedule below then runs on that rate.
//   base(epoch)   constant: lr0;  step: lr0 * gamma^floor(epoch / stepEpochs);
//                 cosine:   lo + (lr0 - lo) * (1 + cos(pi * t)) / 2,  t = max(0, epoch - W) / max(1, epochs - W),
//                           lo = min(minLearningRate, lr0), W = warmupEpochs (the decay starts after the warm-up);
//                 plateau:  lr0 (the trainer lowers it by gamma after plateauPatience epochs without improvement)
//   warm-up       rate(epoch, batch) = base * min(1, (epoch * batches + batch + 1) / (W * batches)): linear per
//                 batch over the first W epochs (Goyal et al. 2017), so the first steps on a fresh network are small.
#include "core/ml/TrainingConfig.h"

namespace sonolab::ml {

double scheduledLearningRate(const TrainingConfig& config, int epoch);
double baseLearningRate(const TrainingConfig& config, int epoch);  // lr0 above
// LP-FT: the pretrained encoder is frozen during the first probeEpochs epochs (all of them with freezeEncoder).
bool encoderFrozenAt(const TrainingConfig& config, int epoch);
double warmupFactor(const TrainingConfig& config, int epoch, int batch, int batches);  // 1 when no warm-up

}  // namespace sonolab::ml
