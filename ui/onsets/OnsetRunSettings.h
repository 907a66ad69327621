#pragma once
// What the onset-training panel asks for: a data set, the recurrent detector's shape, the SGD settings and which
// test fold to hold out (or all of them: k-fold cross-validation). Defaults: the tutorial's (part 3b) cell, layers
// and learning rate, with the units, batch, epochs and patience of the recipe measured on unseen rendered music
// (issue 16, README "Onsets": 3 x 32, batch 4, 40 epochs, patience 8: F 0.878).
#include <QString>

#include <filesystem>
#include <string>

namespace sonolab::ui {

struct OnsetRunSettings {
    std::filesystem::path dataFolder;  // ISMIR 2012 layout, or audio with .onsets beside it
    std::size_t foldsWithoutSplits = 8;  // folds for a data set without splits/ (round-robin over sorted names)
    std::string cell = "rnn";          // rnn | lstm | gru
    int layers = 3;
    int hidden = 32;
    int epochs = 40;
    int patience = 8;                  // early stopping on the validation F-measure; 0 = off
    double learningRate = 0.01;
    int batchSize = 4;
    int testFold = 0;                  // -1: every fold in turn (k-fold cross-validation)
    int threads = 1;                   // intra-op threads; the small recurrences do not gain from more
    std::uint64_t seed = 42;
    std::filesystem::path runFolder;   // written: fold-K/onset-rnn.pt, curves.csv, evaluation.csv
    std::filesystem::path featureCache;  // empty = <data>/.sonolab-cache/onsets
};

}  // namespace sonolab::ui
