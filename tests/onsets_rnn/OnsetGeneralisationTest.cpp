// Onsets in rendered music the detector never heard (issue 16): small sets from the onset generator
// (scripts/make-onset-demo.sh --style varied), a training set on the training programs and an unseen set on the
// held-out programs. The sets share no program; a detector trained on one beats spectral flux on the other; and
// Sonolab's F-measure of the same detections agrees with mir_eval's (python3-mir-eval, or the reference written
// from its documentation in scripts/onsets/mir_eval_onsets.py).
#include "core/ml/OnsetRnnModel.h"
#include "core/onsets/rnn/OnsetExperiments.h"
#include "core/onsets/rnn/TunedPeakPickingFile.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <set>

using namespace sonolab;
using namespace sonolab::onsets;
namespace fs = std::filesystem;

namespace {

bool canRender() {
    return test::haveProgram("fluidsynth") && test::haveProgram("ffmpeg") &&
           fs::exists("/usr/share/sounds/sf2/FluidR3_GM.sf2") && fs::exists("/usr/bin/python3");
}

// Shared by the test processes of this build (each test runs in a process with its own SONOLAB_TEST_TMP, removed
// after it): rendering takes minutes, and the generator's cache stamp makes every later use immediate.
fs::path setsRoot() { return fs::path(SONOLAB_TEST_TMP_DIR) / "onsets-generalisation-sets"; }

fs::path renderSet(const std::string& name, const std::string& programs, int files, int seed) {
    const auto dir = setsRoot() / name;
    fs::create_directories(setsRoot());
    const auto script = test::sourceDir() / "scripts/make-onset-demo.sh";
    // flock: the tests of this file may run at once (ctest -j) and must not render one folder twice over.
    const int rc = test::run("flock " + (setsRoot() / (name + ".lock")).string() + " bash " + script.string() + " " +
                             dir.string() + " --style varied --programs " + programs +
                             " --files " + std::to_string(files) + " --seconds 8 --seed " + std::to_string(seed) +
                             " --prefix " + name + " >/dev/null");
    EXPECT_EQ(rc, 0) << "rendering " << name;
    return dir;
}

std::uint32_t varlen(const std::string& b, std::size_t& i) {
    std::uint32_t v = 0;
    while (i < b.size()) {
        const auto c = std::uint8_t(b[i++]);
        v = (v << 7) | (c & 0x7F);
        if (!(c & 0x80)) break;
    }
    return v;
}

// Programs (channels other than 10) and drum kits (channel 10) a Standard MIDI File selects.
void programsOf(const fs::path& midi, std::set<int>& programs, std::set<int>& kits) {
    std::ifstream in(midi, std::ios::binary);
    const std::string b((std::istreambuf_iterator<char>(in)), {});
    ASSERT_EQ(b.substr(0, 4), "MThd") << midi;
    std::size_t i = 14;
    while (i + 8 <= b.size()) {
        ASSERT_EQ(b.substr(i, 4), "MTrk") << midi;
        const std::size_t length = (std::uint8_t(b[i + 4]) << 24) | (std::uint8_t(b[i + 5]) << 16) |
                                   (std::uint8_t(b[i + 6]) << 8) | std::uint8_t(b[i + 7]);
        std::size_t p = i + 8;
        const std::size_t end = p + length;
        while (p < end) {
            varlen(b, p);
            const auto status = std::uint8_t(b[p++]);
            if (status == 0xFF) {
                ++p;
                p += varlen(b, p);
            } else if ((status & 0xF0) == 0xC0) {
                const int program = std::uint8_t(b[p++]);
                ((status & 0x0F) == 9 ? kits : programs).insert(program);
            } else {
                p += 2;  // note on/off, control change: the generator writes nothing else (and no running status)
            }
        }
        i = end;
    }
}

struct Programs {
    std::set<int> programs, kits;
};

Programs programsOfSet(const fs::path& dir) {
    Programs p;
    for (const auto& e : fs::directory_iterator(dir / "midi")) programsOf(e.path(), p.programs, p.kits);
    return p;
}

nlohmann::json mirEval(const fs::path& data, const fs::path& detections, bool forceReference) {
    const auto script = test::sourceDir() / "scripts/onsets/mir_eval_onsets.py";
    int status = 0;
    const auto out = test::capture("/usr/bin/python3 " + script.string() + " " + data.string() + " " +
                                       detections.string() + " --json" + (forceReference ? " --force-reference" : ""),
                                   &status);
    EXPECT_EQ(status, 0);
    return nlohmann::json::parse(out);
}

void writeDetections(const OnsetExperimentResult& r, const fs::path& dir) {
    fs::create_directories(dir);
    for (const auto& f : r.files) writeOnsetsFile(dir / (f.name + ".onsets"), f.detections);
}

class OnsetGeneralisation : public ::testing::Test {
protected:
    void SetUp() override {
        if (!canRender() || !test::haveProgram("flock"))
            GTEST_SKIP() << "fluidsynth, ffmpeg, fluid-soundfont-gm, python3 or flock missing: cannot render";
    }
};

}  // namespace

TEST_F(OnsetGeneralisation, TheUnseenSetPlaysNoProgramOfTheTrainingSet) {
    const auto train = programsOfSet(renderSet("gen-train", "train", 32, 31));
    const auto unseen = programsOfSet(renderSet("gen-unseen", "heldout", 8, 97));
    EXPECT_GE(train.programs.size(), 10u);
    EXPECT_GE(unseen.programs.size(), 5u);
    for (int p : unseen.programs) EXPECT_EQ(train.programs.count(p), 0u) << "program " << p << " is in both sets";
    for (int k : unseen.kits) EXPECT_EQ(train.kits.count(k), 0u) << "drum kit " << k << " is in both sets";
    // ... nor one of the demo set's (what the detector was trained on before): the demo generator's list.
    std::ifstream demo(test::sourceDir() / "scripts/onsets/make_onset_demo.py");
    const std::string text((std::istreambuf_iterator<char>(demo)), {});
    for (int p : unseen.programs)
        EXPECT_EQ(text.find("(" + std::to_string(p) + ", "), std::string::npos) << "demo program " << p << " in the unseen set";
}

TEST_F(OnsetGeneralisation, TrainedDetectorBeatsFluxOnMusicItNeverHeardAndMirEvalAgrees) {
    const auto trainSet = loadOnsetDataset(renderSet("gen-train", "train", 32, 31));
    const auto unseenSet = loadOnsetDataset(renderSet("gen-unseen", "heldout", 8, 97));
    ASSERT_EQ(trainSet.items.size(), 32u);
    ASSERT_EQ(unseenSet.items.size(), 8u);

    const auto work = test::freshDir("onsets-generalisation");
    RnnExperimentConfig config;
    config.model = {.hidden = 25, .layers = 3, .inputDims = rnnOnsetFeatureDims()};
    config.training = {.batchSize = 1, .epochs = 30, .patience = 8, .seed = 5, .threads = 1};
    config.featureCache = setsRoot() / "features";
    ml::OnsetRnnModel model(config.model, config.training.seed);
    const auto run = work / "run";
    struct : ml::TrainingObserver {
        void onEpoch(const ml::EpochReport& e) override {
            std::printf("  epoch %d val F %.3f\n", e.epoch + 1, e.metrics.count("onset_f") ? e.metrics.at("onset_f") : 0.0);
        }
    } printer;
    const auto training = trainRnnOnDataset(trainSet, 0, config, model, run, &printer);
    ASSERT_GT(training.epochsCompleted, 0);
    ASSERT_TRUE(readTunedPeaks(run).has_value()) << "training chose no peak picking";

    const auto flux = evaluateMethod(unseenSet, OnsetMethod::parse("flux"));
    const auto rnn = evaluateMethod(unseenSet, OnsetMethod::parse("rnn:" + run.string()), {}, {}, config.featureCache);
    const double fluxF = flux.summary.sum.fmeasure(), rnnF = rnn.summary.sum.fmeasure();
    std::printf("unseen set, Sonolab F (sum): flux %.3f  rnn %.3f\n", fluxF, rnnF);
    EXPECT_GT(rnnF, fluxF + 0.02);

    // mir_eval scores the same detections (no combining, so Sonolab's side does none either) alike.
    for (const auto* r : {&flux, &rnn}) {
        const auto det = work / (r == &flux ? "flux" : "rnn");
        writeDetections(*r, det);
        const auto mir = mirEval(unseenSet.root, det, false);
        std::vector<FileScore> plain;
        for (std::size_t i = 0; i < r->files.size(); ++i) {
            const auto& item = unseenSet.items[r->fileItem[i]];
            plain.push_back({item.name, evaluateOnsets(r->files[i].detections, item.onsets, {.combine = 0.0})});
        }
        const auto s = summarize(plain);
        EXPECT_NEAR(mir["pooled_f"].get<double>(), s.sum.fmeasure(), 0.01) << mir["implementation"];
        EXPECT_NEAR(mir["mean_f"].get<double>(), s.meanFmeasure, 0.01) << mir["implementation"];
        for (const auto& f : mir["per_file"]) {
            const auto it = std::find_if(plain.begin(), plain.end(), [&](const FileScore& p) { return p.name == f["name"]; });
            ASSERT_NE(it, plain.end());
            // Sonolab matches greedily in time order, mir_eval by maximum matching: at most one apart per file.
            EXPECT_NEAR(double(it->counts.truePositives), f["matches"].get<double>(), 1.0) << it->name;
            EXPECT_EQ(it->counts.detections(), f["estimates"].get<std::size_t>()) << it->name;
            EXPECT_EQ(it->counts.annotations(), f["references"].get<std::size_t>()) << it->name;
        }
        // Where mir_eval is installed, the reference from its documentation gives exactly its result.
        if (mir["implementation"].get<std::string>().rfind("mir_eval", 0) == 0) {
            const auto ref = mirEval(unseenSet.root, det, true);
            EXPECT_DOUBLE_EQ(ref["pooled_f"].get<double>(), mir["pooled_f"].get<double>());
            EXPECT_DOUBLE_EQ(ref["mean_f"].get<double>(), mir["mean_f"].get<double>());
        }
    }
}
