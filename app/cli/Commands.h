#pragma once
// Each sonolab-cli subcommand lives in its own file and registers itself here.
// The command-line forms are a contract with scripts and users: add options freely, never rename them.
#include <CLI/CLI.hpp>

namespace sonolab {
struct Progress;
}

namespace sonolab::cli {

// Every add*Command() adds its subcommand and the callback that runs it. Callbacks report failure by throwing
// CommandFailed (after printing their own message) so main() can return the right exit status.
struct CommandFailed {
    int exitCode = 1;
};

// The `bench` subcommand group, created on first call and returned on later ones: each area adds its own
// `bench <name>` subcommand to it (BenchCommand.cpp).
CLI::App* benchGroup(CLI::App& app);
// CPU seconds this thread has used (BenchGroup.cpp): on a shared, busy machine the steadier figure than wall time.
double threadCpuSeconds();
// bench decode (BenchCommand.cpp).
void addBenchDecodeCommand(CLI::App& app);
// info FILE... [--json] (InfoCommand.cpp).
void addInfoCommand(CLI::App& app);

// bench knn (BenchKnnCommand.cpp).
void addBenchKnnCommand(CLI::App& app);
// similar, evaluate-similarity, train-siamese (SimilarCommand.cpp).
void addSimilarCommands(CLI::App& app);
// Each new progress message once on stderr, for commands that build a collection space (SimilarCommand.cpp).
Progress stderrProgress();
// embed --space mfcc|rp|...|--run RUN --db LIB --out DIR (EmbedCommand.cpp).
void addEmbedCommand(CLI::App& app);

// onsets, onsets-train, onsets-evaluate (OnsetsCommand.cpp).
void addOnsetsCommands(CLI::App& app);
// library scan|import|stats|split|derive|list (LibraryCommand.cpp).
void addLibraryCommand(CLI::App& app);


// features FILE --kind ... --out OUT.npy (FeaturesCommand.cpp).
void addFeaturesCommand(CLI::App& app);
// extract DIR|FILES --cache DIR [--kind ...] [--threads N] (ExtractCommand.cpp).
void addExtractCommand(CLI::App& app);
// bench stft, bench features (BenchFeaturesCommand.cpp).
void addBenchFeaturesCommands(CLI::App& app);
// train, evaluate, predict, bench train (TrainCommand.cpp, EvaluateCommand.cpp, PredictCommand.cpp,
// BenchTrainCommand.cpp).
void addTrainCommand(CLI::App& app);
void addEvaluateCommand(CLI::App& app);
void addPredictCommand(CLI::App& app);
void addBenchTrainCommand(CLI::App& app);
// pretrain (PretrainCommand.cpp): self-supervised pretraining on the library.
void addPretrainCommand(CLI::App& app);
// export-dataset (ExportDatasetCommand.cpp): a library's training set as a folder for `train --data`.
void addExportDatasetCommand(CLI::App& app);

}  // namespace sonolab::cli
