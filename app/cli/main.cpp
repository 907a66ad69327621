// sonolab-cli: Sonolab without a GUI, for servers, GPU boxes and scripts.
#include "Commands.h"

#include "core/ml/ProcessSetup.h"
#include "core/util/Error.h"
#include "core/util/Progress.h"

#include <iostream>

int main(int argc, char** argv) {
    // Allocator and libtorch settings for the whole process, once; each command's --threads applies to its run only.
    sonolab::ml::configureProcess();
    CLI::App app{"sonolab-cli: decode, extract features, manage the library, train, evaluate and search, headless."};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("sonolab-cli 0.1.0"));
#ifndef SONOLAB_TRAINING_ONLY
    sonolab::cli::addInfoCommand(app);
    sonolab::cli::addBenchDecodeCommand(app);
    sonolab::cli::addFeaturesCommand(app);
    sonolab::cli::addExtractCommand(app);
    sonolab::cli::addBenchFeaturesCommands(app);
    sonolab::cli::addBenchKnnCommand(app);
    sonolab::cli::addSimilarCommands(app);
    sonolab::cli::addEmbedCommand(app);
    sonolab::cli::addOnsetsCommands(app);
    sonolab::cli::addLibraryCommand(app);
    sonolab::cli::addExportDatasetCommand(app);
    sonolab::cli::addEvaluateCommand(app);
    sonolab::cli::addPredictCommand(app);
    sonolab::cli::addPretrainCommand(app);
#endif
    sonolab::cli::addTrainCommand(app);
    sonolab::cli::addBenchTrainCommand(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const sonolab::cli::CommandFailed& failed) {
        return failed.exitCode;
    } catch (const sonolab::Cancelled&) {
        std::cerr << "sonolab-cli: stopped\n";
        return 130;
    } catch (const std::exception& e) {
        std::cerr << "sonolab-cli: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
