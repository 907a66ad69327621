// The one standardiser (ml::Standardization, fitted by Dataset::fitStandardization on the training split) against
// numpy's mean and population std, on examples of different lengths whose bands sit far from zero (log features
// in dB do), with the padding of short examples left out of the per-element statistics.
#include "core/ml/Dataset.h"
#include "core/util/Npy.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>

using namespace sonolab;
using namespace sonolab::ml;

TEST(Standardization, FitAgreesWithNumpyMeanAndStdInEveryMode) {
    const auto python = test::pythonWithNumpy();
    if (python.empty()) GTEST_SKIP() << "numpy under /usr/bin/python3 is not installed: reference check skipped";
    const auto dir = test::freshDir("ml-standardization-numpy");
    const std::size_t bands = 5, window = 32;
    const std::vector<std::size_t> lengths{37, 120, 64, 20};  // the last is shorter than the window
    std::mt19937 rng(17);
    Dataset data("numpy", TaskSpec::parse("binary:x"));
    for (std::size_t i = 0; i < lengths.size(); ++i) {
        FeatureMatrix m(bands, lengths[i], sonolab::Layout::BinsByFrames);
        for (std::size_t b = 0; b < bands; ++b) {
            std::normal_distribution<float> g(1000.0f + 50.0f * float(b), 0.05f * float(b + 1));
            for (float& v : m.mutableRow(b)) v = g(rng);
        }
        writeNpy(dir / ("e" + std::to_string(i) + ".npy"), m);
        data.add({std::to_string(i), "", {0}}, std::move(m));
    }
    data.setWindowFrames(window);

    const std::string script = R"(
import numpy as np, sys
d = sys.argv[1]; W = int(sys.argv[2]); n = int(sys.argv[3])
xs = [np.load(f"{d}/e{i}.npy").astype(np.float64) for i in range(n)]
cat = np.concatenate(xs, axis=1)
np.save(f"{d}/global.npy", np.array([[cat.mean()], [cat.std()]], dtype=np.float32))
np.save(f"{d}/band.npy", np.stack([cat.mean(axis=1), cat.std(axis=1)]).astype(np.float32))
crops = []
for x in xs:
    F = x.shape[1]; off = (F - W) // 2 if F > W else 0; valid = min(W, F)
    c = np.full((x.shape[0], W), np.nan); c[:, :valid] = x[:, off:off + valid]; crops.append(c)
crops = np.stack(crops)
np.save(f"{d}/element.npy", np.stack([np.nanmean(crops, axis=0).ravel(), np.nanstd(crops, axis=0).ravel()]).astype(np.float32))
)";
    {
        std::ofstream(dir / "reference.py") << script;
    }
    ASSERT_EQ(test::run(python + " " + (dir / "reference.py").string() + " " + dir.string() + " " +
                        std::to_string(window) + " " + std::to_string(lengths.size())),
              0);

    for (const auto& [mode, file] : {std::pair{StandardizationMode::Global, "global.npy"},
                                     std::pair{StandardizationMode::PerBand, "band.npy"},
                                     std::pair{StandardizationMode::PerElement, "element.npy"}}) {
        const Standardization s = data.fitStandardization(mode);
        const NpyArray ref = readNpy(dir / file);
        ASSERT_EQ(ref.shape.size(), 2u);
        const std::size_t n = ref.shape[1];
        ASSERT_EQ(s.mean.size(), n) << file;
        ASSERT_EQ(s.scale.size(), n) << file;
        for (std::size_t k = 0; k < n; ++k) {
            const double mean = ref.data[k], sd = ref.data[n + k];
            EXPECT_NEAR(s.mean[k], mean, 1e-7 * std::abs(mean) + 1e-6)  // float32 ulp of 1000 is 6e-5
                << file << " " << k;
            EXPECT_NEAR(1.0 / s.scale[k], sd, 1e-5 * sd) << file << " " << k;
        }
    }

    // Applied as training applies it: the per-band statistics centre and scale every band of the training data.
    const Standardization perBand = data.fitStandardization(StandardizationMode::PerBand);
    for (std::size_t b = 0; b < bands; ++b) {
        double sum = 0, sq = 0, count = 0;
        for (std::size_t i = 0; i < data.size(); ++i) {
            FeatureMatrix m = data.features(i);
            perBand.apply(m);
            for (std::size_t f = 0; f < m.frames(); ++f) {
                sum += m.at(b, f);
                sq += double(m.at(b, f)) * m.at(b, f);
                ++count;
            }
        }
        EXPECT_NEAR(sum / count, 0.0, 1e-3) << b;
        EXPECT_NEAR(sq / count, 1.0, 1e-2) << b;
    }
}
