#pragma once
// The parts of a TrainingConfig that decide what a run learns, as key=value text for the run folder's model.txt
// (SavedModelInfo::extra, keys "config.*"): `evaluate --folds K` trains each fold "with the run's config" from them.
// Where to write (runDir), threads, device and the data-parallel setup are the machine's, not the recipe's: left out.
#include "core/ml/TrainingConfig.h"

#include <map>
#include <string>

namespace sonolab::ml {

std::map<std::string, std::string> trainingConfigEntries(const TrainingConfig& config);
// A config from model.txt's entries: "config.*" keys where present, else the keys every run folder has had
// (optimizer, learning_rate, batch_size, seed, epochs_planned), else the defaults. Throws sonolab::Error on a value
// that does not parse.
TrainingConfig trainingConfigFromEntries(const std::map<std::string, std::string>& extra);

}  // namespace sonolab::ml
