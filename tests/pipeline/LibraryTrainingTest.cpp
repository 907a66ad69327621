// Training from a real (small, generated) library: WAV files on disk, a label set, a split, features through the
// feature cache, training, whole-track evaluation on the test part, the run stored in the runs table, and the CLI
// forms (train / evaluate / predict, and resuming a training process killed with SIGKILL).
#include "core/util/ContentHash.h"
#include "core/library/LibraryDatabase.h"
#include "core/ml/DatasetFolder.h"
#include "core/ml/SavedModel.h"
#include "core/pipeline/LibraryTraining.h"
#include "core/util/Error.h"
#include "support/SmallLogMel.h"
#include "support/TestSupport.h"
#include "support/ToneNoiseLibrary.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

using namespace sonolab;
namespace fs = std::filesystem;

namespace {

// 24 two-second clips: pure tones (200..2000 Hz) and white noise, split 16/4/4 (balanced), grouped in pairs.
fs::path makeLibrary(const fs::path& dir) { return test::makeToneNoiseLibrary(dir, 24); }

pipeline::LibraryTrainingRequest request(const fs::path& lib, const fs::path& run, int epochs) {
    pipeline::LibraryTrainingRequest r;
    r.library = lib;
    r.task = "binary:noise";
    r.model = ml::ModelSpec::parse("compact_cnn:filters=8/8/8");
    r.config.runDir = run;
    r.config.epochs = epochs;
    r.config.batchSize = 4;
    r.config.threads = 1;
    r.config.learningRate = 3e-3;
    r.features = test::smallLogMel();
    return r;
}

}  // namespace

TEST(LibraryTraining, TrainsEvaluatesOnTestAndStoresTheRun) {
    const auto dir = test::freshDir("pipeline-train");
    const auto lib = makeLibrary(dir);
    const auto run = dir / "run";
    auto result = pipeline::trainFromLibrary(request(lib, run, 6));
    ASSERT_EQ(result.training.state, ml::TrainingState::Finished) << result.training.message;
    EXPECT_EQ(result.trainExamples, 16u);
    EXPECT_EQ(result.validationExamples, 4u);
    EXPECT_EQ(result.testExamples, 4u);
    EXPECT_TRUE(result.failedFiles.empty());
    ASSERT_TRUE(result.test.has_value());
    EXPECT_EQ(result.test->predictions.size(), 4u);
    EXPECT_GE(result.test->report.accuracy, 0.75);  // tones vs noise: easy

    // The run folder knows its features and data; the metrics of the test part are stored in it.
    const auto info = ml::readSavedModelInfo(run);
    EXPECT_EQ(info.featureSpec.rfind("logmel;", 0), 0u) << info.featureSpec;
    EXPECT_EQ(info.extra.at("split"), "grouped");
    EXPECT_TRUE(info.metrics.count("test_accuracy"));
    EXPECT_TRUE(fs::exists(pipeline::defaultFeatureCacheFor(lib) / "v1"));

    // A row in the runs table with curves.
    library::LibraryDatabase db(lib);
    auto row = db.run(result.runId);
    ASSERT_TRUE(row.has_value());
    EXPECT_EQ(row->status, "finished");
    EXPECT_NE(row->metricsJson.find("test_accuracy"), std::string::npos);
    EXPECT_EQ(db.runPoints(result.runId, "train/loss").size(), 6u);
    EXPECT_FALSE(db.runPoints(result.runId, "train/batch_loss").empty());

    // Evaluating again gives the same test metrics; prediction of a file matches its whole-track evaluation.
    auto ev = pipeline::evaluateRun(run, lib);
    EXPECT_DOUBLE_EQ(ev.report.accuracy, result.test->report.accuracy);
    auto predictor = ml::Predictor::load(run);
    const auto& first = ev.predictions.front();
    auto p = pipeline::predictFile(predictor, first.path);
    ASSERT_EQ(p.probabilities.size(), 1u);
    EXPECT_NEAR(p.probabilities[0], first.probabilities[0], 1e-5);
    EXPECT_GT(p.windows.size(), 4u);  // 173 frames in 40-frame windows, hop 20
}

TEST(LibraryTraining, ClearErrorsForBadRequests) {
    const auto dir = test::freshDir("pipeline-errors");
    const auto lib = makeLibrary(dir);
    auto r = request(lib, dir / "run", 1);
    r.task = "binary:violin";
    EXPECT_THROW(pipeline::trainFromLibrary(r), Error);
    r = request(lib, dir / "run", 1);
    r.split = "nope";
    EXPECT_THROW(pipeline::trainFromLibrary(r), Error);
}

TEST(TrainCli, TrainEvaluatePredictAndResumeAfterKill) {
    const std::string cli = test::cliPath();
    if (!fs::exists(cli)) GTEST_SKIP() << "sonolab-cli not built at " << cli;
    const auto dir = test::freshDir("pipeline-cli");
    const auto lib = makeLibrary(dir);
    const std::string common = " --db " + lib.string() + " --task binary:noise --model compact_cnn:filters=8/8/8" +
                               " --epochs 8 --batch-size 4 --threads 1 --lr 0.003 --seed 7 --quiet";
    // Uninterrupted.
    int status = 0;
    const auto out = test::capture(cli + " train" + common + " --out " + (dir / "straight").string() + " --json", &status);
    ASSERT_EQ(status, 0) << out;
    EXPECT_NE(out.find("\"test\""), std::string::npos);

    // Killed after its first checkpoint, then resumed.
    const auto killed = dir / "killed";
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        const std::string cmd = "exec " + cli + " train" + common + " --out " + killed.string() + " >/dev/null 2>&1";
        execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    bool sawCheckpoint = false;
    for (int i = 0; i < 60000 && !sawCheckpoint; ++i) {
        if (fs::exists(killed / "checkpoint.pt")) sawCheckpoint = true;
        else std::this_thread::sleep_for(std::chrono::milliseconds(2));
        if (waitpid(pid, &status, WNOHANG) == pid) break;
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    ASSERT_TRUE(sawCheckpoint);
    const auto resumed = test::capture(cli + " train" + common + " --out " + killed.string() + " --resume --json", &status);
    ASSERT_EQ(status, 0) << resumed;
    auto curves = [](const fs::path& run) {
        std::ifstream in(run / "curves.csv");
        std::string text((std::istreambuf_iterator<char>(in)), {});
        // Drop the timing columns (seconds, samples/s): only the numbers that must match.
        std::string kept;
        std::istringstream lines(text);
        for (std::string line; std::getline(lines, line);) {
            std::vector<std::string> cells;
            std::istringstream c(line);
            for (std::string cell; std::getline(c, cell, ',');) cells.push_back(cell);
            for (std::size_t k = 0; k < cells.size(); ++k)
                if (k != 4 && k != 5) kept += cells[k] + ",";
            kept += "\n";
        }
        return kept;
    };
    EXPECT_EQ(curves(killed), curves(dir / "straight"));

    // A resume that does not match the checkpoint is refused naming it, and the stored run stays as it finished.
    const auto mismatched = test::capture(cli + " train" + common + " --optimizer sgd --out " + killed.string() +
                                              " --resume 2>&1", &status);
    EXPECT_NE(status, 0);
    EXPECT_NE(mismatched.find((killed / "checkpoint.pt").string() + ": was written with optimizer adam"), std::string::npos)
        << mismatched;
    {
        library::LibraryDatabase db(lib);
        const auto runs = db.runs();
        const auto row = std::find_if(runs.begin(), runs.end(),
                                      [&](const auto& r) { return r.runDir == fs::absolute(killed).string(); });
        ASSERT_NE(row, runs.end());
        EXPECT_EQ(row->status, "finished");
        EXPECT_EQ(nlohmann::json::parse(row->settingsJson).at("optimizer"), "adam");
    }

    // evaluate and predict on the run.
    const auto ev = test::capture(cli + " evaluate --run " + (dir / "straight").string() + " --db " + lib.string() + " --json", &status);
    ASSERT_EQ(status, 0) << ev;
    EXPECT_NE(ev.find("\"accuracy\""), std::string::npos);
    // The README's form: --split names a part when the library has no split of that name.
    const std::string evaluateStraight = cli + " evaluate --run " + (dir / "straight").string() + " --db " + lib.string();
    for (const std::string part : {"test", "validation"}) {
        const auto byPart = test::capture(evaluateStraight + " --split " + part + " --json", &status);
        ASSERT_EQ(status, 0) << byPart;
        EXPECT_NE(byPart.find("\"part\": \"" + part + "\""), std::string::npos) << byPart;
        EXPECT_EQ(byPart, test::capture(evaluateStraight + " --part " + part + " --json", &status));
    }
    test::capture(evaluateStraight + " --split test --part train 2>&1", &status);
    EXPECT_NE(status, 0);
    const auto pr = test::capture(cli + " predict --run " + (dir / "straight").string() + " " + (dir / "clip1.wav").string() +
                                      " --json --windows", &status);
    ASSERT_EQ(status, 0) << pr;
    EXPECT_NE(pr.find("\"noise\""), std::string::npos);
    EXPECT_NE(pr.find("over_time"), std::string::npos);
    // A file that is not audio is reported and the exit status says so.
    std::ofstream(dir / "bad.wav") << "not audio";
    test::capture(cli + " predict --run " + (dir / "straight").string() + " " + (dir / "bad.wav").string() + " 2>&1", &status);
    EXPECT_NE(status, 0);
}

// The GPU-server path: export the library's training set as a folder, then train on the folder alone.
TEST(TrainCli, ExportDatasetThenTrainOnTheFolder) {
    const std::string cli = test::cliPath();
    if (!fs::exists(cli)) GTEST_SKIP() << "sonolab-cli not built at " << cli;
    const auto dir = test::freshDir("pipeline-export");
    const auto lib = makeLibrary(dir);
    int status = 0;
    const auto exported = test::capture(cli + " export-dataset --db " + lib.string() + " --task binary:noise" +
                                            " --model compact_cnn --out " + (dir / "data").string() + " -q 2>&1",
                                        &status);
    ASSERT_EQ(status, 0) << exported;
    EXPECT_NE(exported.find("16 train, 4 validation, 4 test"), std::string::npos) << exported;

    const auto data = ml::readDatasetFolder(dir / "data");
    EXPECT_EQ(data.info.task.toString(), "binary:noise");
    EXPECT_FALSE(data.info.featureSpec.empty());
    ASSERT_EQ(data.train.size(), 16u);
    EXPECT_EQ(data.train.features(0).bins(), 80u);  // compact_cnn's default input: 80 mel bands

    const auto out = test::capture(cli + " train --data " + (dir / "data").string() +
                                       " --model compact_cnn:filters=8/8/8 --epochs 6 --batch-size 4 --threads 1" +
                                       " --lr 0.003 --seed 7 --quiet --json --out " + (dir / "run").string(),
                                   &status);
    ASSERT_EQ(status, 0) << out;
    const auto json = nlohmann::json::parse(out);
    EXPECT_EQ(json["examples"]["test"], 4);
    const auto& history = json["history"];
    ASSERT_EQ(history.size(), 6u);
    EXPECT_LT(history.back()["train_loss"].get<double>(), history.front()["train_loss"].get<double>());
    EXPECT_TRUE(json["test"].contains("accuracy")) << out;
    EXPECT_TRUE(ml::isRunFolder(dir / "run"));

    const auto both = test::capture(cli + " train --data " + (dir / "data").string() + " --db " + lib.string() +
                                        " --model dense --out " + (dir / "x").string() + " 2>&1",
                                    &status);
    EXPECT_NE(status, 0);
}
