#pragma once
// Siamese training from the library (tutorial IS 2b/2c, ML 4b/4c): tracks, labels or tags and a split from the
// library database, features from the feature cache (extracted first where missing), pairs from the train part
// (labels, a class-similarity table, or IDF-weighted Dice similarity of tags, plus identity pairs and the user's
// "similar / not similar" marks), trained by the ml engine with live reports, judged each epoch by precision@k of
// the embedding on the validation tracks, evaluated on the held-out test tracks, and stored (run folder + runs table).
//
//   pipeline::SiameseTrainingRequest r;
//   r.library = "lib.sqlite"; r.task = "single:rock,jazz@style"; r.config.runDir = "runs/siamese";
//   auto result = pipeline::trainSiameseFromLibrary(r, &observer);   // then search with space "run:runs/siamese"
#include "core/library/TrainingSet.h"
#include "core/ml/ArchitectureCatalog.h"
#include "core/ml/ModelSpec.h"
#include "core/ml/Trainer.h"
#include "core/ml/TrainingConfig.h"
#include "core/pipeline/ModelFeatures.h"
#include "core/similarity/RetrievalEvaluation.h"
#include "core/similarity/TrainingPairs.h"
#include "core/util/Progress.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonolab::pipeline {

enum class SiamesePairSource {
    Labels,      // same class = 1, another class = 0 (ML 4b, IS 2b)
    ClassTable,  // targets from a class-to-class similarity table (ML 4b variant 2/3, IS 2b genre table)
    Tags,        // IDF-weighted Dice similarity of the tracks' tags (ML 4c, IS 2c): a multi: task's tag set
};
std::string_view toString(SiamesePairSource source);  // "labels", "table", "tags"
SiamesePairSource parseSiamesePairSource(std::string_view text);  // throws Error on anything else

std::string_view tagWeightingName(similarity::TagWeighting weighting);  // "tutorial", "idf", "none"
similarity::TagWeighting parseTagWeighting(std::string_view text);     // throws Error on anything else

struct SiamesePairOptions {
    SiamesePairSource source = SiamesePairSource::Labels;
    std::size_t perTrack = 5;          // positive + negative pairs drawn per track
    bool identity = true;              // (i, i, 1) once per track
    std::filesystem::path classTable;  // ClassTable: "classA,classB,value" lines
    float offset = 0.0f;               // ClassTable / Tags: added to the similarity, clipped to [0, 1] (ML 4c: -0.1)
    similarity::TagWeighting tagWeighting = similarity::TagWeighting::TutorialIdf;
    std::size_t tagCandidates = 10;    // Tags: positives among the most similar, negatives among the least similar
    std::uint64_t seed = 1;
};

// The class of each example for label-based pairs: single-label tasks their class, binary tasks "<class>" or
// "not <class>". Throws Error for multi-label tasks (a track may have several classes: use tag pairs).
std::vector<std::string> classOfEachExample(const library::TrainingSet& set,
                                            const std::vector<library::TrainingExample>& examples);

// Pairs among `examples` (their rows) of a training set, as the options say. Tag pairs read each example's label
// vector as its tag vector.
std::vector<similarity::TrainingPair> siamesePairs(const library::TrainingSet& set,
                                                   const std::vector<library::TrainingExample>& examples,
                                                   const SiamesePairOptions& options);

struct SiameseTrainingRequest {
    std::filesystem::path library;  // the library database file
    std::string task;               // "single:a,b,c[@set]" (labels, table, triplet) or "multi:t1,t2,...[@set]" (tags)
    std::string split;              // split name; empty = the library's only split
    // siamese_dense, siamese_cnn, or a spectrogram classifier (compact_cnn ...) whose encoder learns the space with the
    // triplet loss, from scratch or from a pretrained run (config.initRun, `train-siamese --init RUN`).
    ml::ModelSpec model = ml::ModelSpec::parse("siamese_dense");
    // "contrastive" (pairs) or "triplet": single items, batch-hard positive and negative per anchor. Empty: triplet
    // for a classifier's encoder, contrastive for a siamese network.
    std::string loss;
    double margin = 1.0;               // contrastive margin
    double tripletMargin = 0.2;
    SiamesePairOptions pairs;
    bool includeMarks = true;          // the browser's similar / not similar marks between training tracks
    ml::TrainingConfig config;         // config.runDir is the run folder (required); loss/standardisation are set here
    std::optional<ModelFeatures> features;  // default: MFCC statistics (siamese_dense), 80x80 log-mel (siamese_cnn)
    std::filesystem::path featureCache;     // default: defaultFeatureCacheFor(library)
    int extractionThreads = 0;
    std::string runName;            // for the runs table; default: the run folder's name
    std::size_t validationK = 5;    // precision@k on the validation tracks after each epoch
    std::size_t testK = 10;         // precision@k on the test tracks after training
    // Cross-validation: each track's part ("train", "validation" or "test") instead of the split's; tracks of the task
    // it leaves out take no part. Empty = the split's parts.
    std::map<std::int64_t, std::string> parts;  // track id -> part
    bool recordRun = true;          // a row in the library's runs table (a fold's model is not one of the user's runs)
};

// The recipe a `train-siamese` run was trained with, from its model.txt (model, task, features, training config, loss,
// margin, pairs), to train it again on other tracks (cross-validation). config.runDir and `parts` are left empty.
// Throws Error when the folder is no train-siamese run. Runs from before the pair settings were stored get the
// defaults for them (margins 1.0 / 0.2, 5 pairs a track, identity pairs, marks).
SiameseTrainingRequest siameseRecipeOf(const std::filesystem::path& run);

// Whether `train-siamese` trains this architecture's encoder (embed(), the classifier layer never trained) with the
// triplet loss: any spectrogram classifier that pretraining accepts; the siamese networks are trained whole.
bool learnsSpaceThroughEncoder(const ml::ArchitectureInfo& architecture);

// Epochs when nobody says otherwise: the tutorial's 20 for a siamese network, 60 for a classifier's encoder learning a
// space (precision@10 on held-out clips of the demo's styles, from the pretrained encoder: 0.520 after 20 epochs,
// 0.610 after 60; README, "A labelled space from the pretrained encoder").
int defaultSiameseEpochs(const ml::ModelSpec& model);

// Learning rate when nobody says otherwise: 1e-3 (ML 4b's Adam), and 3e-4 for a classifier's encoder that starts from
// a pretrained run (`--init`): a gentler rate keeps more of the pretrained space. On the demo's styles by
// `evaluate-similarity --folds 4` (fold seeds 0, 1, 2; README, "Every clip queried once"), 3e-4 against 1e-3:
// precision@10 against the whole collection 0.789 vs 0.767, with album folds 0.734 vs 0.679 (the pretrained space
// alone 0.721), 5-NN macro-F1 0.736 vs 0.688; against the query's own fold 0.497 vs 0.574.
double defaultSiameseLearningRate(const ml::ModelSpec& model, bool fromPretrainedEncoder);

struct SiameseTrainingResult {
    ml::TrainingResult training;
    std::string loss;  // the loss it trained with (the request's, or the default for its model)
    std::size_t trainTracks = 0, validationTracks = 0, testTracks = 0;
    std::size_t trainExamples = 0, validationExamples = 0;  // pairs (contrastive) or items (triplet)
    std::size_t pairsFromMarks = 0;
    std::optional<similarity::RetrievalReport> test;  // test tracks among themselves, own group left out
    std::vector<std::string> failedFiles;             // "path: reason"
    std::int64_t runId = 0;
};

// Validation metrics each epoch ("precision_at_<k>", "map" of the embedding over the validation tracks) join the
// EpochReport the observer sees. The saved model is the last epoch's (pair losses are a poor stopping criterion).
// Progress covers feature extraction; cancel stops it; `onTrainer` gets the Trainer before run() (stop/pause).
SiameseTrainingResult trainSiameseFromLibrary(const SiameseTrainingRequest& request,
                                              ml::TrainingObserver* observer = nullptr,
                                              const Progress* progress = nullptr,
                                              const std::function<void(ml::Trainer&)>& onTrainer = {});

}  // namespace sonolab::pipeline
