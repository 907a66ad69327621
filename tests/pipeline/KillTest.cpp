// The CI-sized kill test (issue 15): scripts/kill-test.py kills sonolab-cli with SIGKILL at random moments of
// scan, import, extract, train, train-siamese and onsets-train, then checks the library (integrity_check, foreign
// keys, all-or-nothing import) and the caches (no torn entry), finishes each job and compares the result with an
// uninterrupted run. The full run (60 kills) is `scripts/kill-test.py`; here 12, two per job, on 40 clips.
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace t = sonolab::test;

TEST(KillTest, EveryJobSurvivesSigkillAndFinishesWithTheUninterruptedResult) {
    const std::filesystem::path cli = t::cliPath();
    if (!std::filesystem::exists(cli)) GTEST_SKIP() << "sonolab-cli not built";
    if (!t::haveProgram("python3")) GTEST_SKIP() << "no python3";
    const auto work = t::freshDir("kill-test");
    int status = -1;
    const auto out = t::capture("/usr/bin/python3 '" + (t::sourceDir() / "scripts" / "kill-test.py").string() +
                                    "' --kills 12 --clips 40 --seed 3 --cli '" + cli.string() + "' --work '" +
                                    work.string() + "' 2>&1",
                                &status);
    EXPECT_EQ(status, 0) << out;
    EXPECT_NE(out.find("12 kills"), std::string::npos) << out;
}
