// TrainingRunController on the UI's one background-job helper: the job a run uses is the one it started with, a
// job's failure ends the run as Failed with its message, and a controller destroyed mid-run waits for its worker.
#include "DashboardFixture.h"
#include "core/util/Error.h"
#include "ui/training/TrainingRunController.h"

#include <QSignalSpy>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

using namespace sonolab;
using namespace sonolab::ui;

namespace {

// A job that says who it is once `release` is set (or it is cancelled: then it stops as core jobs do).
RunJob namedJob(std::string name, std::shared_ptr<std::atomic<bool>> release,
                std::shared_ptr<std::atomic<bool>> returned = std::make_shared<std::atomic<bool>>(false)) {
    return [name, release, returned](const RunSettings&, ml::TrainingObserver&, const Progress& progress,
                                     const TrainerHook&) {
        struct Flag {
            std::atomic<bool>& flag;
            ~Flag() { flag = true; }
        } flag{*returned};
        const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (!*release && std::chrono::steady_clock::now() < end) {
            progress.throwIfCancelled();
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        RunOutcome outcome;
        outcome.state = ml::TrainingState::Finished;
        outcome.message = name;
        return outcome;
    };
}

RunSettings settingsIn(const std::string& folder) {
    auto s = sonolab::test::fixtureSettings(1);
    s.config.runDir = std::filesystem::path(folder);
    return s;
}

}  // namespace

TEST(TrainingRunController, ARunKeepsTheJobItStartedWith) {
    TrainingRunController controller;
    auto releaseA = std::make_shared<std::atomic<bool>>(false);
    auto releaseB = std::make_shared<std::atomic<bool>>(true);
    controller.setJob(namedJob("A", releaseA));
    QSignalSpy finished(&controller, &TrainingRunController::runFinished);
    ASSERT_TRUE(controller.start(settingsIn("/tmp/unused-a")));
    controller.setJob(namedJob("B", releaseB));  // the GUI changes the data source while A trains
    *releaseA = true;
    ASSERT_TRUE(finished.wait(10000));
    EXPECT_EQ(finished.at(0).at(0).value<ml::TrainingState>(), ml::TrainingState::Finished);
    EXPECT_EQ(finished.at(0).at(1).toString(), QStringLiteral("A"));
    EXPECT_FALSE(controller.isActive());

    ASSERT_TRUE(controller.start(settingsIn("/tmp/unused-b")));
    ASSERT_TRUE(finished.wait(10000));
    EXPECT_EQ(finished.at(1).at(1).toString(), QStringLiteral("B"));
    EXPECT_EQ(controller.state(), ml::TrainingState::Finished);
}

TEST(TrainingRunController, AJobThatThrowsEndsTheRunAsFailedWithItsMessage) {
    TrainingRunController controller;
    controller.setJob([](const RunSettings&, ml::TrainingObserver&, const Progress&, const TrainerHook&) -> RunOutcome {
        throw Error("labels.csv", "has no path column");
    });
    QSignalSpy finished(&controller, &TrainingRunController::runFinished);
    ASSERT_TRUE(controller.start(settingsIn("/tmp/unused-c")));
    ASSERT_TRUE(finished.wait(10000));
    EXPECT_EQ(finished.at(0).at(0).value<ml::TrainingState>(), ml::TrainingState::Failed);
    const QString message = finished.at(0).at(1).toString();
    EXPECT_TRUE(message.contains("labels.csv") && message.contains("has no path column")) << message.toStdString();
    EXPECT_EQ(controller.state(), ml::TrainingState::Failed);
}

TEST(TrainingRunController, StopWhilePreparingEndsAsStopped) {
    TrainingRunController controller;
    controller.setJob(namedJob("never", std::make_shared<std::atomic<bool>>(false)));
    QSignalSpy finished(&controller, &TrainingRunController::runFinished);
    ASSERT_TRUE(controller.start(settingsIn("/tmp/unused-d")));
    controller.stop();
    ASSERT_TRUE(finished.wait(10000));
    EXPECT_EQ(finished.at(0).at(0).value<ml::TrainingState>(), ml::TrainingState::Stopped);
    EXPECT_EQ(controller.state(), ml::TrainingState::Stopped);
}

TEST(TrainingRunController, DestroyedMidRunItWaitsForItsWorker) {
    auto returned = std::make_shared<std::atomic<bool>>(false);
    {
        TrainingRunController controller;
        controller.setJob(namedJob("never", std::make_shared<std::atomic<bool>>(false), returned));
        ASSERT_TRUE(controller.start(settingsIn("/tmp/unused-e")));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_TRUE(*returned);
}
