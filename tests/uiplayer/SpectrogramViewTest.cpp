// The spectrogram, rendered offscreen from a generated sine: its brightest row must be the sine's frequency row on
// every frequency axis, and hovering must report time, frequency and level.
#include "Fixtures.h"

#include "ui/player/AudioDocument.h"
#include "ui/player/PlayerWidget.h"
#include "ui/player/SpectrogramView.h"
#include "ui/player/TimeViewport.h"

#include <QTest>

#include <gtest/gtest.h>

#include <cmath>

using namespace sonolab;
using namespace sonolab::ui;

namespace {

struct BrightestRow {
    int row = -1;        // in the view's data area
    int expected = -1;   // row of the sine's frequency
    int tolerance = 0;   // rows spanned by 1.5 FFT bins around it (at least 2)
};

BrightestRow brightestRow(FrequencyScaleKind kind, double hz) {
    const int rate = 22050;
    QString file = test::sineWav("brightest", hz, 4.0, rate);
    PlayerWidget player;
    SpectrogramSettings settings;
    settings.scale = kind;
    settings.topDb = 0;  // the -6 dB sine must not saturate the colour map (a saturated band has no single brightest row)
    player.setSpectrogramSettings(settings);
    // Decoded, and every visible tile rendered and painted.
    EXPECT_TRUE(test::openAndRender(player, file, 900, 700)) << "spectrogram did not complete";
    auto* view = player.spectrogram();

    QImage image = view->grab().toImage().convertToFormat(QImage::Format_RGB32);
    const QRect data = view->dataRect();
    ColourMap map(settings.colours);
    // Average colour-map level of each row over the middle of the track (away from the edges' padding).
    int x0 = static_cast<int>(view->xOf(1.0)), x1 = static_cast<int>(view->xOf(3.0));
    std::vector<double> level(static_cast<std::size_t>(data.height()), 0.0);
    for (int y = 0; y < data.height(); ++y) {
        for (int x = x0; x < x1; x += 4) level[static_cast<std::size_t>(y)] += test::colourIndex(map, image.pixel(x, data.top() + y));
    }
    BrightestRow out;
    out.row = static_cast<int>(std::max_element(level.begin(), level.end()) - level.begin());
    FrequencyScale scale = settings.frequencyScale(rate);
    out.expected = scale.rowOfHz(hz, data.height());
    double bin = double(rate) / settings.nFft;
    out.tolerance = std::max({2, std::abs(scale.rowOfHz(hz + 1.5 * bin, data.height()) - out.expected),
                              std::abs(scale.rowOfHz(hz - 1.5 * bin, data.height()) - out.expected)});
    // The sine stands far above the rest: the brightest row is near the top of the colour map, the rows far away dark.
    EXPECT_GT(level[static_cast<std::size_t>(out.row)] / ((x1 - x0 + 3) / 4), 200.0);
    int farRow = out.expected > data.height() / 2 ? 5 : data.height() - 5;
    EXPECT_LT(level[static_cast<std::size_t>(farRow)] / ((x1 - x0 + 3) / 4), 60.0);
    return out;
}

}  // namespace

TEST(SpectrogramView, BrightestRowIsTheSineOnALinearAxis) {
    auto r = brightestRow(FrequencyScaleKind::Linear, 1000.0);
    EXPECT_NEAR(r.row, r.expected, r.tolerance);
}

TEST(SpectrogramView, BrightestRowIsTheSineOnAMelAxis) {
    auto r = brightestRow(FrequencyScaleKind::Mel, 1000.0);
    EXPECT_NEAR(r.row, r.expected, r.tolerance);
}

TEST(SpectrogramView, BrightestRowIsTheSineOnALogAxis) {
    auto r = brightestRow(FrequencyScaleKind::Log, 3000.0);
    EXPECT_NEAR(r.row, r.expected, r.tolerance);
}

TEST(SpectrogramView, HoverReportsTimeFrequencyAndLevel) {
    PlayerWidget player;
    ASSERT_TRUE(test::openAndRender(player, test::sineWav("hover", 1000.0, 4.0), 900, 700));
    auto* view = player.spectrogram();
    const QRect data = view->dataRect();
    FrequencyScale scale = view->frequencyScale();
    int row = scale.rowOfHz(1000.0, data.height());
    QPoint at(static_cast<int>(view->xOf(2.0)), data.top() + row);
    QTest::mouseMove(view, at);
    QString text = view->hoverText();
    EXPECT_TRUE(text.startsWith(QStringLiteral("0:02"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral(" Hz")) || text.contains(QStringLiteral("kHz"))) << text.toStdString();
    ASSERT_TRUE(text.contains(QStringLiteral("dB"))) << text.toStdString();
    // The sine has amplitude 0.5: about -6 dB re full scale at its row (Hann scalloping costs at most ~1.5 dB).
    double db = text.section(QStringLiteral("   "), 2, 2).remove(QStringLiteral(" dB")).toDouble();
    EXPECT_NEAR(db, -6.0, 2.0) << text.toStdString();
    // Far from the sine, the level is far lower.
    QTest::mouseMove(view, QPoint(at.x(), data.top() + 3));
    double far = view->hoverText().section(QStringLiteral("   "), 2, 2).remove(QStringLiteral(" dB")).toDouble();
    EXPECT_LT(far, -60.0) << view->hoverText().toStdString();
}

TEST(SpectrogramView, SettingsChangeRerendersTiles) {
    PlayerWidget player;
    ASSERT_TRUE(test::openAndRender(player, test::sineWav("settings", 1000.0, 2.0), 800, 600));
    auto* view = player.spectrogram();
    SpectrogramSettings s = player.spectrogramSettings();
    s.colours = ColourMapKind::Magma;
    s.nFft = 1024;
    player.setSpectrogramSettings(s);
    EXPECT_FALSE(view->complete());
    ASSERT_TRUE(QTest::qWaitFor([&] { return view->complete(); }, 15000));
    EXPECT_GT(view->cache()->tilesRendered(), 0u);
    EXPECT_EQ(view->settings().nFft, 1024);
    // A pixel in the quiet area now has a magma colour (near black-purple), not viridis' dark purple-blue.
    QImage image = view->grab().toImage();
    QRgb quiet = image.pixel(static_cast<int>(view->xOf(1.0)), view->dataRect().top() + 3);
    auto distance = [](QRgb a, QRgb b) {
        return std::abs(qRed(a) - qRed(b)) + std::abs(qGreen(a) - qGreen(b)) + std::abs(qBlue(a) - qBlue(b));
    };
    EXPECT_LT(distance(quiet, ColourMap(ColourMapKind::Magma).at(0)), 40);
    EXPECT_GT(distance(quiet, ColourMap(ColourMapKind::Viridis).at(0)), 60);
}
