#include "support/TestSupport.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>
#include <fstream>
#include <numbers>
#include <random>
#include <stdexcept>

namespace sonolab::test {
namespace {

// Runs before main() in every test program: headless Qt, the ALSA null device for playback, where the sources and the
// CLI are. Values already in the environment win, so a developer can point a test elsewhere.
struct TestEnvironment {
    TestEnvironment() {
        ::setenv("QT_QPA_PLATFORM", "offscreen", 0);
        ::setenv("ALSA_CONFIG_PATH", SONOLAB_TEST_ALSA_CONFIG, 0);
        ::setenv("SONOLAB_SOURCE_DIR", SONOLAB_TEST_SOURCE_DIR, 0);
        ::setenv("SONOLAB_CLI", SONOLAB_TEST_CLI, 0);
        // CTest runs each test in its own process, two at a time: a folder per process keeps tests that generate the
        // same fixtures from clobbering each other's files.
        if (!std::getenv("SONOLAB_TEST_TMP")) {
            ownTmp = std::filesystem::path(SONOLAB_TEST_TMP_DIR) / ("p" + std::to_string(::getpid()));
            ::setenv("SONOLAB_TEST_TMP", ownTmp.c_str(), 1);
        }
    }
    ~TestEnvironment() {
        std::error_code ignored;
        if (!ownTmp.empty() && !std::getenv("SONOLAB_KEEP_TEST_TMP")) std::filesystem::remove_all(ownTmp, ignored);
    }
    std::filesystem::path ownTmp;
};
const TestEnvironment testEnvironment;

}  // namespace

std::vector<std::filesystem::path> fuzzRegressionInputs(std::string_view target) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(sourceDir() / "tests/data/fuzz-regressions" / target))
        if (entry.is_regular_file()) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

std::filesystem::path sourceDir() {
    const char* env = std::getenv("SONOLAB_SOURCE_DIR");
    return env ? std::filesystem::path(env) : std::filesystem::current_path();
}

std::filesystem::path freshDir(std::string_view name) {
    const char* env = std::getenv("SONOLAB_TEST_TMP");
    auto base = env ? std::filesystem::path(env) : std::filesystem::temp_directory_path() / "sonolab-tests";
    auto dir = base / std::string(name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

std::vector<float> sine(double frequency, double seconds, int sampleRate, float amplitude) {
    std::vector<float> out(static_cast<std::size_t>(std::llround(seconds * sampleRate)));
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = amplitude * static_cast<float>(std::sin(2 * std::numbers::pi * frequency * double(i) / sampleRate));
    return out;
}

std::vector<float> clickTrain(const std::vector<double>& times, double seconds, int sr) {
    std::vector<float> x(std::size_t(seconds * sr), 0.0f);
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    for (double t : times) {
        const auto start = std::size_t(std::llround(t * sr));
        for (std::size_t i = 0; i < std::size_t(0.008 * sr) && start + i < x.size(); ++i)
            x[start + i] += 0.7f * u(rng) * float(std::exp(-double(i) / (0.002 * sr)));
    }
    return x;
}

namespace {
void put16(std::ofstream& f, std::uint16_t v) { f.put(char(v & 0xff)).put(char(v >> 8)); }
void put32(std::ofstream& f, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) f.put(char((v >> (8 * i)) & 0xff));
}
}  // namespace

void writeWav16(const std::filesystem::path& path, const std::vector<float>& interleaved, int sampleRate, int channels) {
    std::ofstream f(path, std::ios::binary);
    if (!f) throw std::runtime_error("cannot write " + path.string());
    auto dataBytes = static_cast<std::uint32_t>(interleaved.size() * 2);
    f.write("RIFF", 4);
    put32(f, 36 + dataBytes);
    f.write("WAVEfmt ", 8);
    put32(f, 16);
    put16(f, 1);
    put16(f, static_cast<std::uint16_t>(channels));
    put32(f, static_cast<std::uint32_t>(sampleRate));
    put32(f, static_cast<std::uint32_t>(sampleRate * channels * 2));
    put16(f, static_cast<std::uint16_t>(channels * 2));
    put16(f, 16);
    f.write("data", 4);
    put32(f, dataBytes);
    for (float s : interleaved) {
        auto v = static_cast<std::int16_t>(std::lround(std::clamp(s, -1.0f, 1.0f) * 32767.0f));
        put16(f, static_cast<std::uint16_t>(v));
    }
}

bool haveProgram(std::string_view name) {
    return run("command -v " + std::string(name) + " >/dev/null 2>&1") == 0;
}

int run(const std::string& command) {
    int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string capture(const std::string& command, int* status) {
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) throw std::runtime_error("cannot run " + command);
    std::array<char, 4096> buf;
    std::size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
    int st = pclose(pipe);
    if (status) *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return out;
}

std::string pythonWithNumpy() {
    static const std::string python = [] {
        return run("/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1") == 0 ? std::string("/usr/bin/python3") : std::string();
    }();
    return python;
}

std::string cliPath() {
    const char* env = std::getenv("SONOLAB_CLI");
    return env ? env : "sonolab-cli";
}

}  // namespace sonolab::test
