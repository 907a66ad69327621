// A run folder shared by someone else is data (issue 15, "Untrusted files"): sizes in model.txt are bounded before a
// network is built, the standardisation must fit them, and model.pt must hold exactly the weights the named network
// has. Each wrong file is refused naming the file and the reason, never loaded into a reshaped network.
#include "Synthetic.h"

#include "core/ml/Predictor.h"
#include "core/ml/Trainer.h"
#include "core/util/Error.h"
#include "core/util/Npy.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

using namespace sonolab::ml;
namespace fs = std::filesystem;

namespace {

fs::path trainRun(const std::string& name, const std::string& model) {
    const auto dir = sonolab::test::freshDir(name);
    TrainingConfig c;
    c.epochs = 1;
    c.batchSize = 8;
    c.threads = 1;
    c.windowFrames = 10;
    c.runDir = dir;
    auto data = test::syntheticDataset("single:a,b", 16, 12, 20, 3, 2.5f);
    Trainer t(ModelSpec::parse(model), c, data);
    EXPECT_EQ(t.run().state, TrainingState::Finished);
    return dir;
}

std::string slurp(const fs::path& file) {
    std::ifstream in(file);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void rewrite(const fs::path& file, const std::string& pattern, const std::string& replacement) {
    const std::string text = slurp(file);
    const std::string changed = std::regex_replace(text, std::regex(pattern), replacement);
    ASSERT_NE(changed, text) << pattern;
    std::ofstream(file) << changed;
}

// The message of the sonolab::Error that loading the run throws ("" when it loads).
std::string refusal(const fs::path& run) {
    try {
        Predictor::load(run);
    } catch (const sonolab::Error& e) {
        return e.what();
    }
    return {};
}

}  // namespace

TEST(UntrustedRun, WeightsOfAnotherNetworkAreRefusedNamingTheTensor) {
    const auto run = trainRun("untrusted-weights", "compact_cnn:filters=4/8/8");
    ASSERT_EQ(refusal(run), "");
    // Same architecture and parameter names, other widths: libtorch alone would take these shapes silently.
    const auto other = trainRun("untrusted-weights-other", "compact_cnn:filters=4/8/16");
    fs::copy_file(other / "model.pt", run / "model.pt", fs::copy_options::overwrite_existing);
    const std::string why = refusal(run);
    EXPECT_NE(why.find((run / "model.pt").string()), std::string::npos) << why;
    EXPECT_NE(why.find("weights of another network"), std::string::npos) << why;
    EXPECT_NE(why.find("[16"), std::string::npos) << why;  // the shape it holds, beside the one the model needs

    std::ofstream(run / "model.pt", std::ios::trunc) << "not a torch archive";
    const std::string garbage = refusal(run);
    EXPECT_NE(garbage.find((run / "model.pt").string()), std::string::npos) << garbage;
}

TEST(UntrustedRun, ImpossibleSizesInModelTxtAreRefusedBeforeAnythingIsBuilt) {
    const auto run = trainRun("untrusted-sizes", "compact_cnn:filters=4/8/8");
    const auto info = run / "model.txt";
    const std::string original = slurp(info);
    // A network of 10^9 bands would take terabytes; the check comes first.
    rewrite(info, "input_bands=12", "input_bands=1000000000");
    std::string why = refusal(run);
    EXPECT_NE(why.find(info.string()), std::string::npos) << why;
    EXPECT_NE(why.find("'input_bands' is 1000000000"), std::string::npos) << why;

    std::ofstream(info, std::ios::trunc) << original;
    rewrite(info, "input_frames=10", "input_frames=0");
    why = refusal(run);
    EXPECT_NE(why.find("'input_frames' is 0"), std::string::npos) << why;
    std::ofstream(info, std::ios::trunc) << original;
    ASSERT_EQ(refusal(run), "");
}

TEST(UntrustedRun, AStandardisationThatDoesNotFitTheBandsIsRefused) {
    const auto run = trainRun("untrusted-stats", "compact_cnn:filters=4/8/8");
    const auto stats = run / "standardization.npy";
    ASSERT_TRUE(fs::exists(stats));
    const std::vector<float> values(2 * 7, 1.0f);  // 7 bands where the run has 12
    const std::size_t shape[2] = {2, 7};
    sonolab::writeNpy(stats, values, shape);
    const std::string why = refusal(run);
    EXPECT_NE(why.find(stats.string()), std::string::npos) << why;
    EXPECT_NE(why.find("expected shape (2, 12)"), std::string::npos) << why;
}
