#pragma once
// A small learnable problem for dashboard tests: clips of three classes ("low", "mid", "high") whose 12-value
// feature vectors carry the class in a block of four dimensions plus noise, in train/validation/test splits, and a
// tiny library (label set + split) so the run form has real choices.
#include "ui/training/TrainingData.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSize>

#include <filesystem>
#include <functional>
#include <memory>

namespace sonolab::library {
class LibraryDatabase;
}
namespace sonolab::ui {
class TrainingDashboard;
}

namespace sonolab::test {

// Processes events until pred() holds or timeoutMs passes; true if it held.
inline bool waitUntil(const std::function<bool()>& pred, int timeoutMs = 60000) {
    QElapsedTimer t;
    t.start();
    while (!pred()) {
        if (t.elapsed() > timeoutMs) return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}

// Example ids are "<split>-<class>-<n>", so a test can check where a clip truly belongs.
ui::PreparedData makeThreeClassData(int trainPerClass, int evalPerClass, unsigned seed = 3);
ui::DataPreparer threeClassPreparer(int trainPerClass = 40, int evalPerClass = 10);
// A library with label set "pitch" (single: low, mid, high) on nine tracks and a split "by-track".
std::shared_ptr<library::LibraryDatabase> makeFixtureLibrary(const std::filesystem::path& file);
ui::RunSettings fixtureSettings(int epochs, double learningRate = 0.01);
// A 1 s tone at hz with a little noise (seeded), as a 16-bit WAV file.
void writeToneClip(const std::filesystem::path& file, double hz, unsigned seed);
// Real audio in dir/audio: 1 s clips of a low hum (low0..7.wav) and a high whistle (high0..7.wav) with noise, in a
// library dir/library.sqlite with label set "pitch" (single: low, high) and split "by-file" (files 0-4 train, 5
// validation, 6-7 test).
std::shared_ptr<library::LibraryDatabase> makeToneLibrary(const std::filesystem::path& dir);

// A dashboard without a player over `db` (runs stored under runsFolder), shown at a screenshot's size.
std::unique_ptr<ui::TrainingDashboard> showDashboard(std::shared_ptr<library::LibraryDatabase> db,
                                                     const std::filesystem::path& runsFolder, QSize size = {1400, 900});
// Processes events until the dashboard's run has ended; false when it is still running after timeoutMs.
bool waitForRunEnd(const ui::TrainingDashboard& d, int timeoutMs);

}  // namespace sonolab::test
