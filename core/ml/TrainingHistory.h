#pragma once
// Internal: the per-epoch curves of a run, as text inside the checkpoint (exact round trip) and as curves.csv.
#include "core/ml/TrainingObserver.h"

#include <string>
#include <vector>

namespace sonolab::ml {

std::string encodeHistory(const std::vector<EpochReport>& history);
std::vector<EpochReport> decodeHistory(const std::string& text, int epochs);
// epoch,train_loss,validation_loss,learning_rate,seconds,samples_per_second,<metric columns...>
std::string historyCsv(const std::vector<EpochReport>& history);

}  // namespace sonolab::ml
