#pragma once
// Helpers shared by every test program: fresh temporary folders, generated signals, external tools.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace sonolab::test {

std::filesystem::path sourceDir();
// A fresh, empty folder for one test (removed and recreated on each call with the same name).
std::filesystem::path freshDir(std::string_view name);

std::vector<float> sine(double frequency, double seconds, int sampleRate, float amplitude = 0.5f);
// Onset test signal: 8 ms of decaying noise (fixed seed) starting at each time, over silence.
std::vector<float> clickTrain(const std::vector<double>& times, double seconds, int sampleRate);
// Interleaved float samples to a 16-bit PCM WAV file, written without any project code (an independent fixture).
void writeWav16(const std::filesystem::path& path, const std::vector<float>& interleaved, int sampleRate, int channels = 1);

bool haveProgram(std::string_view name);
// Runs a shell command, returns its exit status.
int run(const std::string& command);
// Runs a shell command and returns its standard output.
std::string capture(const std::string& command, int* status = nullptr);
// "/usr/bin/python3" when it can import numpy (the independent reference for DSP tests), else empty.
std::string pythonWithNumpy();
// The built sonolab-cli (from the SONOLAB_CLI environment variable set by CTest).
std::string cliPath();
// The inputs a fuzz target once failed on (tests/data/fuzz-regressions/TARGET/*, see fuzz/), sorted by name.
std::vector<std::filesystem::path> fuzzRegressionInputs(std::string_view target);

}  // namespace sonolab::test
