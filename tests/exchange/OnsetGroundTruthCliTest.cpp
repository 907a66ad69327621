// Onset evaluation and training take ground truth from Audacity, Sonic Visualiser and JAMS files where they take
// .onsets: click trains whose annotations are in those formats are scored perfectly by spectral flux, and the
// recurrent detector trains on them.
#include "core/annotations/AnnotationFile.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace sonolab;
using namespace sonolab::annotations;
namespace fs = std::filesystem;

TEST(OnsetGroundTruthCli, EvaluateAndTrainOnAnnotationFiles) {
    const std::string cli = test::cliPath();
    if (!fs::exists(cli)) GTEST_SKIP() << "sonolab-cli not built at " << cli;
    const auto dir = test::freshDir("exchange-onset-truth");
    const std::vector<std::vector<double>> truths{{0.3, 0.8, 1.4}, {0.2, 0.9}, {0.5, 1.0, 1.5, 1.8}};
    const Format formats[] = {Format::Audacity, Format::SvCsv, Format::Jams};
    for (std::size_t i = 0; i < truths.size(); ++i) {
        const fs::path wav = dir / ("take" + std::to_string(i) + ".wav");
        test::writeWav16(wav, test::clickTrain(truths[i], 2.0, 22050), 22050);
        writeAnnotationFile(fs::path(wav).replace_extension(std::string(fileExtension(formats[i]))),
                            {instants(truths[i])}, formats[i]);
    }
    int status = 0;
    const auto out = test::capture(cli + " onsets-evaluate --data '" + dir.string() + "' --folds 3 --json", &status);
    ASSERT_EQ(status, 0) << out;
    const auto j = nlohmann::json::parse(out);
    EXPECT_EQ(j["files"], 3);
    EXPECT_EQ(j["sum"]["tp"], 9);
    EXPECT_EQ(j["sum"]["fn"], 0);
    EXPECT_EQ(j["sum"]["fp"], 0);

    const auto trained = test::capture(cli + " onsets-train --data '" + dir.string() + "' --out '" +
                                           (dir / "run").string() + "' --folds 3 --epochs 1 --hidden 4 --layers 1" +
                                           " --threads 1 --quiet 2>&1",
                                       &status);
    EXPECT_EQ(status, 0) << trained;
    EXPECT_TRUE(fs::exists(dir / "run" / "onset-rnn.pt")) << trained;
}
