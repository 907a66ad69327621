// What `extract --db` computes: the specs training and the spaces will ask the cache for, each listed once with
// every use, taken from the owners (training's per-architecture defaults, the spaces' own spec lists).
#include "core/extraction/FeatureKinds.h"
#include "core/library/LibraryDatabase.h"
#include "core/ml/ArchitectureCatalog.h"
#include "core/pipeline/LibraryFeatureSpecs.h"
#include "core/pipeline/ModelFeatures.h"
#include "core/similarity/CollectionSpaces.h"
#include "core/util/Error.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

using namespace sonolab;

namespace {
const pipeline::LibraryFeatureNeed* find(const std::vector<pipeline::LibraryFeatureNeed>& needs,
                                         const features::FeatureSpec& spec) {
    for (const auto& n : needs)
        if (n.spec.canonical() == spec.canonical()) return &n;
    return nullptr;
}
}  // namespace

TEST(LibraryFeatureNeeds, EveryClassifierAndSpaceOnceWithAllItsUses) {
    const auto dir = test::freshDir("pipeline-feature-needs");
    const library::LibraryDatabase db(dir / "lib.sqlite");
    const auto needs = pipeline::libraryFeatureNeeds(db);
    std::set<std::string> distinct;
    for (const auto& n : needs) EXPECT_TRUE(distinct.insert(n.spec.canonical()).second) << n.spec.canonical();

    for (const auto& a : ml::architectures(ml::ArchitectureKind::Classifier)) {
        const auto* need = find(needs, extraction::specFor(pipeline::defaultModelFeatures(a.name).options));
        ASSERT_NE(need, nullptr) << a.name;
        EXPECT_NE(std::find(need->usedBy.begin(), need->usedBy.end(), "train:" + a.name), need->usedBy.end());
    }
    // The three RP spaces share RP and SSD; the mfcc space's MFCCs (80 bands) are not the dense network's (40).
    for (const auto& spec : similarity::spaceFeatureSpecs("rp:weighted")) {
        const auto* need = find(needs, spec);
        ASSERT_NE(need, nullptr) << spec.canonical();
        EXPECT_EQ(need->usedBy, (std::vector<std::string>{"space:rp", "space:rp:scaled", "space:rp:weighted"}));
    }
    const auto* mfcc = find(needs, similarity::spaceFeatureSpecs("mfcc")[0]);
    ASSERT_NE(mfcc, nullptr);
    EXPECT_EQ(mfcc->usedBy, (std::vector<std::string>{"space:mfcc"}));

    const auto picked = pipeline::libraryFeatureNeeds(db, {"train:compact_cnn", "space:mfcc"});
    ASSERT_EQ(picked.size(), 2u);
    EXPECT_EQ(picked[0].usedBy, (std::vector<std::string>{"train:compact_cnn"}));
    EXPECT_THROW(pipeline::libraryFeatureNeeds(db, {"train:no_such_model"}), Error);
    EXPECT_THROW(pipeline::libraryFeatureNeeds(db, {"train:siamese_cnn"}), Error);
    EXPECT_THROW(pipeline::libraryFeatureNeeds(db, {"space:nope"}), Error);
    EXPECT_THROW(pipeline::libraryFeatureNeeds(db, {"everything"}), Error);
}
