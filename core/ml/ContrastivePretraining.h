#pragma once
// Self-supervised pretraining of an encoder on unlabelled tracks (issue 16), with the contrastive objective of SimCLR
// as COLA (Saeed et al. 2021) and CLMR (Spijkervet & Burgoyne 2021) use it for audio: each step takes B tracks, two
// crops of each drawn independently from anywhere in the track's whole feature matrix, augments both
// (SpectrogramAugmentation.h), and trains encoder + projection head so that the two crops of a track are nearer to
// each other than to the 2B - 2 crops of the other tracks (NT-Xent with temperature tau, CLMR's 0.5).
// Where a library holds clips of longer recordings (its groups: the demo's 30-s clips of one source track), PairBy::Group
// treats each group as the whole track: a pair is two crops from any of its clips, and its clips are never negatives of
// each other.
//
//   ml::Pretrainer p(ModelSpec::parse("compact_cnn"), config, {.features = tracks, .groups = groups}, &observer);
//   ml::TrainingResult r = p.run();   // run folder in config.training.runDir
//
// The encoder is the named classifier architecture without its classifier layer (its embed()); the projection head
// is SimCLR's: dense (encoder width) -> ReLU -> dense (projectionDim), used only by the loss. The run folder is
// a run like a classifier's (model.txt, model.pt, standardization.npy, curves.csv, checkpoint.pt) whose model.txt
// says pretrained=contrastive: its embed() is the learned space ("run:DIR"), and `train --init DIR` starts a
// classifier from its encoder (EncoderTransfer below). The classifier layer in model.pt is never trained.
#include "core/ml/FeatureMatrix.h"
#include "core/ml/ModelSpec.h"
#include "core/ml/SpectrogramAugmentation.h"
#include "core/ml/Trainer.h"
#include "core/ml/TrainingConfig.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sonolab::ml {

// The steps a pretraining takes at least when nobody says otherwise (`pretrain` without --epochs or --steps; what the
// dashboard's "Pretrain on the library" advises). Pairs by group went on gaining to 6,000 steps on the demo: precision@10
// 0.619 and 0.634 after 1,000 steps, 0.684 and 0.695 after 3,000, 0.720 and 0.713 after 6,000 (seeds 42
// and 7; README).
inline constexpr std::size_t kDefaultPretrainingSteps = 6000;

// What makes two crops a positive pair.
enum class PairBy {
    Track,  // two crops of one track (CLMR, COLA)
    Group,  // two crops of one group's tracks (any clip of the source track); a track without a group stands alone
};
std::string_view toString(PairBy by);
PairBy parsePairBy(std::string_view text);  // "track" | "group"; throws Error otherwise

struct PretrainingConfig {
    // epochs, batchSize (tracks per step: 2 x batchSize crops), learningRate, schedule (constant, step or cosine, by
    // epoch; plateau is refused: there is no validation loss), warmupEpochs, minLearningRate, optimizer, seed,
    // threads, device, runDir, featureSpec, datasetName, standardization (fitted on every track) are read from here.
    // Its batch is 64 tracks, not a classifier's 32: the other tracks of the batch are the negatives (README: batch 32
    // scored a little less for the same steps). Its rate is 2e-3, not 1e-3: after 6,000 steps by group precision@10
    // was 0.742 and 0.734 against 0.720 and 0.713 (seeds 42 and 7; README).
    TrainingConfig training = [] {
        TrainingConfig t;
        t.batchSize = 64;
        t.learningRate = 2e-3;
        return t;
    }();
    std::size_t cropFrames = 0;    // frames per crop; 0 = the architecture's input (ArchitectureCatalog.h)
    // NT-Xent tau (CLMR: 0.5). 0.2 led after 1,000 steps by group (3 seeds, +0.019 on average) but fell behind by
    // 6,000: precision@10 0.675 against 0.720 (seed 42; README).
    double temperature = 0.5;
    std::size_t projectionDim = 128;  // width of the projection head's output z
    SpectrogramAugmentation augmentation = SpectrogramAugmentation::parse("tmask,fmask,gain,mix");
    // At least this many optimizer steps: training.epochs is raised to the whole epochs that take them once the
    // tracks are known (resolvedEpochs below). A small library takes a few steps an epoch, and contrastive training
    // goes on improving for a thousand steps or more (README, "Pretraining on the whole library"). 0 = no minimum.
    std::size_t steps = 0;
    // By group: on the demo's clips of 85 source tracks, precision@10 by style was ahead in each of 4 seeds
    // (README, "Pretraining on the whole library"). A library without groups pairs by track either way.
    PairBy pairBy = PairBy::Group;
};

// The tracks a pretraining learns from: one bands x frames matrix per track (all with the same bands), e.g. borrowed
// from the feature cache, and each track's group (source track / album; "" = none, or no groups at all).
struct PretrainingTracks {
    std::vector<FeatureMatrix> features;
    std::vector<std::string> groups;  // empty, or one per track
};

// The units a pretraining draws its pairs from (indices into the tracks): one per track, or with PairBy::Group one per
// group, in order of first appearance, where tracks without a group stay units of their own. Throws Error when
// `groups` is neither empty nor one per track.
std::vector<std::vector<std::size_t>> pairingUnits(std::size_t tracks, const std::vector<std::string>& groups, PairBy by);

// Optimizer steps in one epoch over `tracks` pairing units (tracks, or groups with PairBy::Group), `batchSize` a step.
// A last batch of one unit has no negatives, so it waits for a later epoch's shuffle.
inline int pretrainingStepsPerEpoch(std::size_t tracks, int batchSize) {
    const std::size_t size = std::min(tracks, std::size_t(std::max(2, batchSize)));
    if (size < 2) return 0;
    return int(tracks / size + (tracks % size >= 2 ? 1 : 0));
}

// For a pretraining of `epochs` epochs that takes fewer than kDefaultPretrainingSteps steps on `units` pairing units,
// one sentence saying so and how many epochs would take them, e.g. "3 epochs are only 3 steps on 16 tracks; 6000 epochs
// (6000 steps) learn a better space"; "" when it takes enough. Where the units are groups of `tracks` tracks, it says
// "on 85 groups (206 tracks)". The CLI and the dashboard say it the same way.
std::string fewStepsAdvice(int epochs, int batchSize, std::size_t units, std::size_t tracks = 0);

// The epochs a pretraining of `tracks` pairing units runs: config.training.epochs, or more where config.steps needs more.
inline int resolvedEpochs(const PretrainingConfig& config, std::size_t tracks) {
    const auto perEpoch = std::size_t(std::max(1, pretrainingStepsPerEpoch(tracks, config.training.batchSize)));
    return std::max(config.training.epochs, int((config.steps + perEpoch - 1) / perEpoch));
}

// What Pretrainer forwards to (the model runtime, ModelRuntime.h).
class PretrainerBackend {
public:
    virtual ~PretrainerBackend() = default;
    virtual void resumeFrom(const std::filesystem::path& runDir) = 0;
    virtual TrainingResult run() = 0;
    virtual void requestStop() = 0;
    virtual void pause() = 0;
    virtual void resume() = 0;
};

class Pretrainer {
public:
    // Tracks shorter than a crop are zero-padded. Loads the model runtime. Throws Error on an architecture that is not
    // a classifier, fewer than two pairing units, or a batch size below 2.
    Pretrainer(ModelSpec model, PretrainingConfig config, PretrainingTracks tracks, TrainingObserver* observer = nullptr);
    ~Pretrainer();
    Pretrainer(const Pretrainer&) = delete;
    Pretrainer& operator=(const Pretrainer&) = delete;

    // Continue from runDir's checkpoint (before run()); throws Error naming the file when it does not match.
    void resumeFrom(const std::filesystem::path& runDir);
    // Blocks; observer reports per batch ("loss") and per epoch (metric "pair_accuracy": the share of crops whose
    // nearest other crop in the batch is their pair). Stopped keeps the last epoch's checkpoint and model.
    TrainingResult run();
    void requestStop();  // thread-safe, like Trainer's
    void pause();
    void resume();

private:
    std::unique_ptr<PretrainerBackend> backend_;
};

// NT-Xent (SimCLR eq. 1, averaged over all 2N anchors) of N pairs of rows: a[i] and b[i] ([N x dim], row-major) are
// the positives, every other row of a and b a negative. For tests and reports (loads the model runtime).
double ntXentLossValue(const std::vector<float>& a, const std::vector<float>& b, std::size_t dim, double temperature);

// Whether a run folder was written by a Pretrainer (model.txt's pretrained=...), without loading libtorch.
bool isPretrainedRun(const std::filesystem::path& runDir);
// Throws sonolab::Error naming runDir when it was written by a Pretrainer (an encoder without a classifier head:
// nothing to predict or evaluate until a classifier is trained from it, `train --init`) or by train-siamese (a
// similarity space, whose outputs are distances or embeddings, not classes).
void requireClassifierRun(const std::filesystem::path& runDir);

// The encoder's parameters and the network's buffers of a saved run (in the network's order), flattened: what
// `train --init` copies and `--freeze` keeps. For tests comparing runs (loads the model runtime).
std::vector<float> encoderStateOf(const std::filesystem::path& runDir);

}  // namespace sonolab::ml
