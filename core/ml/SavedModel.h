#pragma once
// A run folder holds everything needed to use a trained model, readable with libtorch alone:
//   model.pt             weights (torch archive)
//   model.txt            key=value metadata (below), one per line, '#' comments: no JSON library needed
//   standardization.npy  [2, n] mean and 1/std rows (absent when mode is none)
//   curves.csv           epoch, train_loss, validation_loss, learning_rate, seconds, metrics...
//   checkpoint.pt        the last epoch's training state (for resuming)
#include "core/ml/FeatureMatrix.h"
#include "core/ml/ModelSpec.h"
#include "core/ml/Standardization.h"
#include "core/util/TaskSpec.h"

#include <filesystem>
#include <map>
#include <string>

namespace sonolab::ml {

struct SavedModelInfo {
    ModelSpec model;
    TaskSpec task;
    InputShape input;            // bands x window frames the network takes
    std::string featureSpec;     // how to compute its input from audio (the features engineer's spec string)
    Standardization standardization;
    std::string dataset;         // name of the training data set
    std::map<std::string, double> metrics;  // validation (or test, once evaluated) metrics
    std::map<std::string, std::string> extra;  // free key=value pairs (seed, epochs, optimizer, created...)
    int epochs = 0;
    std::size_t embeddingSize = 0;  // width of embed()
};

// The largest input a run folder may declare (model.txt is checked against these before a network is built).
inline constexpr std::size_t kMaxInputBands = 8192, kMaxInputFrames = 1 << 16;

void writeSavedModelInfo(const std::filesystem::path& runDir, const SavedModelInfo& info);
SavedModelInfo readSavedModelInfo(const std::filesystem::path& runDir);  // throws sonolab::Error naming the file
bool isRunFolder(const std::filesystem::path& runDir);  // has model.txt and model.pt
// Replaces the metrics stored with the model (e.g. after `evaluate` on the test split), under a key prefix.
void updateSavedMetrics(const std::filesystem::path& runDir, const std::map<std::string, double>& metrics,
                        const std::string& prefix = "test_");

}  // namespace sonolab::ml
