// Annotation files over the player's views, as a user meets them: File > Import Annotations… turns a JAMS document,
// Audacity labels or a Sonic Visualiser CSV into overlay layers holding exactly what core/annotations reads from the
// file, drawn in lanes over the waveform and spectrogram; layers hide, show and go away (also when another track is
// opened); a malformed file adds nothing and says why. Detected onsets export in every annotation format.
#include "Fixtures.h"

#include "core/annotations/AnnotationFile.h"
#include "core/annotations/AnnotationText.h"
#include "core/annotations/Jams.h"
#include "ui/player/AnnotationController.h"
#include "ui/player/AnnotationLayerOverlay.h"
#include "ui/player/AnnotationLayers.h"
#include "ui/player/AudioDocument.h"
#include "ui/player/OnsetController.h"
#include "ui/player/OnsetTrack.h"
#include "ui/player/PlayerWidget.h"
#include "ui/player/WaveformView.h"

#include <QAction>
#include <QMenu>
#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

using namespace sonolab;
using namespace sonolab::ui;
using namespace sonolab::annotations;
namespace fs = std::filesystem;

namespace {

QString q(const fs::path& p) { return QString::fromStdString(p.string()); }

const std::vector<double> kClicks{0.4, 1.1, 1.9, 2.6, 3.3};

// What fills `lane` of the waveform now (the rows of the lane only).
QImage laneImage(PlayerWidget& player, int lane) {
    QApplication::processEvents();
    const QRect r = AnnotationLayerOverlay::laneRect(*player.waveform(), lane);
    return player.waveform()->grab().toImage().copy(r);
}

struct Fixture {
    fs::path dir = test::freshDir("uiplayer-annotation-layers");
    fs::path wav = dir / "clicks.wav";
    Annotation sections{.kind = Kind::Segment,
                        .events = {{0.0, 1.5, "intro", 0.9}, {1.5, 2.5, "verse", 0.7}}};
    Annotation beats = instants(kClicks);
    Fixture() {
        test::writeWav16(wav, test::clickTrain(kClicks, 4.0, 22050), 22050);
        writeAnnotationFile(dir / "clicks.jams", {sections, beats}, Format::Jams, {.duration = 4.0});
        writeAnnotationFile(dir / "clicks.txt", {{.kind = Kind::Segment, .events = {{2.0, 1.0, "solo", {}}}}},
                            Format::Audacity);
    }
};

}  // namespace

TEST(AnnotationLayers, ImportedFilesBecomeLayersOverTheViews) {
    Fixture f;
    PlayerWidget player;
    ASSERT_TRUE(test::openAndRender(player, q(f.wav), 1000, 560));
    AnnotationController* controller = player.annotations();
    AnnotationLayers* layers = controller->layers();
    const QImage before = laneImage(player, 0);

    ASSERT_TRUE(controller->importFile(q(f.dir / "clicks.jams")));
    ASSERT_EQ(layers->count(), 2);  // one layer per annotation of the document
    // The layers hold what the one JAMS reader reads, in the document's order.
    const auto read = readAnnotationFile(f.dir / "clicks.jams");
    EXPECT_EQ(layers->layers()[0].annotation, read[0]);
    EXPECT_EQ(layers->layers()[1].annotation, read[1]);
    EXPECT_EQ(layers->layers()[0].annotation.events, f.sections.events);
    EXPECT_EQ(eventTimes(layers->layers()[1].annotation), kClicks);
    EXPECT_TRUE(layers->layers()[0].name.contains(QStringLiteral("clicks.jams")));
    ASSERT_TRUE(controller->importFile(q(f.dir / "clicks.txt")));
    ASSERT_EQ(layers->count(), 3);
    EXPECT_EQ(layers->layers()[2].annotation.events.at(0).label, "solo");

    // Drawn: the first lane now differs from the plain waveform, inside "intro" it carries the layer's colour.
    const QImage shown = laneImage(player, 0);
    EXPECT_NE(shown, before);
    const int introX = int(player.waveform()->xOf(0.75)) - WaveformView::kAxisWidth;
    const QColor tint = shown.pixelColor(introX, 2);
    const QColor colour = layers->layers()[0].colour;
    const QColor plain = before.pixelColor(introX, 2);
    auto distance = [](QColor a, QColor b) {
        return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) + std::abs(a.blue() - b.blue());
    };
    EXPECT_LT(distance(tint, colour), distance(plain, colour));
    if (const char* out = std::getenv("SONOLAB_SCREENSHOT_DIR"))
        player.grab().save(QString(out) + QStringLiteral("/player-annotation-layers.png"));

    // The menu lists the layers; unchecking one hides it (the lanes move up), and the plain view comes back.
    QApplication::processEvents();  // the menu is rebuilt queued
    QMenu* menu = controller->fileActions().at(1)->menu();
    ASSERT_NE(menu, nullptr);
    QList<QAction*> checkable;
    for (QAction* a : menu->actions())
        if (a->isCheckable()) checkable << a;
    ASSERT_EQ(checkable.size(), 3);
    EXPECT_TRUE(checkable[2]->text().contains(QStringLiteral("clicks.txt")));
    for (QAction* a : checkable) a->setChecked(false);
    QApplication::processEvents();
    EXPECT_EQ(layers->visibleCount(), 0);
    EXPECT_EQ(laneImage(player, 0), before);
    layers->setVisible(2, true);
    EXPECT_NE(laneImage(player, 0), before);

    layers->remove(0);
    EXPECT_EQ(layers->count(), 2);
    EXPECT_EQ(layers->layers()[0].annotation, read[1]);

    // Another track: its own (no) layers.
    QSignalSpy opened(&player, &PlayerWidget::fileOpened);
    player.openFile(q(f.wav));
    ASSERT_TRUE(opened.wait(10000));
    EXPECT_EQ(layers->count(), 0);
}

TEST(AnnotationLayers, AMalformedFileAddsNothingAndSaysWhy) {
    Fixture f;
    PlayerWidget player;
    ASSERT_TRUE(test::openAndRender(player, q(f.wav), 800, 480));
    std::ofstream(f.dir / "bad.csv") << "0.5,1.0\nnot a time,x\n";
    QSignalSpy status(player.annotations(), &AnnotationController::statusMessage);
    EXPECT_FALSE(player.annotations()->importFile(q(f.dir / "bad.csv")));
    EXPECT_EQ(player.annotations()->layers()->count(), 0);
    ASSERT_EQ(status.count(), 1);
    EXPECT_TRUE(status[0][0].toString().contains(QStringLiteral("bad.csv"))) << status[0][0].toString().toStdString();
}

TEST(AnnotationLayers, DetectedOnsetsExportInEveryFormat) {
    Fixture f;
    PlayerWidget player;
    ASSERT_TRUE(test::openAndRender(player, q(f.wav), 800, 480));
    player.onsets()->detect();
    ASSERT_TRUE(QTest::qWaitFor([&] { return player.onsets()->track()->hasDetection() && !player.onsets()->busy(); },
                                30000));
    const auto detected = player.onsets()->track()->detected();
    ASSERT_EQ(detected.size(), kClicks.size());
    for (const char* name : {"out.txt", "out.csv", "out.jams", "out.onsets"}) {
        ASSERT_TRUE(player.onsets()->exportTo(q(f.dir / name))) << name;
        const auto times = readOnsetTimes(f.dir / name);
        ASSERT_EQ(times.size(), detected.size()) << name;
        for (std::size_t i = 0; i < times.size(); ++i) EXPECT_NEAR(times[i], detected[i], 1e-6) << name;
    }
    // The JAMS export says which audio and how long.
    EXPECT_EQ(parseJams(readTextFile(f.dir / "out.jams"), f.dir / "out.jams").title, "clicks.wav");
}
