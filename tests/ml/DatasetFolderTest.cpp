// Dataset folders (export-dataset / train --data): what is written is read back exactly, and damaged folders give
// errors that name the file and line.
#include "Synthetic.h"

#include "core/ml/DatasetFolder.h"
#include "core/util/Error.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace sonolab::ml;
namespace fs = std::filesystem;

TEST(DatasetFolder, RoundTripsExamplesTargetsGroupsAndParts) {
    const auto dir = sonolab::test::freshDir("ml-dataset-folder");
    auto train = test::syntheticDataset("multi:x,y,z", 7, 5, 9, 1);
    auto test = test::syntheticDataset("multi:x,y,z", 3, 5, 9, 2);
    writeDatasetFolder(dir, {"demo", train.task(), "logmel:n_mels=5", 9}, {{"train", &train}, {"test", &test}});
    ASSERT_TRUE(isDatasetFolder(dir));

    const auto back = readDatasetFolder(dir);
    EXPECT_EQ(back.info.name, "demo");
    EXPECT_EQ(back.info.task.toString(), train.task().toString());
    EXPECT_EQ(back.info.featureSpec, "logmel:n_mels=5");
    EXPECT_EQ(back.info.windowFrames, 9u);
    EXPECT_TRUE(back.validation.empty());
    ASSERT_EQ(back.train.size(), 7u);
    ASSERT_EQ(back.test.size(), 3u);
    for (std::size_t i = 0; i < train.size(); ++i) {
        EXPECT_EQ(back.train.info(i).id, train.info(i).id);
        EXPECT_EQ(back.train.info(i).group, train.info(i).group);
        EXPECT_EQ(back.train.info(i).target, train.info(i).target);
        EXPECT_EQ(back.train.features(i), train.features(i));  // shape, layout and values
    }
    EXPECT_EQ(back.test.features(2), test.features(2));
}

TEST(DatasetFolder, DamagedManifestNamesTheFileAndLine) {
    const auto dir = sonolab::test::freshDir("ml-dataset-folder-bad");
    auto train = test::syntheticDataset("single:a,b", 3, 4, 4, 1);
    writeDatasetFolder(dir, {"demo", train.task(), "", 0}, {{"train", &train}});
    {
        std::ofstream tsv(dir / "examples.tsv", std::ios::app);
        tsv << "train\tx\tg\tfeatures/000000.npy\t1,zero\n";
    }
    try {
        readDatasetFolder(dir);
        FAIL() << "a bad target was accepted";
    } catch (const sonolab::Error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("examples.tsv"), std::string::npos) << what;
        EXPECT_NE(what.find("line 5"), std::string::npos) << what;
        EXPECT_NE(what.find("zero"), std::string::npos) << what;
    }
    EXPECT_THROW(readDatasetFolder(dir / "missing"), sonolab::Error);
}
