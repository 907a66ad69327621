// The Vamp plugins that run trained networks (vamp/RnnOnsetsPlugin, vamp/ClassifierPlugin) in Debian's
// vamp-simple-host, against `sonolab-cli` on the same file with the same run: the recurrent detector's onset instants
// within one 10 ms hop and its activation within float tolerance; the classifier's per-class values equal to
// `predict --json --windows` and its top-label segments equal to `predict --format sv-csv`. Runs are found as the
// hosts find them, through SONOLAB_VAMP_RUNS (the first run is the default program); the plugin loads libtorch's
// model runtime from the build tree, as it would from LIBDIR/sonolab when installed.
#include "HostOutput.h"
#include "core/annotations/AnnotationFile.h"
#include "support/TestSupport.h"
#include "support/ToneNoiseLibrary.h"

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <vamp/vamp.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace sonolab;
using test::parseHost;
namespace fs = std::filesystem;

namespace {

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

class VampRuns : public ::testing::Test {
protected:
    void SetUp() override {
        cli_ = test::cliPath();
        plugins_ = test::vampPluginDir();
        if (!fs::exists(plugins_ / "sonolab.so")) GTEST_SKIP() << "the Vamp plugin is not built in " << plugins_;
        if (!test::haveProgram("vamp-simple-host")) GTEST_SKIP() << "vamp-simple-host (vamp-examples) not installed";
    }
    // The host's output for plugin:output on `file`, with `runs` as the plugin's run folders.
    std::string host(const std::string& plugin, const fs::path& file, const fs::path& runs) {
        int status = 0;
        const auto out = test::capture("SONOLAB_VAMP_RUNS=" + q(runs) + " VAMP_PATH=" + q(plugins_) +
                                           " vamp-simple-host " + plugin + " " + q(file) + " 2>&1",
                                       &status);
        EXPECT_EQ(status, 0) << plugin << "\n" << out;
        return out;
    }
    std::string cli_;
    fs::path plugins_;
};

}  // namespace

TEST_F(VampRuns, RecurrentOnsetsAsTheCliFindsThem) {
    const auto dir = test::freshDir("vamp-rnn-onsets");
    // Clicks are easy: a small network learns them in a few epochs, so the comparison has onsets to compare.
    const std::vector<std::vector<double>> truths{{0.3, 0.8, 1.4}, {0.2, 0.9, 1.6}, {0.5, 1.0, 1.5, 1.8}};
    const fs::path data = dir / "data";
    fs::create_directories(data);
    for (std::size_t i = 0; i < truths.size(); ++i) {
        const fs::path wav = data / ("take" + std::to_string(i) + ".wav");
        test::writeWav16(wav, test::clickTrain(truths[i], 2.0, 44100), 44100);
        annotations::writeAnnotationFile(fs::path(wav).replace_extension(".onsets"), {annotations::instants(truths[i])},
                                         annotations::Format::Onsets);
    }
    const fs::path run = dir / "runs" / "clicks-rnn";
    int status = 0;
    const auto trained = test::capture(cli_ + " onsets-train --data " + q(data) + " --out " + q(run) +
                                           " --folds 3 --epochs 40 --patience 0 --hidden 6 --layers 1 --lr 0.05" +
                                           " --threads 1 --quiet 2>&1",
                                       &status);
    ASSERT_EQ(status, 0) << trained;

    const fs::path wav = dir / "query.wav";
    test::writeWav16(wav, test::clickTrain({0.25, 0.75, 1.3, 1.62, 2.2}, 3.0, 44100), 44100);
    const auto cli = nlohmann::json::parse(
        test::capture(cli_ + " onsets " + q(wav) + " --method rnn:" + q(run) + " --json --activation", &status));
    ASSERT_EQ(status, 0);
    const auto expected = cli["onsets"].get<std::vector<double>>();
    ASSERT_GE(expected.size(), 3u) << "the trained detector finds too few clicks to compare:\n" << trained;

    // The folder of runs, as a user points SONOLAB_VAMP_RUNS at it; the run is the first (default) program.
    const auto onsets = parseHost(host("sonolab:sonolab-onsets-rnn:onsets", wav, run.parent_path()));
    ASSERT_EQ(onsets.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(onsets[i].time, expected[i], 0.01) << i;

    const auto activation = cli["activation"].get<std::vector<double>>();
    const auto detection = parseHost(host("sonolab:sonolab-onsets-rnn:detection", wav, run));
    ASSERT_GE(detection.size(), activation.size());
    // The host pads the last block with zeros, and the backward recurrence starts from the end: the final frames
    // (and, decaying, a few before them) see that padding. The rest equals the CLI's to the host's 6 digits.
    for (std::size_t i = 0; i + 20 < activation.size(); ++i) {
        ASSERT_EQ(detection[i].values.size(), 1u);
        EXPECT_NEAR(detection[i].values[0], activation[i], 1e-4) << "frame " << i;
        EXPECT_NEAR(detection[i].time, i / 100.0, 1e-9);
    }
}

TEST_F(VampRuns, ClassifierOverTimeAsPredict) {
    const auto dir = test::freshDir("vamp-classifier");
    const auto lib = test::makeToneNoiseLibrary(dir, 8);
    const fs::path run = dir / "runs" / "tone-noise";
    int status = 0;
    const auto trained = test::capture(cli_ + " train --db " + q(lib) + " --task single:tone,noise" +
                                           " --model compact_cnn:filters=4/4/4 --epochs 2 --batch-size 4 --threads 1" +
                                           " --seed 7 --quiet --out " + q(run) + " 2>&1",
                                       &status);
    ASSERT_EQ(status, 0) << trained;
    // Tone, noise, tone, 5 s each: windows that hear one kind, and windows across the changes.
    const fs::path track = dir / "tone-noise-tone.wav";
    test::writeToneNoiseTrack(track, 5.0);

    const std::string predict = cli_ + " predict --run " + q(run) + " " + q(track);
    const auto json = nlohmann::json::parse(test::capture(predict + " --json --windows", &status));
    ASSERT_EQ(status, 0);
    const auto& windows = json[0]["over_time"];
    ASSERT_GT(windows.size(), 4u);
    const double hop = windows[1]["start_seconds"].get<double>() - windows[0]["start_seconds"].get<double>();
    const double windowSeconds = 2 * hop;  // the predictor's default hop is half a window
    // Windows that end this far before the audio's end never see the host's zero padding.
    auto clearOfTheEnd = [&](const nlohmann::json& w) { return w["start_seconds"].get<double>() + windowSeconds < 14.9; };

    for (const auto& [k, label] : {std::pair{0, std::string("tone")}, std::pair{1, std::string("noise")}}) {
        const auto rows = parseHost(host("sonolab:sonolab-classifier:p-" + label, track, run));
        ASSERT_GE(rows.size(), windows.size() - 1) << label;
        std::size_t compared = 0;
        for (std::size_t w = 0; w < windows.size() && w < rows.size(); ++w) {
            if (!clearOfTheEnd(windows[w])) continue;
            EXPECT_NEAR(rows[w].time, windows[w]["start_seconds"].get<double>(), 1e-6) << label << " window " << w;
            ASSERT_EQ(rows[w].values.size(), 1u);
            EXPECT_NEAR(rows[w].values[0], windows[w]["probabilities"][k].get<double>(), 1e-4) << label << " window " << w;
            ++compared;
        }
        EXPECT_GT(compared, 3u);
    }

    // The top label as segments: the same labels and boundaries as `predict --format sv-csv`, except where the
    // last window's end meets the padding.
    const std::string csv = test::capture(predict + " --format sv-csv", &status);
    ASSERT_EQ(status, 0);
    std::ofstream(dir / "top.csv") << csv;
    const auto expected = annotations::readAnnotationFile(dir / "top.csv").at(0).events;
    const auto top = parseHost(host("sonolab:sonolab-classifier:top", track, run));
    ASSERT_FALSE(expected.empty());
    ASSERT_GE(top.size(), expected.size()) << csv;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(top[i].label, expected[i].label) << i << "\n" << csv;
        EXPECT_NEAR(top[i].time, expected[i].time, 1e-6) << i;
        if (i + 1 < expected.size()) EXPECT_NEAR(top[i].duration, expected[i].duration, 1e-6) << i;
        ASSERT_EQ(top[i].values.size(), 1u);
        if (expected[i].time + expected[i].duration < 14.9 - windowSeconds)
            EXPECT_NEAR(top[i].values[0], *expected[i].value, 1e-4) << i;
    }
}

TEST_F(VampRuns, RunsAreProgramsAndMissingRunsRefuseToStart) {
    const auto dir = test::freshDir("vamp-programs");
    for (const char* name : {"b-run", "a-run"}) {
        fs::create_directories(dir / "runs" / name);
        std::ofstream(dir / "runs" / name / "onset-rnn.pt") << "not a model";
    }
    // vamp-simple-host does not list programs: read them from the plugin's descriptor through the Vamp C API, as
    // Sonic Visualiser does. The adapters read the runs once, when the library is first asked for a descriptor.
    ::setenv("SONOLAB_VAMP_RUNS", (dir / "runs").c_str(), 1);
    void* library = ::dlopen((plugins_ / "sonolab.so").c_str(), RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(library, nullptr) << ::dlerror();
    auto describe = reinterpret_cast<VampGetPluginDescriptorFunction>(::dlsym(library, "vampGetPluginDescriptor"));
    ASSERT_NE(describe, nullptr);
    std::vector<std::string> programs;
    for (unsigned i = 0; const VampPluginDescriptor* d = describe(VAMP_API_VERSION, i); ++i)
        if (std::string(d->identifier) == "sonolab-onsets-rnn")
            for (unsigned p = 0; p < d->programCount; ++p) programs.emplace_back(d->programs[p]);
    ::unsetenv("SONOLAB_VAMP_RUNS");
    EXPECT_EQ(programs, (std::vector<std::string>{"a-run", "b-run"}));  // by name, the first the default

    // A run that is no model: the host cannot initialise the plugin (no crash, a message naming the file).
    const fs::path wav = dir / "clicks.wav";
    test::writeWav16(wav, test::clickTrain({0.5}, 1.0, 44100), 44100);
    int status = 0;
    const auto out = test::capture("SONOLAB_VAMP_RUNS=" + q(dir / "runs") + " VAMP_PATH=" + q(plugins_) +
                                       " vamp-simple-host sonolab:sonolab-onsets-rnn:onsets " + q(wav) + " 2>&1",
                                   &status);
    EXPECT_NE(status, 0) << out;
    EXPECT_NE(out.find("a-run"), std::string::npos) << out;
}
