#include "core/pipeline/LibraryFeatureSpecs.h"

#include "core/extraction/FeatureKinds.h"
#include "core/library/LibraryDatabase.h"
#include "core/ml/ArchitectureCatalog.h"
#include "core/ml/SavedModel.h"
#include "core/pipeline/ModelFeatures.h"
#include "core/similarity/CollectionSpaces.h"
#include "core/util/Error.h"

namespace sonolab::pipeline {

namespace {

void need(std::vector<LibraryFeatureNeed>& out, const features::FeatureSpec& spec, const std::string& use) {
    for (auto& n : out)
        if (n.spec.canonical() == spec.canonical()) {
            n.usedBy.push_back(use);
            return;
        }
    out.push_back({spec, {use}});
}

void trainingNeeds(std::vector<LibraryFeatureNeed>& out, const std::string& architecture) {
    if (ml::architectureInfo(architecture).kind != ml::ArchitectureKind::Classifier)
        throw Error("train:" + architecture, "name a classifier; siamese networks train on dense's or compact_cnn's features");
    need(out, extraction::specFor(defaultModelFeatures(architecture).options), "train:" + architecture);
}

void runNeeds(std::vector<LibraryFeatureNeed>& out, const library::LibraryDatabase& db) {
    for (const auto& run : db.runs()) {
        if (run.runDir.empty() || !ml::isRunFolder(run.runDir)) continue;  // running, failed or moved: nothing to ask
        try {
            const auto info = ml::readSavedModelInfo(run.runDir);
            if (info.featureSpec.empty()) continue;
            need(out, extraction::specFor(ModelFeatures::fromSpecString(info.featureSpec, 0).options), "run:" + run.runDir);
        } catch (const Error&) {
            // an unreadable run offers no space either (the browser leaves it out)
        }
    }
}

}  // namespace

std::vector<LibraryFeatureNeed> libraryFeatureNeeds(const library::LibraryDatabase& db,
                                                    const std::vector<std::string>& wanted) {
    const std::vector<std::string> all = {"train", "spaces", "runs"};
    std::vector<LibraryFeatureNeed> out;
    for (const auto& word : wanted.empty() ? all : wanted) {
        if (word == "train") {
            for (const auto& a : ml::architectures(ml::ArchitectureKind::Classifier)) trainingNeeds(out, a.name);
        } else if (word.rfind("train:", 0) == 0) {
            trainingNeeds(out, word.substr(6));
        } else if (word == "spaces") {
            for (const auto& space : similarity::handcraftedSpaceNames())
                for (const auto& spec : similarity::spaceFeatureSpecs(space)) need(out, spec, "space:" + space);
        } else if (word.rfind("space:", 0) == 0) {
            for (const auto& spec : similarity::spaceFeatureSpecs(word.substr(6))) need(out, spec, word);
        } else if (word == "runs") {
            runNeeds(out, db);
        } else {
            throw Error("extract --for '" + word + "'", "expected train, train:ARCH, spaces, space:NAME or runs");
        }
    }
    return out;
}

}  // namespace sonolab::pipeline
