#pragma once
// The per-epoch curves of a run, as text inside the checkpoint (exact round trip) and as curves.csv.
#include "core/ml/TrainingObserver.h"

#include <string>
#include <vector>

namespace sonolab::ml {

std::string encodeHistory(const std::vector<EpochReport>& history);
std::vector<EpochReport> decodeHistory(const std::string& text, int epochs);
// epoch,train_loss,validation_loss,learning_rate,seconds,samples_per_second,<metric columns...>
std::string historyCsv(const std::vector<EpochReport>& history);
// Reads what historyCsv wrote (a run's curves.csv, perhaps written by a run training elsewhere). `best` is set on
// the epochs that lowered the validation loss. Throws sonolab::Error naming `source` on a malformed line; a last
// line without its newline is ignored (a copy that caught the file mid-write).
std::vector<EpochReport> readHistoryCsv(const std::string& text, const std::string& source);

}  // namespace sonolab::ml
