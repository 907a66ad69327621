#include "core/datasets/CollectionStore.h"
#include "core/library/LibraryDatabase.h"
#include "core/library/Sqlite.h"
#include "support/TestSupport.h"
#include "ui/library/LibraryPanel.h"
#include "ui/library/TrackTableModel.h"

#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QUndoStack>

#include <gtest/gtest.h>

using namespace sonolab;
using namespace sonolab::ui;
using library::LibraryDatabase;
namespace fs = std::filesystem;

namespace {

// A library of five tracks with labels in two sets and a split, written through the core API.
fs::path makeLibrary(const std::string& name) {
    const auto file = test::freshDir(name) / "lib.sqlite";
    LibraryDatabase db(file);
    struct T {
        const char* title;
        const char* artist;
        double seconds;
        const char* genre;
        library::SplitPart part;
    };
    const T tracks[] = {{"Battle Theme", "Flare", 95, "orchestral", library::SplitPart::Train},
                        {"Aberrations", "Singularity", 240, "electronic", library::SplitPart::Train},
                        {"Motorway", "OpenClonk", 30, "rock", library::SplitPart::Validation},
                        {"Dialogue 1", "Fish Fillets", 31, "speech", library::SplitPart::Test},
                        {"Zebra Song", "Another Artist", 5, "rock", library::SplitPart::Train}};
    db.createLabelSet("style", library::LabelKind::Single, {"orchestral", "electronic", "rock", "speech"}, "test");
    std::vector<library::SplitAssignment> split;
    for (const auto& t : tracks) {
        library::TrackRecord r;
        r.path = "/demo/" + std::string(t.title) + ".mp3";
        r.title = t.title;
        r.artist = t.artist;
        r.durationSeconds = t.seconds;
        const auto id = db.upsertTrack(r);
        db.setLabel("style", id, t.genre, 1, "test");
        split.push_back({id, t.part});
    }
    db.writeSplit("style", split);
    return file;
}

// The table reads the library on a worker: waits until the rows of the latest read (or its error) have arrived.
bool shown(LibraryPanel& panel) {
    for (int waited = 0; panel.model()->loading() && waited < 30000; waited += 5) QTest::qWait(5);
    return !panel.model()->loading();
}

int rowOfTitle(QAbstractItemModel* model, const QString& title) {
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->index(r, TrackTableModel::Title).data().toString() == title) return r;
    return -1;
}

}  // namespace

TEST(LibraryPanel, ShowsTracksWithLabelsDurationAndSplit) {
    LibraryPanel panel;
    panel.openLibrary(makeLibrary("ui_rows"));
    ASSERT_TRUE(shown(panel));
    auto* model = panel.model();
    ASSERT_EQ(model->rowCount(), 5);
    const int motorway = rowOfTitle(model, "Motorway");
    ASSERT_GE(motorway, 0);
    EXPECT_EQ(model->index(motorway, TrackTableModel::Artist).data().toString(), "OpenClonk");
    EXPECT_EQ(model->index(motorway, TrackTableModel::Duration).data().toString(), "0:30");
    EXPECT_EQ(model->index(motorway, TrackTableModel::Labels).data().toString(), "rock");
    EXPECT_EQ(model->index(motorway, TrackTableModel::Split).data().toString(), "validation");
    const int aberr = rowOfTitle(model, "Aberrations");
    EXPECT_EQ(model->index(aberr, TrackTableModel::Duration).data().toString(), "4:00");
    EXPECT_EQ(model->headerData(TrackTableModel::Labels, Qt::Horizontal).toString(), "Labels");
}

TEST(LibraryPanel, SearchFiltersAndColumnsSortByValue) {
    LibraryPanel panel;
    panel.openLibrary(makeLibrary("ui_filter"));
    ASSERT_TRUE(shown(panel));
    auto* proxy = panel.model();
    panel.searchBox()->setText("rock");  // matches the labels column
    EXPECT_EQ(proxy->rowCount(), 2);
    panel.searchBox()->setText("fish");  // artist, case-insensitive
    ASSERT_EQ(proxy->rowCount(), 1);
    EXPECT_EQ(proxy->index(0, TrackTableModel::Title).data().toString(), "Dialogue 1");
    panel.searchBox()->setText("validation");  // the split column
    ASSERT_EQ(proxy->rowCount(), 1);
    panel.searchBox()->clear();
    EXPECT_EQ(proxy->rowCount(), 5);

    // Duration sorts by seconds, not by the text "4:00" < "0:30".
    panel.view()->sortByColumn(TrackTableModel::Duration, Qt::DescendingOrder);
    EXPECT_EQ(proxy->index(0, TrackTableModel::Title).data().toString(), "Aberrations");
    EXPECT_EQ(proxy->index(4, TrackTableModel::Title).data().toString(), "Zebra Song");
    panel.view()->sortByColumn(TrackTableModel::Title, Qt::AscendingOrder);
    EXPECT_EQ(proxy->index(0, TrackTableModel::Title).data().toString(), "Aberrations");
}

// The model keeps the order (the proxy only filters): a sort keeps the selection on its tracks, ignores case, and
// the next read of the library arrives in the same order.
TEST(LibraryPanel, SortingKeepsTheSelectionAndAReadKeepsTheOrder) {
    LibraryPanel panel;
    panel.openLibrary(makeLibrary("ui_sort"));
    ASSERT_TRUE(shown(panel));
    auto* proxy = panel.model();
    panel.view()->selectRow(rowOfTitle(proxy, "Motorway"));
    panel.view()->sortByColumn(TrackTableModel::Artist, Qt::DescendingOrder);
    const QStringList artistsDescending = {"Singularity", "OpenClonk", "Flare", "Fish Fillets", "Another Artist"};
    auto artists = [proxy] {
        QStringList out;
        for (int r = 0; r < proxy->rowCount(); ++r) out << proxy->index(r, TrackTableModel::Artist).data().toString();
        return out;
    };
    EXPECT_EQ(artists(), artistsDescending);
    EXPECT_EQ(panel.selectedPaths(), QStringList{"/demo/Motorway.mp3"});

    panel.searchBox()->setText(QStringLiteral("FILL"));  // case-insensitive, and the order stays while filtering
    ASSERT_EQ(proxy->rowCount(), 1);
    EXPECT_EQ(proxy->index(0, TrackTableModel::Artist).data().toString(), "Fish Fillets");
    panel.searchBox()->clear();

    {
        LibraryDatabase other(panel.database()->file());
        library::TrackRecord r;
        r.path = "/demo/Middle.mp3";
        r.title = "Middle";
        r.artist = "gamma";  // lower case: sorts between Flare and OpenClonk, not after every capital
        other.upsertTrack(r);
    }
    panel.model()->reload();
    ASSERT_TRUE(shown(panel));
    EXPECT_EQ(artists(), (QStringList{"Singularity", "OpenClonk", "gamma", "Flare", "Fish Fillets", "Another Artist"}));
}

// Descending keeps equal keys in library order (as a stable sort does), and a label edit moves its track in the
// Labels order without a new read.
TEST(LibraryPanel, DescendingTiesAndEditedLabelsSortLikeAStableSort) {
    LibraryPanel panel;
    panel.openLibrary(makeLibrary("ui_sort_labels"));
    ASSERT_TRUE(shown(panel));
    auto* model = panel.model();
    model->setEditLabelSet("style");
    ASSERT_TRUE(shown(panel));
    auto titles = [model] {
        QStringList out;
        for (int r = 0; r < model->rowCount(); ++r) out << model->index(r, TrackTableModel::Title).data().toString();
        return out;
    };
    panel.view()->sortByColumn(TrackTableModel::Labels, Qt::DescendingOrder);
    EXPECT_EQ(titles(), (QStringList{"Dialogue 1", "Motorway", "Zebra Song", "Battle Theme", "Aberrations"}));
    ASSERT_TRUE(model->applyLabels(model->trackAt(titles().indexOf("Zebra Song")), {"aardvark"}));
    panel.view()->sortByColumn(TrackTableModel::Labels, Qt::AscendingOrder);
    EXPECT_EQ(titles(), (QStringList{"Zebra Song", "Aberrations", "Battle Theme", "Motorway", "Dialogue 1"}));
    ASSERT_TRUE(model->applyLabels(model->trackAt(0), {"rock"}));  // back: ties with Motorway, after it
    panel.view()->sortByColumn(TrackTableModel::Labels, Qt::AscendingOrder);
    EXPECT_EQ(titles(), (QStringList{"Aberrations", "Battle Theme", "Motorway", "Zebra Song", "Dialogue 1"}));
}

TEST(LibraryPanel, DoubleClickAndEnterActivateTheTrack) {
    LibraryPanel panel;
    panel.resize(900, 400);
    panel.openLibrary(makeLibrary("ui_activate"));
    ASSERT_TRUE(shown(panel));
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
    QSignalSpy spy(&panel, &LibraryPanel::trackActivated);
    auto* view = panel.view();
    const int row = rowOfTitle(panel.model(), "Motorway");
    const QRect rect = view->visualRect(panel.model()->index(row, TrackTableModel::Title));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, rect.center());
    ASSERT_EQ(spy.count(), 1);
    EXPECT_EQ(spy.takeFirst().at(0).toString(), "/demo/Motorway.mp3");

    const int other = rowOfTitle(panel.model(), "Zebra Song");
    view->setFocus();
    view->setCurrentIndex(panel.model()->index(other, 0));
    QTest::keyClick(view, Qt::Key_Return);
    ASSERT_EQ(spy.count(), 1);
    EXPECT_EQ(spy.takeFirst().at(0).toString(), "/demo/Zebra Song.mp3");
}

TEST(LibraryPanel, LabelEditsGoToTheDatabaseAndUndo) {
    const auto file = makeLibrary("ui_labels");
    LibraryPanel panel;
    panel.openLibrary(file);
    ASSERT_TRUE(shown(panel));
    auto* model = panel.model();
    model->setEditLabelSet("style");
    ASSERT_TRUE(shown(panel));
    const int row = rowOfTitle(model, "Zebra Song");
    const auto id = model->trackAt(row);
    const auto labelIndex = model->index(row, TrackTableModel::Labels);
    EXPECT_EQ(labelIndex.data(Qt::EditRole).toString(), "rock");
    ASSERT_TRUE(model->setData(labelIndex, "electronic"));
    EXPECT_EQ(model->index(row, TrackTableModel::Labels).data().toString(), "electronic");
    {
        LibraryDatabase other(file);  // really in the file, seen by another connection
        const auto labels = other.labelsOfTrack(id);
        ASSERT_EQ(labels.size(), 1u);
        EXPECT_EQ(labels[0].label, "electronic");
        EXPECT_EQ(labels[0].source, "user");
    }
    EXPECT_EQ(panel.undoStack()->count(), 1);
    panel.undoStack()->undo();
    EXPECT_EQ(model->index(row, TrackTableModel::Labels).data().toString(), "rock");
    EXPECT_EQ(LibraryDatabase(file).labelsOfTrack(id)[0].label, "rock");
    panel.undoStack()->redo();
    EXPECT_EQ(model->index(row, TrackTableModel::Labels).data().toString(), "electronic");

    // Multi-select: one undo step for all selected tracks, in a new multi-label set.
    model->setEditLabelSet("mood");
    ASSERT_TRUE(shown(panel));
    panel.view()->selectAll();
    panel.setLabelsOfSelection({"calm", "loud"});
    EXPECT_EQ(LibraryDatabase(file).labelCounts("mood"),
              (std::vector<std::pair<std::string, std::int64_t>>{{"calm", 5}, {"loud", 5}}));
    EXPECT_EQ(panel.selectedPaths().size(), 5);
    panel.undoStack()->undo();
    EXPECT_EQ(LibraryDatabase(file).labelCounts("mood"),
              (std::vector<std::pair<std::string, std::int64_t>>{{"calm", 0}, {"loud", 0}}));
}

TEST(LibraryPanel, ScanRunsInTheBackgroundAndCanBeCancelled) {
    const auto dir = test::freshDir("ui_scan");
    fs::create_directories(dir / "music");
    for (int i = 0; i < 150; ++i)
        test::writeWav16(dir / "music" / ("tone" + std::to_string(i) + ".wav"), test::sine(200 + i, 0.2, 8000), 8000);
    LibraryPanel panel;
    panel.openLibrary(dir / "lib.sqlite");
    ASSERT_TRUE(shown(panel));
    QSignalSpy finished(&panel, &LibraryPanel::jobFinished);
    QSignalSpy status(&panel, &LibraryPanel::statusMessage);

    ASSERT_TRUE(panel.startScan(QString::fromStdString((dir / "music").string())));
    EXPECT_TRUE(panel.busy());
    EXPECT_FALSE(panel.startScan("/elsewhere"));  // one job at a time
    panel.cancelJob();
    ASSERT_TRUE(finished.wait(30000));
    ASSERT_TRUE(shown(panel));
    EXPECT_FALSE(finished.at(0).at(0).toBool());
    EXPECT_TRUE(finished.at(0).at(1).toString().contains("Cancelled"));
    EXPECT_EQ(panel.model()->rowCount(), 0);

    QSignalSpy progress(&panel, &LibraryPanel::jobProgress);
    ASSERT_TRUE(panel.startScan(QString::fromStdString((dir / "music").string())));
    ASSERT_TRUE(finished.wait(60000));
    ASSERT_TRUE(shown(panel));
    EXPECT_TRUE(finished.at(1).at(0).toBool()) << finished.at(1).at(1).toString().toStdString();
    EXPECT_FALSE(panel.busy());
    EXPECT_EQ(panel.model()->rowCount(), 150);
    EXPECT_GT(progress.count(), 0);
    EXPECT_TRUE(status.last().at(0).toString().contains("150 added")) << status.last().at(0).toString().toStdString();
}

TEST(LibraryPanel, ScreenshotOverTheDemoCollectionOrGeneratedTracks) {
    const auto dir = test::freshDir("ui_screenshot");
    LibraryPanel panel;
    panel.resize(1100, 560);
    const char* home = std::getenv("HOME");
    const fs::path demo = std::getenv("SONOLAB_DEMO_DIR") ? fs::path(std::getenv("SONOLAB_DEMO_DIR"))
                                                          : fs::path(home ? home : "/") / ".cache/sonolab/demo";
    if (fs::exists(demo / ".demo-complete")) {
        panel.openLibrary(dir / "lib.sqlite");
        ASSERT_TRUE(shown(panel));
        QSignalSpy finished(&panel, &LibraryPanel::jobFinished);
        ASSERT_TRUE(panel.startImport(LibraryPanel::ImportKind::Mtat,
                                      QString::fromStdString((demo / "annotations_final.csv").string()),
                                      QString::fromStdString((demo / "audio").string())));
        ASSERT_TRUE(finished.wait(120000));
        ASSERT_TRUE(shown(panel));
        ASSERT_TRUE(finished.at(0).at(0).toBool()) << finished.at(0).at(1).toString().toStdString();
        EXPECT_GE(panel.model()->rowCount(), 200);
    } else {
        panel.openLibrary(makeLibrary("ui_screenshot_lib"));
        ASSERT_TRUE(shown(panel));
    }
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
    panel.view()->selectRow(1);
    panel.view()->selectionModel()->select(panel.model()->index(3, 0),
                                           QItemSelectionModel::Select | QItemSelectionModel::Rows);
    const QImage image = panel.grab().toImage();
    const auto png = fs::path(std::getenv("SONOLAB_TEST_TMP") ? std::getenv("SONOLAB_TEST_TMP") : "/tmp") /
                     "library-panel.png";
    ASSERT_TRUE(image.save(QString::fromStdString(png.string())));
    EXPECT_EQ(image.width(), 1100);
    // Not a blank widget: the table drew text in more than one colour.
    std::set<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7) colours.insert(image.pixel(x, y));
    EXPECT_GT(colours.size(), 4u);
}

// Another program breaks the library under the open panel: the edit, undo and split slots that touch it say so in
// the panel (and to the host through errorOccurred) instead of throwing into Qt, and the panel keeps working.
TEST(LibraryPanel, ADatabaseFailureInASlotIsShownAndThePanelGoesOn) {
    const auto file = makeLibrary("ui_broken_library");
    LibraryPanel panel;
    panel.openLibrary(file);
    ASSERT_TRUE(shown(panel));
    ASSERT_EQ(panel.model()->rowCount(), 5);
    EXPECT_TRUE(panel.problemText().isEmpty());
    QSignalSpy errors(&panel, &LibraryPanel::errorOccurred);
    {
        LibraryDatabase other(file);
        other.connection().exec("DROP TABLE track_labels");
    }

    // An edit in the table (QAbstractItemModel::setData, called by the view's delegate) writes labels.
    const int row = rowOfTitle(panel.model(), "Motorway");
    ASSERT_GE(row, 0);
    const QModelIndex labels = panel.model()->index(row, TrackTableModel::Labels);
    panel.model()->setData(labels, QStringLiteral("loud, fast"));
    ASSERT_EQ(errors.count(), 1);
    EXPECT_TRUE(errors.at(0).at(0).toString().contains("track_labels")) << errors.at(0).at(0).toString().toStdString();
    EXPECT_EQ(panel.problemText(), errors.at(0).at(0).toString());
    EXPECT_EQ(panel.undoStack()->count(), 0);  // the refused edit is not offered for undo
    EXPECT_EQ(panel.model()->index(row, TrackTableModel::Labels).data(Qt::EditRole).toString(), QString());

    // Reading fails too (the Split column's reload); the rows shown before stay and the search still filters.
    ASSERT_EQ(panel.model()->splitName(), QStringLiteral("style"));
    panel.model()->setSplitName(QString());
    ASSERT_TRUE(shown(panel));
    ASSERT_EQ(errors.count(), 2);
    EXPECT_TRUE(errors.at(1).at(0).toString().startsWith("Could not read the library")) << errors.at(1).at(0).toString().toStdString();
    EXPECT_EQ(panel.model()->rowCount(), 5);
    panel.searchBox()->setText(QStringLiteral("motor"));
    EXPECT_EQ(panel.model()->rowCount(), 1);

    // A healthy library opened next clears the message and edits work again.
    panel.searchBox()->clear();
    panel.openLibrary(makeLibrary("ui_healthy_library"));
    ASSERT_TRUE(shown(panel));
    EXPECT_TRUE(panel.problemText().isEmpty());
    const int again = rowOfTitle(panel.model(), "Motorway");
    panel.model()->setData(panel.model()->index(again, TrackTableModel::Labels), QStringLiteral("loud"));
    EXPECT_EQ(errors.count(), 2);
    EXPECT_EQ(panel.undoStack()->count(), 1);
}

// A scan whose folder cannot be read ends as a failure in the window, not as an exception out of the worker.
TEST(LibraryPanel, AFailedJobIsShownInThePanel) {
    const auto dir = test::freshDir("ui_failed_job");
    LibraryPanel panel;
    panel.openLibrary(dir / "lib.sqlite");
    ASSERT_TRUE(shown(panel));
    QSignalSpy finished(&panel, &LibraryPanel::jobFinished);
    QSignalSpy errors(&panel, &LibraryPanel::errorOccurred);
    ASSERT_TRUE(panel.startImport(LibraryPanel::ImportKind::Csv, QString::fromStdString((dir / "missing.csv").string())));
    ASSERT_TRUE(finished.wait(30000));
    ASSERT_TRUE(shown(panel));
    EXPECT_FALSE(finished.at(0).at(0).toBool());
    ASSERT_EQ(errors.count(), 1);
    EXPECT_TRUE(errors.at(0).at(0).toString().contains("missing.csv")) << errors.at(0).at(0).toString().toStdString();
    EXPECT_EQ(panel.problemText(), errors.at(0).at(0).toString());
    EXPECT_FALSE(panel.busy());
}

// sonolab-cli importing beside the app: another connection's commit shows up in the panel by itself, and the panel's
// own writes (a label edit) are not mistaken for someone else's. A commit that adds or removes no track (the app's
// own feature and training connections commit too) is reloaded quietly; tracks coming are said on the status line.
TEST(LibraryPanel, ShowsTracksAnotherProgramAddsAndIgnoresItsOwnWrites) {
    const auto file = makeLibrary("ui_external");
    LibraryPanel panel;
    panel.setExternalChangeInterval(50);
    panel.openLibrary(file);
    ASSERT_TRUE(shown(panel));
    QSignalSpy changed(&panel, &LibraryPanel::changedElsewhere);
    QSignalSpy status(&panel, &LibraryPanel::statusMessage);
    auto said = [&status](const char* text) {
        for (const auto& args : status)
            if (args.at(0).toString().contains(QString::fromUtf8(text))) return true;
        return false;
    };
    ASSERT_EQ(panel.model()->rowCount(), 5);

    panel.view()->selectRow(0);
    panel.setLabelsOfSelection({"rock"});
    QTest::qWait(300);
    EXPECT_EQ(changed.count(), 0);

    {
        LibraryDatabase other(file);  // a second connection, as another process has
        library::TrackRecord r = other.tracks().front();
        r.title = "Renamed Elsewhere";
        other.upsertTrack(r);
    }
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 5000);
    ASSERT_TRUE(shown(panel));
    EXPECT_GE(rowOfTitle(panel.model(), "Renamed Elsewhere"), 0);
    EXPECT_FALSE(said("changed"));

    {
        LibraryDatabase other(file);
        library::TrackRecord r;
        r.path = "/elsewhere/New Track.flac";
        r.title = "New Track";
        r.durationSeconds = 12;
        other.upsertTrack(r);
    }
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 5000);
    ASSERT_TRUE(shown(panel));
    EXPECT_EQ(panel.model()->rowCount(), 6);
    EXPECT_GE(rowOfTitle(panel.model(), "New Track"), 0);
    EXPECT_TRUE(said("Another program changed the library: 6 track(s) now"));
}
