// Self-supervised pretraining on a real (small, generated) library: WAV files of twelve distinct sources (each its
// own pitch set and timbre, its level changing every 1.5 s by up to 15 dB), features through the feature cache, the
// contrastive run stored like a training run and usable as a space; its encoder puts crops of one track nearer to each
// other than an untrained encoder does; `train --init` copies the encoder exactly, `--freeze` keeps it unchanged,
// a wrong or mismatched run is refused naming the file and the reason; and the CLI form with --resume.
#include "core/library/LibraryDatabase.h"
#include "core/ml/ContrastivePretraining.h"
#include "core/ml/ModelRuntime.h"
#include "core/ml/Predictor.h"
#include "core/ml/SavedModel.h"
#include "core/pipeline/LibraryPretraining.h"
#include "core/pipeline/LibraryTraining.h"
#include "core/pipeline/SiameseEvaluation.h"
#include "core/pipeline/SiameseTraining.h"
#include "core/pipeline/SpaceFolds.h"
#include "core/similarity/CollectionSpaces.h"
#include "core/util/ContentHash.h"
#include "core/util/Error.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <numeric>
#include <random>

using namespace sonolab;
namespace fs = std::filesystem;

namespace {

constexpr int kTracks = 12;
constexpr double kSeconds = 12.0;
const char* kModel = "compact_cnn:filters=16/16/16,hidden=32";

// Track k: a timbre of its own (1 + k % 6 harmonics, amplitude-modulated at its own rate) playing three notes of a
// pool shared by all tracks (low notes for k < 6, high for the rest), a note and a level (0 to -24 dB) every 1.5 s:
// two crops of one track differ in pitch and level, crops of two tracks may share both. Split: 8 / 2 / 2.
fs::path makeLibrary(const fs::path& dir) {
    const fs::path file = dir / "lib.sqlite";
    library::LibraryDatabase db(file);
    db.createLabelSet("register", library::LabelKind::Single, {"low", "high"}, "test");
    const int rate = 22050;
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> level(-24.0f, 0.0f);
    std::uniform_int_distribution<int> note(0, 2);
    std::normal_distribution<float> hiss(0.0f, 0.002f);
    std::vector<library::SplitAssignment> split;
    for (int k = 0; k < kTracks; ++k) {
        const double base = k < 6 ? 110.0 : 660.0;
        const int notes[3] = {k % 4, (k + 2) % 5, (k + 3) % 6};  // semitone steps of 2 in a shared pool
        const double am = 0.5 + 0.9 * k;
        std::vector<float> s(std::size_t(kSeconds * rate));
        float gain = 1.0f;
        double f0 = base, phase = 0;
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (i % std::size_t(1.5 * rate) == 0) {
                gain = std::pow(10.0f, level(rng) / 20.0f);
                f0 = base * std::pow(2.0, 2.0 * notes[note(rng)] / 12.0);
            }
            phase += 2 * M_PI * f0 / rate;
            const double t = double(i) / rate;
            double v = 0;
            for (int h = 1; h <= 1 + k % 6; ++h) v += std::sin(h * phase) / h;
            v *= 0.6 + 0.4 * std::sin(2 * M_PI * am * t);
            s[i] = float(0.15 * gain * v) + hiss(rng);
        }
        const fs::path wav = dir / ("source" + std::to_string(k) + ".wav");
        test::writeWav16(wav, s, rate);
        library::TrackRecord t;
        t.path = wav.generic_string();
        t.contentHash = hashFile(wav);
        t.durationSeconds = kSeconds;
        t.group = "source" + std::to_string(k);
        const auto id = db.upsertTrack(t);
        db.setLabel("register", id, k < 6 ? "low" : "high", 1.0, "test");
        const int i = k % 6;
        split.push_back({id, i < 4 ? library::SplitPart::Train : i == 4 ? library::SplitPart::Validation
                                                                          : library::SplitPart::Test});
    }
    db.writeSplit("tracks", split);
    return file;
}

pipeline::LibraryPretrainingRequest pretrainRequest(const fs::path& lib, const fs::path& run, int epochs, double lr) {
    pipeline::LibraryPretrainingRequest r;
    r.library = lib;
    r.model = ml::ModelSpec::parse(kModel);
    r.config.training.runDir = run;
    r.config.training.epochs = epochs;
    r.config.training.batchSize = kTracks;
    r.config.training.learningRate = lr;
    r.config.training.threads = 1;
    r.config.projectionDim = 32;
    r.extractionThreads = 1;
    return r;
}

pipeline::LibraryTrainingRequest trainRequest(const fs::path& lib, const fs::path& run, int epochs) {
    pipeline::LibraryTrainingRequest r;
    r.library = lib;
    r.task = "single:low,high@register";
    r.model = ml::ModelSpec::parse(kModel);
    r.config.runDir = run;
    r.config.epochs = epochs;
    r.config.batchSize = 4;
    r.config.threads = 1;
    r.extractionThreads = 1;
    return r;
}

// k of a track's file "source<k>.wav".
int sourceNumber(const std::string& path) { return std::stoi(fs::path(path).stem().string().substr(6)); }

// Five crops of each track, embedded one by one and scaled to unit length; owner[i] is crop i's source number k.
struct CropEmbeddings {
    std::vector<std::vector<float>> e;
    std::vector<int> owner;
    double cosine(std::size_t i, std::size_t j) const { return std::inner_product(e[i].begin(), e[i].end(), e[j].begin(), 0.0); }
};

CropEmbeddings embedCrops(const fs::path& run, const fs::path& lib) {
    const auto predictor = ml::Predictor::load(run);
    library::LibraryDatabase db(lib);
    const std::size_t w = predictor.info().input.frames;
    CropEmbeddings out;
    auto& e = out.e;
    for (const auto& t : db.tracks()) {
        const ml::FeatureMatrix m = pipeline::inputForFile(predictor, t.path);
        for (std::size_t c = 0; c < 5; ++c) {
            const std::size_t start = c * (m.frames() - w) / 4;
            ml::FeatureMatrix crop(m.bins(), w, Layout::BinsByFrames);
            for (std::size_t b = 0; b < m.bins(); ++b)
                std::copy_n(m.row(b).begin() + std::ptrdiff_t(start), w, crop.mutableRow(b).begin());
            auto v = predictor.embed(crop);
            const double norm = std::sqrt(std::inner_product(v.begin(), v.end(), v.begin(), 0.0)) + 1e-12;
            for (float& x : v) x = float(x / norm);
            e.push_back(std::move(v));
            out.owner.push_back(sourceNumber(t.path));
        }
    }
    return out;
}

// The share of each crop's 4 nearest other crops (cosine) that come from its own track, over all crops (chance: 4 of
// 59).
double cropPrecision(const fs::path& run, const fs::path& lib) {
    const CropEmbeddings c = embedCrops(run, lib);
    const auto& e = c.e;
    const auto& owner = c.owner;
    double hits = 0;
    for (std::size_t i = 0; i < e.size(); ++i) {
        std::vector<std::pair<double, std::size_t>> d;
        for (std::size_t j = 0; j < e.size(); ++j)
            if (j != i) d.push_back({-c.cosine(i, j), j});
        std::partial_sort(d.begin(), d.begin() + 4, d.end());
        for (int n = 0; n < 4; ++n) hits += owner[d[std::size_t(n)].second] == owner[i];
    }
    return hits / (4.0 * double(e.size()));
}

class Pretraining : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (!ml::modelRuntimeAvailable()) return;
        dir_ = new fs::path(test::freshDir("pipeline-pretraining"));
        lib_ = new fs::path(makeLibrary(*dir_));
        result_ = new pipeline::LibraryPretrainingResult(
            pipeline::pretrainOnLibrary(pretrainRequest(*lib_, *dir_ / "pretrained", 60, 2e-3)));
    }
    static void TearDownTestSuite() {
        delete result_;
        delete lib_;
        delete dir_;
    }
    void SetUp() override {
        std::string why;
        if (!ml::modelRuntimeAvailable(&why)) GTEST_SKIP() << why;
    }
    static inline fs::path* dir_ = nullptr;
    static inline fs::path* lib_ = nullptr;
    static inline pipeline::LibraryPretrainingResult* result_ = nullptr;
};

}  // namespace

TEST_F(Pretraining, TheEncoderKeepsCropsOfATrackTogetherBetterThanAnUntrainedOne) {
    ASSERT_EQ(result_->training.state, ml::TrainingState::Finished) << result_->training.message;
    EXPECT_EQ(result_->tracks, std::size_t(kTracks));
    EXPECT_NEAR(result_->hours, kTracks * kSeconds / 3600.0, 0.01);
    const auto& h = result_->training.history;
    ASSERT_EQ(h.size(), 60u);
    // With 12 tracks the loss starts near log(23) = 3.1 and falls; pairs are found far above chance (1/23).
    const double first = (h[0].trainLoss + h[1].trainLoss + h[2].trainLoss) / 3;
    const double last = (h[57].trainLoss + h[58].trainLoss + h[59].trainLoss) / 3;
    EXPECT_LT(last, 0.85 * first) << first << " -> " << last;
    EXPECT_GT(h.back().metrics.at("pair_accuracy"), 0.3);

    // An "untrained" encoder: the same run with a learning rate too small to move the weights.
    const fs::path untrained = *dir_ / "untrained";
    const auto u = pipeline::pretrainOnLibrary(pretrainRequest(*lib_, untrained, 1, 1e-12));
    ASSERT_EQ(u.training.state, ml::TrainingState::Finished) << u.training.message;
    const double before = cropPrecision(untrained, *lib_), after = cropPrecision(*dir_ / "pretrained", *lib_);
    std::cout << "crop precision@4: untrained " << before << ", pretrained " << after << " (chance 0.068)\n";
    EXPECT_GT(after, before + 0.05) << "untrained " << before << ", pretrained " << after;
    EXPECT_GT(after, 0.7) << "untrained " << before << ", pretrained " << after;
}

TEST_F(Pretraining, TheRunIsStoredAndIsASimilaritySpace) {
    const fs::path run = *dir_ / "pretrained";
    ASSERT_TRUE(ml::isPretrainedRun(run));
    const auto info = ml::readSavedModelInfo(run);
    EXPECT_EQ(info.model.toString(), kModel);
    EXPECT_EQ(info.input.frames, 80u);
    EXPECT_EQ(info.embeddingSize, 32u);
    EXPECT_EQ(info.extra.at("augmentations"), "tmask,fmask,gain,mix");
    EXPECT_TRUE(fs::exists(run / "checkpoint.pt"));
    EXPECT_TRUE(fs::exists(run / "curves.csv"));

    library::LibraryDatabase db(*lib_);
    const auto runs = db.runs();
    const auto row = std::find_if(runs.begin(), runs.end(), [&](const auto& r) { return r.runDir == fs::absolute(run).string(); });
    ASSERT_NE(row, runs.end());
    EXPECT_EQ(row->task, pipeline::kPretrainingTask);
    EXPECT_EQ(row->status, "finished");
    EXPECT_EQ(db.runPoints(row->id, "train/loss").size(), 60u);

    const auto space = similarity::buildCollectionSpace(db, "run:" + run.string());
    EXPECT_EQ(space.vectors.rows(), std::size_t(kTracks));
    EXPECT_TRUE(space.failures.empty());
}

// The group of source k in "pieces": a low source with the high source of another timbre and modulation, so the two
// clips of a piece share neither register nor timbre: only pairing by group can tell that they belong together.
int pieceOf(int k) { return k < 6 ? k : (k + 3) % 6; }

// How often a crop is nearer to a crop of the other clip of its piece than to a crop of another piece: over every crop
// and every such pair of other crops (0.5: the space does not know the pieces).
double pieceMateAuc(const fs::path& run, const fs::path& lib) {
    const CropEmbeddings c = embedCrops(run, lib);
    double nearer = 0, pairs = 0;
    for (std::size_t i = 0; i < c.e.size(); ++i)
        for (std::size_t m = 0; m < c.e.size(); ++m) {
            if (c.owner[m] == c.owner[i] || pieceOf(c.owner[m]) != pieceOf(c.owner[i])) continue;
            for (std::size_t n = 0; n < c.e.size(); ++n) {
                if (pieceOf(c.owner[n]) == pieceOf(c.owner[i])) continue;
                nearer += c.cosine(i, m) > c.cosine(i, n);
                pairs += 1;
            }
        }
    return nearer / pairs;
}

TEST_F(Pretraining, PairsByGroupJoinTheClipsOfAPieceThatPairsByTrackKeepApart) {
    // The same audio, grouped into six pieces of two clips each.
    const fs::path lib = *dir_ / "pieces.sqlite";
    fs::copy_file(*lib_, lib, fs::copy_options::overwrite_existing);
    {
        library::LibraryDatabase db(lib);
        for (const auto& t : db.tracks())
            db.setTrackGroup(t.id, "piece" + std::to_string(pieceOf(sourceNumber(t.path))));
    }
    // Without augmentations, which blur what is learnt in so few steps; both runs see as many crops.
    auto pretrain = [&](const char* name, int epochs, ml::PairBy by) {
        auto request = pretrainRequest(lib, *dir_ / name, epochs, 2e-3);
        request.featureCache = pipeline::defaultFeatureCacheFor(*lib_);
        request.config.augmentation = {};
        request.config.pairBy = by;
        return pipeline::pretrainOnLibrary(request);
    };
    const auto group = pretrain("by-group", 200, ml::PairBy::Group);
    ASSERT_EQ(group.training.state, ml::TrainingState::Finished) << group.training.message;
    EXPECT_EQ(group.tracks, std::size_t(kTracks));
    EXPECT_EQ(group.pairingUnits, 6u);
    EXPECT_EQ(group.training.history.size(), 200u);  // 6 pieces in a batch of 12: one step of 12 crops an epoch
    EXPECT_EQ(ml::readSavedModelInfo(*dir_ / "by-group").extra.at("pair_by"), "group");
    const auto track = pretrain("by-track", 100, ml::PairBy::Track);  // one step of 24 crops an epoch
    ASSERT_EQ(track.training.state, ml::TrainingState::Finished) << track.training.message;
    EXPECT_EQ(track.pairingUnits, std::size_t(kTracks));

    const double byTrack = pieceMateAuc(*dir_ / "by-track", lib), byGroup = pieceMateAuc(*dir_ / "by-group", lib);
    std::cout << "a crop nearer the other clip of its piece than another piece: by track " << byTrack << ", by group "
              << byGroup << " (chance 0.5)\n";
    EXPECT_GT(byGroup, 0.7) << "by track " << byTrack;
    EXPECT_GT(byGroup, byTrack + 0.2) << "by group " << byGroup;
}

TEST_F(Pretraining, InitCopiesTheEncoderExactlyAndFreezeKeepsItWhileTheClassifierLearns) {
    const fs::path pretrained = *dir_ / "pretrained";
    const auto encoder = ml::encoderStateOf(pretrained);

    auto probe = trainRequest(*lib_, *dir_ / "probe", 4);
    probe.config.initRun = pretrained;
    probe.config.freezeEncoder = true;
    probe.config.learningRate = 1e-2;
    const auto p = pipeline::trainFromLibrary(probe);
    ASSERT_EQ(p.training.state, ml::TrainingState::Finished) << p.training.message;
    EXPECT_EQ(ml::encoderStateOf(*dir_ / "probe"), encoder);  // parameters and batch-norm statistics, bit for bit
    // The classifier did learn: its loss fell.
    EXPECT_LT(p.training.history.back().trainLoss, p.training.history.front().trainLoss);

    // Fine-tuning moves the encoder, but it stays far nearer the pretrained one than a run from scratch ends up.
    auto tune = trainRequest(*lib_, *dir_ / "tune", 3);
    tune.config.initRun = pretrained;
    const auto t = pipeline::trainFromLibrary(tune);
    ASSERT_EQ(t.training.state, ml::TrainingState::Finished) << t.training.message;
    const auto scratch = pipeline::trainFromLibrary(trainRequest(*lib_, *dir_ / "scratch", 3));
    ASSERT_EQ(scratch.training.state, ml::TrainingState::Finished) << scratch.training.message;
    auto distance = [&](const std::vector<float>& v) {
        EXPECT_EQ(v.size(), encoder.size());
        double s = 0;
        for (std::size_t i = 0; i < std::min(v.size(), encoder.size()); ++i) s += (v[i] - encoder[i]) * (v[i] - encoder[i]);
        return std::sqrt(s);
    };
    const double tuned = distance(ml::encoderStateOf(*dir_ / "tune")), fresh = distance(ml::encoderStateOf(*dir_ / "scratch"));
    EXPECT_GT(tuned, 0.0);
    EXPECT_LT(tuned, 0.5 * fresh) << "fine-tuned " << tuned << ", from scratch " << fresh;

    // The settings say where the encoder came from.
    library::LibraryDatabase db(*lib_);
    for (const auto& r : db.runs())
        if (r.runDir == fs::absolute(*dir_ / "probe").string()) {
            const auto settings = nlohmann::json::parse(r.settingsJson);
            EXPECT_EQ(settings.at("init").get<std::string>(), fs::absolute(pretrained).string());
            EXPECT_TRUE(settings.at("freeze").get<bool>());
        }
    // Which labels a space learnt from (the browser's score names a space scored by its own training labels).
    EXPECT_EQ(pipeline::labelSetLearntBy("run:" + (*dir_ / "probe").string()), "register");
    EXPECT_EQ(pipeline::labelSetLearntBy("run:" + pretrained.string()), "");
    EXPECT_EQ(pipeline::labelSetLearntBy("mfcc"), "");
}

// LP-FT: the first probe epochs train the classifier layer on the frozen encoder (it stays the pretrained one, bit for
// bit), then every layer trains at the fine-tuning rate; a run stopped at the switch and resumed ends where the
// uninterrupted one does, so the switch (and its fresh optimizer) happens once, at the same epoch, either way.
TEST_F(Pretraining, ProbeEpochsFitTheHeadOnTheFrozenEncoderThenFineTuneEveryLayer) {
    const fs::path pretrained = *dir_ / "pretrained";
    const auto encoder = ml::encoderStateOf(pretrained);
    auto request = [&](const fs::path& run) {
        auto r = trainRequest(*lib_, run, 4);
        r.config.initRun = pretrained;
        r.config.probeEpochs = 2;
        r.config.learningRate = 1e-2;
        r.config.fineTuneLearningRate = 1e-3;
        r.config.restoreBest = false;
        return r;
    };
    const fs::path whole = *dir_ / "lpft";
    const auto w = pipeline::trainFromLibrary(request(whole));
    ASSERT_EQ(w.training.state, ml::TrainingState::Finished) << w.training.message;
    ASSERT_EQ(w.training.history.size(), 4u);
    const std::vector<double> rates{1e-2, 1e-2, 1e-3, 1e-3};
    for (std::size_t e = 0; e < 4; ++e) EXPECT_DOUBLE_EQ(w.training.history[e].learningRate, rates[e]) << "epoch " << e;
    EXPECT_NE(ml::encoderStateOf(whole), encoder);  // the encoder trained after the probe epochs
    EXPECT_EQ(ml::readSavedModelInfo(whole).extra.at("config.probe_epochs"), "2");

    struct StopAfterSecondEpoch : ml::TrainingObserver {
        ml::Trainer* trainer = nullptr;
        void onEpoch(const ml::EpochReport& r) override {
            if (r.epoch == 1) trainer->requestStop();
        }
    } stopper;
    const fs::path halves = *dir_ / "lpft-resumed";
    const auto first = pipeline::trainFromLibrary(request(halves), &stopper, nullptr,
                                                  [&](ml::Trainer& t) { stopper.trainer = &t; });
    ASSERT_EQ(first.training.state, ml::TrainingState::Stopped) << first.training.message;
    ASSERT_EQ(first.training.epochsCompleted, 2);
    EXPECT_EQ(ml::encoderStateOf(halves), encoder);  // the probe epochs left it as pretrained
    EXPECT_LT(first.training.history.back().trainLoss, first.training.history.front().trainLoss);  // the head learnt
    auto rest = request(halves);
    rest.resume = true;
    const auto second = pipeline::trainFromLibrary(rest);
    ASSERT_EQ(second.training.state, ml::TrainingState::Finished) << second.training.message;
    EXPECT_EQ(ml::encoderStateOf(halves), ml::encoderStateOf(whole));

    auto refused = [&](const char* name, const std::function<void(pipeline::LibraryTrainingRequest&)>& change) {
        auto r = request(*dir_ / name);
        change(r);
        return pipeline::trainFromLibrary(r).training;
    };
    const auto noInit = refused("lpft-no-init", [](auto& r) { r.config.initRun.clear(); });
    EXPECT_EQ(noInit.state, ml::TrainingState::Failed);
    EXPECT_NE(noInit.message.find("--init"), std::string::npos) << noInit.message;
    const auto frozen = refused("lpft-frozen", [](auto& r) { r.config.freezeEncoder = true; });
    EXPECT_EQ(frozen.state, ml::TrainingState::Failed);
    EXPECT_NE(frozen.message.find("choose one"), std::string::npos) << frozen.message;
}

TEST_F(Pretraining, AWrongOrMismatchedInitRunIsRefusedNamingTheFileAndTheReason) {
    const fs::path pretrained = *dir_ / "pretrained";
    auto refusal = [&](const std::string& name, const fs::path& init, const std::function<void(pipeline::LibraryTrainingRequest&)>& change) {
        auto r = trainRequest(*lib_, *dir_ / name, 1);
        r.config.initRun = init;
        if (change) change(r);
        return pipeline::trainFromLibrary(r).training;
    };
    const auto notRun = refusal("refused-1", *dir_, {});
    EXPECT_EQ(notRun.state, ml::TrainingState::Failed);
    EXPECT_NE(notRun.message.find(dir_->string()), std::string::npos) << notRun.message;
    EXPECT_NE(notRun.message.find("is not a trained run"), std::string::npos) << notRun.message;

    const auto window = refusal("refused-2", pretrained, [](auto& r) { r.config.windowFrames = 40; });
    EXPECT_EQ(window.state, ml::TrainingState::Failed);
    EXPECT_NE(window.message.find((pretrained / "model.txt").string()), std::string::npos) << window.message;
    EXPECT_NE(window.message.find("takes inputs of 80 x 80"), std::string::npos) << window.message;

    const auto layers = refusal("refused-3", pretrained, [](auto& r) { r.model = ml::ModelSpec::parse("compact_cnn"); });
    EXPECT_EQ(layers.state, ml::TrainingState::Failed);
    EXPECT_NE(layers.message.find("was trained as " + std::string(kModel)), std::string::npos) << layers.message;

    auto freezeAlone = trainRequest(*lib_, *dir_ / "refused-4", 1);
    freezeAlone.config.freezeEncoder = true;
    const auto alone = pipeline::trainFromLibrary(freezeAlone).training;
    EXPECT_EQ(alone.state, ml::TrainingState::Failed);
    EXPECT_NE(alone.message.find("--init"), std::string::npos) << alone.message;
}

TEST_F(Pretraining, CliPretrainsResumesAndRefusesAnExistingRun) {
    const std::string cli = test::cliPath();
    const fs::path run = *dir_ / "cli-run";
    const std::string base = cli + " pretrain --db " + lib_->string() + " --model " + kModel + " --out " + run.string() +
                             " --batch-size 6 --threads 1 --augmentations all --json -q";
    int status = 0;
    auto out = test::capture(base + " --epochs 2", &status);
    ASSERT_EQ(status, 0) << out;
    auto json = nlohmann::json::parse(out);
    EXPECT_EQ(json.at("state"), "finished");
    EXPECT_EQ(json.at("epochs"), 2);
    EXPECT_EQ(json.at("tracks"), kTracks);
    EXPECT_EQ(ml::readSavedModelInfo(run).extra.at("augmentations"), "tmask,fmask,gain,stretch,shift,mix");

    out = test::capture(base + " --epochs 3 2>&1", &status);
    EXPECT_NE(status, 0);
    EXPECT_NE(out.find("already holds a run"), std::string::npos) << out;

    out = test::capture(base + " --epochs 3 --resume", &status);
    ASSERT_EQ(status, 0) << out;
    json = nlohmann::json::parse(out);
    EXPECT_EQ(json.at("epochs"), 3);
    EXPECT_EQ(json.at("history").size(), 3u);
    EXPECT_EQ(json.at("pair_by"), "group");       // the default
    EXPECT_EQ(json.at("pairing_units"), kTracks);  // each source is its own group here
    // A run goes on as it started: pairs made another way are refused, naming the checkpoint.
    out = test::capture(base + " --epochs 4 --resume --pair-by track 2>&1", &status);
    EXPECT_NE(status, 0);
    EXPECT_NE(out.find((run / "checkpoint.pt").string() + ": was written with pairs made by group, not by track"),
              std::string::npos)
        << out;
    {  // and the stored run is left as it was: finished, with the settings it ran with
        library::LibraryDatabase db(*lib_);
        const auto runs = db.runs();
        const auto row = std::find_if(runs.begin(), runs.end(),
                                      [&](const auto& r) { return r.runDir == fs::absolute(run).string(); });
        ASSERT_NE(row, runs.end());
        EXPECT_EQ(row->status, "finished");
        EXPECT_EQ(nlohmann::json::parse(row->settingsJson).at("pretraining").at("pair_by"), "group");
    }

    // --steps: at least that many steps, in whole epochs (12 tracks, 6 a step: 2 steps an epoch); not with --epochs.
    const std::string stepped = cli + " pretrain --db " + lib_->string() + " --model " + kModel + " --out " +
                                (*dir_ / "cli-steps").string() + " --batch-size 6 --threads 1 --json -q";
    out = test::capture(stepped + " --steps 5", &status);
    ASSERT_EQ(status, 0) << out;
    json = nlohmann::json::parse(out);
    EXPECT_EQ(json.at("epochs"), 3);
    EXPECT_EQ(json.at("steps"), 6);
    EXPECT_EQ(json.at("history").size(), 3u);
    // By track, and resumed without --pair-by: it goes on by track (as a run from before the default was group);
    // an unknown way is refused.
    const std::string byTrack = cli + " pretrain --db " + lib_->string() + " --model " + kModel + " --out " +
                                (*dir_ / "cli-track").string() + " --batch-size 6 --threads 1 --json -q";
    // The same holds for the rate, the temperature and the augmentations: a resume without them keeps the run's own,
    // and one that names them again takes the new value.
    out = test::capture(byTrack + " --epochs 1 --pair-by track --schedule cosine --lr 3e-7 --temperature 0.25 "
                                  "--augmentations gain",
                        &status);
    ASSERT_EQ(status, 0) << out;
    EXPECT_EQ(nlohmann::json::parse(out).at("pair_by"), "track");
    EXPECT_EQ(nlohmann::json::parse(out).at("schedule"), "cosine");
    out = test::capture(byTrack + " --epochs 2 --resume", &status);
    ASSERT_EQ(status, 0) << out;
    json = nlohmann::json::parse(out);
    EXPECT_EQ(json.at("pair_by"), "track");
    EXPECT_EQ(json.at("schedule"), "cosine");
    EXPECT_EQ(json.at("pairing_units"), kTracks);
    EXPECT_EQ(json.at("steps"), 4);
    const fs::path trackRun = *dir_ / "cli-track";
    auto extra = ml::readSavedModelInfo(trackRun).extra;
    EXPECT_EQ(std::stod(extra.at("learning_rate")), 3e-7);  // not rounded away to 0
    EXPECT_EQ(std::stod(extra.at("temperature")), 0.25);
    EXPECT_EQ(extra.at("augmentations"), "gain");
    // The resumed epoch ran at the run's rate (cosine cannot go below a floor that is above the rate itself); at the
    // default 2e-3 it would have been about 1e-3.
    EXPECT_DOUBLE_EQ(json.at("history").at(1).at("learning_rate").get<double>(), 3e-7);
    out = test::capture(byTrack + " --epochs 3 --resume --temperature 0.3", &status);
    ASSERT_EQ(status, 0) << out;
    extra = ml::readSavedModelInfo(trackRun).extra;
    EXPECT_EQ(std::stod(extra.at("temperature")), 0.3);
    EXPECT_EQ(std::stod(extra.at("learning_rate")), 3e-7);
    EXPECT_EQ(extra.at("augmentations"), "gain");
    out = test::capture(stepped + " --steps 5 --pair-by album 2>&1", &status);
    EXPECT_NE(status, 0);
    EXPECT_NE(out.find("album"), std::string::npos) << out;
    out = test::capture(stepped + " --steps 5 --schedule plateau 2>&1", &status);  // no validation loss to watch
    EXPECT_NE(status, 0);
    EXPECT_NE(out.find("plateau"), std::string::npos) << out;
    out = test::capture(stepped + " --steps 5 --epochs 2 2>&1", &status);
    EXPECT_NE(status, 0);
    EXPECT_NE(out.find("excludes"), std::string::npos) << out;

    // train --init through the CLI names the refused file.
    out = test::capture(cli + " train --db " + lib_->string() + " --task single:low,high@register --model compact_cnn --out " +
                            (*dir_ / "cli-refused").string() + " --init " + run.string() + " --epochs 1 -q 2>&1",
                        &status);
    EXPECT_NE(status, 0);
    EXPECT_NE(out.find((run / "model.txt").string()), std::string::npos) << out;
}

// A learning-rate schedule (`pretrain --schedule cosine`): each epoch's rate is SGDR's cosine
// lo + (lr0 - lo) (1 + cos(pi e / E)) / 2, in the curves; a run stopped after epoch 2 of 4 and resumed ends where the
// uninterrupted run ends, weight for weight, since the rate depends on the epoch alone. Plateau needs a validation
// loss that pretraining does not have, so it is refused before anything is written.
TEST_F(Pretraining, ACosineScheduleDecaysByEpochAndAResumedRunGoesOnWhereItStopped) {
    constexpr double lr0 = 2e-3, lo = 1e-5;
    auto request = [&](const fs::path& run) {
        auto r = pretrainRequest(*lib_, run, 4, lr0);
        r.config.training.schedule = ml::ScheduleKind::Cosine;
        r.config.training.minLearningRate = lo;
        return r;
    };
    const fs::path whole = *dir_ / "cosine";
    const auto uninterrupted = pipeline::pretrainOnLibrary(request(whole));
    ASSERT_EQ(uninterrupted.training.state, ml::TrainingState::Finished) << uninterrupted.training.message;
    const auto& h = uninterrupted.training.history;
    ASSERT_EQ(h.size(), 4u);
    for (int e = 0; e < 4; ++e)
        EXPECT_NEAR(h[std::size_t(e)].learningRate, lo + (lr0 - lo) * 0.5 * (1.0 + std::cos(M_PI * e / 4.0)), 1e-12)
            << "epoch " << e;
    EXPECT_EQ(ml::readSavedModelInfo(whole).extra.at("schedule"), "cosine");
    // The rate reaches the optimizer: the same run at a constant rate ends elsewhere.
    const fs::path constant = *dir_ / "constant";
    ASSERT_EQ(pipeline::pretrainOnLibrary(pretrainRequest(*lib_, constant, 4, lr0)).training.state,
              ml::TrainingState::Finished);
    EXPECT_NE(ml::encoderStateOf(constant), ml::encoderStateOf(whole));

    struct StopAfterSecondEpoch : ml::TrainingObserver {
        ml::Pretrainer* pretrainer = nullptr;
        void onEpoch(const ml::EpochReport& r) override {
            if (r.epoch == 1) pretrainer->requestStop();
        }
    } stopper;
    const fs::path halves = *dir_ / "cosine-resumed";
    const auto first = pipeline::pretrainOnLibrary(request(halves), &stopper, nullptr,
                                                   [&](ml::Pretrainer& p) { stopper.pretrainer = &p; });
    ASSERT_EQ(first.training.state, ml::TrainingState::Stopped) << first.training.message;
    ASSERT_EQ(first.training.epochsCompleted, 2);
    auto rest = request(halves);
    rest.resume = true;
    const auto second = pipeline::pretrainOnLibrary(rest);
    ASSERT_EQ(second.training.state, ml::TrainingState::Finished) << second.training.message;
    ASSERT_EQ(second.training.history.size(), 4u);
    for (std::size_t e = 0; e < 4; ++e) EXPECT_DOUBLE_EQ(second.training.history[e].learningRate, h[e].learningRate);
    EXPECT_EQ(ml::encoderStateOf(halves), ml::encoderStateOf(whole));

    auto plateau = pretrainRequest(*lib_, *dir_ / "plateau", 2, lr0);
    plateau.config.training.schedule = ml::ScheduleKind::Plateau;
    try {
        pipeline::pretrainOnLibrary(plateau);
        FAIL() << "a plateau schedule was accepted";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("validation"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(*dir_ / "plateau" / "checkpoint.pt"));
}

// A pretrained run is an encoder without a classifier head: predict and evaluate (one run, several, or its folds)
// refuse it in one sentence that names the run folder and says how to get a classifier from it.
TEST_F(Pretraining, PredictAndEvaluateRefuseAnEncoderWithoutAClassifier) {
    const std::string cli = test::cliPath();
    const fs::path run = fs::absolute(*dir_ / "pretrained");
    const std::string wav = (*dir_ / "source0.wav").string();
    for (const std::string args :
         {" predict --run " + run.string() + " " + wav,
          " evaluate --run " + run.string() + " --db " + lib_->string() + " --split tracks",
          " evaluate --run " + run.string() + " --run " + run.string() + " --db " + lib_->string() + " --split tracks",
          " evaluate --run " + run.string() + " --db " + lib_->string() + " --folds 2 --epochs 1 -q"}) {
        int status = 0;
        const std::string out = test::capture(cli + args + " 2>&1", &status);
        EXPECT_NE(status, 0) << args << "\n" << out;
        EXPECT_NE(out.find(run.string() + ": was made by `pretrain`"), std::string::npos) << args << "\n" << out;
        EXPECT_NE(out.find("--init " + run.string()), std::string::npos) << args << "\n" << out;
        EXPECT_FALSE(fs::exists(run / "folds")) << args;
    }
    EXPECT_TRUE(ml::isPretrainedRun(run));  // refused, not changed
    EXPECT_EQ(ml::readSavedModelInfo(run).metrics.count("test_accuracy"), 0u);
}

// `train-siamese --model compact_cnn --init RUN`: the pretrained encoder learns a labelled space by the triplet loss.
// The labels ("timbre": few harmonics, 1 to 3, or many, 4 to 6) cut across what the pretraining learnt (each track's
// own sound, of which register is the loudest part), so the pretrained space ranks them at chance; trained on 8 tracks
// (6 few, 2 many), the space ranks all 12 by timbre, the 4 it never saw included. The encoder stays far nearer the
// pretrained weights than the same training from scratch ends up; the run is a space, not a classifier.
TEST_F(Pretraining, TrainSiameseTeachesThePretrainedEncoderALabelledSpace) {
    const fs::path lib = *dir_ / "timbre.sqlite";
    fs::copy_file(*lib_, lib, fs::copy_options::overwrite_existing);
    {
        library::LibraryDatabase db(lib);
        db.createLabelSet("timbre", library::LabelKind::Single, {"few", "many"}, "test");
        for (const auto& t : db.tracks())  // source k has 1 + k % 6 harmonics
            db.setLabel("timbre", t.id, sourceNumber(t.path) % 6 < 3 ? "few" : "many", 1.0, "test");
    }
    const fs::path pretrained = fs::absolute(*dir_ / "pretrained");
    const fs::path tuned = fs::absolute(*dir_ / "timbre-tuned"), scratch = fs::absolute(*dir_ / "timbre-scratch");
    const std::string cli = test::cliPath();
    const std::string common = " train-siamese --db " + lib.string() + " --task single:few,many@timbre --split tracks"
                               " --model " + kModel + " --epochs 25 --batch 8 --lr 1e-3 --threads 1 --seed 3";
    int status = 0;
    std::string out = test::capture(cli + common + " --init " + pretrained.string() + " --out " + tuned.string() +
                                        " 2>&1", &status);
    ASSERT_EQ(status, 0) << out;
    EXPECT_NE(out.find("8 training tracks, 8 items"), std::string::npos) << out;  // the triplet loss, by default
    out = test::capture(cli + common + " --out " + scratch.string() + " 2>&1", &status);
    ASSERT_EQ(status, 0) << out;

    // Precision@5 by timbre over all 12 tracks (each its own group: 5 of the 11 others share a track's timbre).
    library::LibraryDatabase db(lib);
    auto precision = [&](const fs::path& run) {
        return pipeline::evaluateSpace(db, {.space = "run:" + run.string(), .labelSet = "timbre", .k = 5})
            .report.precisionAtK;
    };
    const double before = precision(pretrained), after = precision(tuned);
    std::cout << "timbre precision@5 over all tracks: pretrained " << before << ", after train-siamese " << after
              << ", the same from scratch " << precision(scratch) << " (chance 0.45)\n";
    EXPECT_GT(after, before + 0.15) << "pretrained " << before;
    EXPECT_GT(after, 0.6) << "pretrained " << before;

    // It starts from the pretrained encoder: two epochs later its weights (and batch-norm statistics) are still far
    // nearer the pretrained ones than the same two epochs from scratch leave them.
    const fs::path started = fs::absolute(*dir_ / "timbre-started"), fresh = fs::absolute(*dir_ / "timbre-fresh");
    const std::string twoEpochs = " --epochs 2 --batch 8 --threads 1 --seed 3 --db " + lib.string() +
                                  " --task single:few,many@timbre --split tracks --model " + kModel;
    ASSERT_EQ(std::system((cli + " train-siamese" + twoEpochs + " --init " + pretrained.string() + " --out " +
                           started.string() + " >/dev/null 2>&1").c_str()), 0);
    ASSERT_EQ(std::system((cli + " train-siamese" + twoEpochs + " --out " + fresh.string() + " >/dev/null 2>&1").c_str()), 0);
    // Without --lr, the encoder from a pretrained run takes the gentler default (defaultSiameseLearningRate).
    EXPECT_DOUBLE_EQ(std::stod(ml::readSavedModelInfo(started).extra.at("config.learning_rate")), 3e-4);
    EXPECT_DOUBLE_EQ(std::stod(ml::readSavedModelInfo(fresh).extra.at("config.learning_rate")), 1e-3);
    const auto encoder = ml::encoderStateOf(pretrained);
    auto distance = [&](const fs::path& run) {
        const auto v = ml::encoderStateOf(run);
        EXPECT_EQ(v.size(), encoder.size());
        double d = 0;
        for (std::size_t i = 0; i < std::min(v.size(), encoder.size()); ++i) d += (v[i] - encoder[i]) * (v[i] - encoder[i]);
        return std::sqrt(d);
    };
    const double fromPretrained = distance(started), fromScratch = distance(fresh);
    EXPECT_GT(fromPretrained, 0.0);
    EXPECT_LT(fromPretrained, 0.5 * fromScratch) << "from the pretrained run " << fromPretrained << ", from scratch "
                                                 << fromScratch;
    for (const auto& r : db.runs())
        if (r.runDir == tuned.string())
            EXPECT_EQ(nlohmann::json::parse(r.settingsJson).at("init").get<std::string>(), pretrained.string());

    // Its recipe, as cross-validation trains it again: the same start, loss and settings.
    const auto recipe = pipeline::siameseRecipeOf(tuned);
    EXPECT_EQ(recipe.config.initRun, pretrained);
    EXPECT_EQ(recipe.loss, "triplet");
    EXPECT_EQ(recipe.config.epochs, 25);
    EXPECT_EQ(recipe.config.batchSize, 8);
    EXPECT_EQ(recipe.config.seed, 3u);
    EXPECT_DOUBLE_EQ(recipe.tripletMargin, 0.2);
    EXPECT_EQ(recipe.task, "single:few,many@timbre");
    // ... from the run folder alone, wherever it was copied (no runs-table row names the copy).
    fs::copy(tuned, *dir_ / "timbre-copied", fs::copy_options::recursive);
    EXPECT_EQ(pipeline::siameseRecipeOf(*dir_ / "timbre-copied").config.initRun, pretrained);
    // Each fold's model starts from the pretrained encoder too (two epochs: still near it).
    const auto folds = pipeline::crossValidateSpace(
        {.library = lib, .evaluation = {.space = "run:" + started.string(), .labelSet = "timbre", .k = 3}, .folds = 3});
    EXPECT_TRUE(folds.retrained);
    EXPECT_LT(distance(started / "folds" / "fold-1"), 0.5 * fromScratch);
    // A run from before model.txt held the whole config: its starting run is read from the runs table.
    auto info = ml::readSavedModelInfo(started);
    std::erase_if(info.extra, [](const auto& e) { return e.first.rfind("config.", 0) == 0; });
    ml::writeSavedModelInfo(started, info);
    EXPECT_EQ(pipeline::siameseRecipeOf(started).config.initRun, pretrained);

    // A space, not a classifier: predict refuses it by name.
    out = test::capture(cli + " predict --run " + tuned.string() + " " + (*dir_ / "source0.wav").string() + " 2>&1", &status);
    EXPECT_NE(status, 0) << out;
    EXPECT_NE(out.find(tuned.string() + ": was made by `train-siamese`"), std::string::npos) << out;

    // What cannot work is refused before anything trains.
    auto refusal = [&](const std::function<void(pipeline::SiameseTrainingRequest&)>& change) {
        pipeline::SiameseTrainingRequest r;
        r.library = lib;
        r.task = "single:few,many@timbre";
        r.split = "tracks";
        r.model = ml::ModelSpec::parse(kModel);
        r.config.runDir = *dir_ / "timbre-refused";
        r.config.epochs = 1;
        r.config.threads = 1;
        r.config.initRun = pretrained;
        change(r);
        try {
            pipeline::trainSiameseFromLibrary(r);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("trained");
    };
    EXPECT_NE(refusal([](auto& r) { r.loss = "contrastive"; }).find("--loss triplet"), std::string::npos);
    EXPECT_NE(refusal([](auto& r) { r.config.freezeEncoder = true; }).find("leave out --freeze"), std::string::npos);
    EXPECT_NE(refusal([](auto& r) { r.model = ml::ModelSpec::parse("siamese_cnn"); }).find("is a siamese network"),
              std::string::npos);
    EXPECT_NE(refusal([](auto& r) { r.model = ml::ModelSpec::parse("dense"); }).find("neither a siamese network"),
              std::string::npos);
    EXPECT_FALSE(fs::exists(*dir_ / "timbre-refused" / "model.pt"));
}

// `train --augment` (the older flag) draws its gain and masks from the batch augmentation module, beside
// --augmentations, and the run folder records them so that its folds train the same way.
TEST_F(Pretraining, CliTrainAugmentGoesThroughTheBatchAugmentations) {
    const std::string cli = test::cliPath();
    const fs::path run = *dir_ / "cli-augment";
    int status = 0;
    const std::string out = test::capture(cli + " train --db " + lib_->string() +
                                              " --task single:low,high@register --model " + kModel + " --out " +
                                              run.string() + " --epochs 1 --threads 1 --augment --augmentations shift -q 2>&1",
                                          &status);
    ASSERT_EQ(status, 0) << out;
    const auto info = ml::readSavedModelInfo(run);
    EXPECT_EQ(info.extra.at("config.augmentations"), "tmask,fmask,gain,shift");
    EXPECT_EQ(info.extra.count("config.augment.gain_db"), 0u);  // one owner: the per-crop keys are gone
}
