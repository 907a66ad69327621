// The prediction timeline written from the app: the top label as segments and every class's values, in the one
// document of JAMS or one file per layer for Audacity and Sonic Visualiser; the top labels equal what
// `sonolab-cli predict --format jams` writes for the same run and file (both go through core/annotations).
#include "DashboardFixture.h"

#include "core/annotations/AnnotationFile.h"
#include "support/TestSupport.h"
#include "support/ToneNoiseLibrary.h"
#include "ui/training/PredictionTimeline.h"
#include "ui/training/TrackPredictionPanel.h"

#include <QSignalSpy>

#include <gtest/gtest.h>

#include <fstream>

using namespace sonolab;
using namespace sonolab::ui;
using namespace sonolab::annotations;
namespace fs = std::filesystem;

TEST(PredictionExport, TimelineAsTopLabelsAndClassValues) {
    const std::string cli = test::cliPath();
    if (!fs::exists(cli)) GTEST_SKIP() << "sonolab-cli not built at " << cli;
    const auto dir = test::freshDir("uitraining-prediction-export");
    const auto lib = test::makeToneNoiseLibrary(dir, 8);
    const fs::path run = dir / "run";
    int status = 0;
    const auto trained = test::capture(cli + " train --db '" + lib.string() + "' --task single:tone,noise" +
                                           " --model compact_cnn:filters=4/4/4 --epochs 2 --batch-size 4 --threads 1" +
                                           " --seed 7 --quiet --out '" + run.string() + "' 2>&1",
                                       &status);
    ASSERT_EQ(status, 0) << trained;
    const fs::path track = dir / "tone-noise.wav";
    test::writeToneNoiseTrack(track, 5.0, false);

    TrackPredictionPanel panel;
    EXPECT_FALSE(panel.exportTo(QString::fromStdString((dir / "nothing.jams").string())));  // nothing predicted yet
    panel.setRun(run);
    QSignalSpy predicted(&panel, &TrackPredictionPanel::predictionReady);
    panel.predictFile(QString::fromStdString(track.string()));
    ASSERT_TRUE(test::waitUntil([&] { return predicted.count() > 0 || panel.statusText().startsWith("Cannot"); }, 60000));
    ASSERT_EQ(predicted.count(), 1) << panel.statusText().toStdString();
    const auto scores = panel.timeline()->scores();
    ASSERT_EQ(scores.labels, (std::vector<std::string>{"tone", "noise"}));

    ASSERT_TRUE(panel.exportTo(QString::fromStdString((dir / "p.jams").string()))) << panel.statusText().toStdString();
    const auto layers = readAnnotationFile(dir / "p.jams");
    ASSERT_EQ(layers.size(), 3u);  // top labels, tone, noise
    std::ofstream(dir / "cli.jams") << test::capture(cli + " predict --run '" + run.string() + "' '" + track.string() +
                                                     "' --format jams", &status);
    ASSERT_EQ(status, 0);
    const auto cliTop = readAnnotationFile(dir / "cli.jams").at(0);
    ASSERT_EQ(layers[0].events.size(), cliTop.events.size());
    for (std::size_t i = 0; i < cliTop.events.size(); ++i) {
        EXPECT_EQ(layers[0].events[i].label, cliTop.events[i].label);
        EXPECT_NEAR(layers[0].events[i].time, cliTop.events[i].time, 1e-6);
        EXPECT_NEAR(layers[0].events[i].duration, cliTop.events[i].duration, 1e-6);
        EXPECT_NEAR(*layers[0].events[i].value, *cliTop.events[i].value, 1e-5);
    }
    // Every window's values, one per class, as the timeline holds them.
    for (std::size_t k = 0; k < 2; ++k) {
        ASSERT_EQ(layers[k + 1].events.size(), scores.probabilities.size());
        for (std::size_t w = 0; w < scores.probabilities.size(); ++w) {
            EXPECT_EQ(layers[k + 1].events[w].label, scores.labels[k]);
            EXPECT_NEAR(*layers[k + 1].events[w].value, scores.probabilities[w][k], 1e-6);
        }
    }
    // Audacity: one label track per layer.
    ASSERT_TRUE(panel.exportTo(QString::fromStdString((dir / "p.txt").string())));
    EXPECT_TRUE(fs::exists(dir / "p.p_tone.txt"));
    EXPECT_TRUE(fs::exists(dir / "p.p_noise.txt"));
    EXPECT_EQ(readAnnotationFile(dir / "p.txt").at(0).events.size(), cliTop.events.size());
}
