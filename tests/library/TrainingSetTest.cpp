#include "core/library/LibraryDatabase.h"
#include "core/library/TrainingSet.h"
#include "core/util/Error.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

using namespace sonolab;
using namespace sonolab::library;

class TrainingSetTest : public ::testing::Test {
protected:
    void SetUp() override {
        file = test::freshDir("trainingset") / "lib.sqlite";
        db = std::make_unique<LibraryDatabase>(file);
        db->createLabelSet("tags", LabelKind::Multi, {"rock", "jazz", "speech", "piano"}, "test");
        // track i: rock only, jazz only, rock+jazz, speech, nothing (annotated negative), piano+rock
        const std::vector<std::vector<std::string>> labels = {{"rock"}, {"jazz"}, {"rock", "jazz"},
                                                              {"speech"}, {}, {"piano", "rock"}};
        for (std::size_t i = 0; i < labels.size(); ++i) {
            TrackRecord r;
            r.path = "/m/" + std::to_string(i) + ".mp3";
            r.contentHash = 1000u + std::uint64_t(i);  // paths do not exist: the stored hash is the key
            r.group = "g" + std::to_string(i / 2);
            ids.push_back(db->upsertTrack(r));
            db->addLabelSetMember("tags", ids.back());
            for (const auto& l : labels[i]) db->setLabel("tags", ids.back(), l, 1, "test");
        }
        db->upsertTrack(TrackRecord{.path = "/m/unlabelled.mp3"});
        db->writeSplit("s", {{ids[0], SplitPart::Train}, {ids[1], SplitPart::Validation}, {ids[2], SplitPart::Test},
                             {ids[3], SplitPart::Train}, {ids[4], SplitPart::Test}});
    }
    std::filesystem::path file;
    std::unique_ptr<LibraryDatabase> db;
    std::vector<TrackId> ids;
};

TEST_F(TrainingSetTest, BinaryTaskUsesEveryAnnotatedTrackWithNegatives) {
    const auto set = loadTrainingSet(*db, "binary:speech", "");
    ASSERT_EQ(set.examples.size(), 6u);  // the unlabelled track is not annotated: left out
    EXPECT_EQ(set.classes, std::vector<std::string>{"speech"});
    for (const auto& e : set.examples) {
        ASSERT_EQ(e.labels.size(), 1u);
        EXPECT_EQ(e.labels[0], e.trackId == ids[3] ? 1.f : 0.f);
        EXPECT_TRUE(e.split.empty());
    }
    EXPECT_EQ(set.positives(), std::vector<std::int64_t>{1});
    EXPECT_EQ(set.examples[3].contentHash, 1003u);
    EXPECT_EQ(set.examples[3].path, "/m/3.mp3");
    EXPECT_EQ(set.examples[3].group, "g1");
}

TEST_F(TrainingSetTest, SingleTaskKeepsClipsWithExactlyOneClass) {
    const auto set = loadTrainingSet(*db, "single:rock,jazz", "");
    std::vector<TrackId> got;
    for (const auto& e : set.examples) got.push_back(e.trackId);
    EXPECT_EQ(got, (std::vector<TrackId>{ids[0], ids[1], ids[5]}));
    EXPECT_EQ(set.examples[1].labels, (std::vector<float>{0, 1}));
}

TEST_F(TrainingSetTest, MultiTaskAndSplitSelection) {
    const auto set = loadTrainingSet(file, "multi:rock,jazz", "s");
    // ids[5] is not in split "s"; ids[3], ids[4] have neither tag.
    ASSERT_EQ(set.examples.size(), 3u);
    EXPECT_EQ(set.examples[2].labels, (std::vector<float>{1, 1}));
    EXPECT_EQ(set.part("train").size(), 1u);
    EXPECT_EQ(set.part("validation").size(), 1u);
    EXPECT_EQ(set.part("test").size(), 1u);
    EXPECT_EQ(set.part("test")[0].trackId, ids[2]);
}

TEST_F(TrainingSetTest, ErrorsNameTheProblem) {
    EXPECT_THROW(loadTrainingSet(*db, "binary:speech", "nosuchsplit"), Error);
    EXPECT_THROW(loadTrainingSet(*db, "binary:violin", ""), Error);
    EXPECT_THROW(loadTrainingSet(*db, "binary:speech@other", ""), Error);
    EXPECT_THROW(loadTrainingSet(file.parent_path() / "missing.sqlite", "binary:speech", ""), Error);
}
