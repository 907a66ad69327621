#include "DashboardFixture.h"

#include "core/library/LibraryDatabase.h"
#include "core/library/Scanner.h"
#include "support/TestSupport.h"
#include "ui/training/TrainingDashboard.h"
#include "ui/training/TrainingRunController.h"

#include <QApplication>

#include <random>

namespace sonolab::test {

namespace {
const char* kClasses[] = {"low", "mid", "high"};
}

ui::PreparedData makeThreeClassData(int trainPerClass, int evalPerClass, unsigned seed) {
    const TaskSpec task = TaskSpec::parse("single:low,mid,high");
    std::mt19937 rng(seed);
    std::normal_distribution<float> noise(0.f, 1.0f);  // overlapping classes: some mistakes to listen to
    auto make = [&](const std::string& split, int perClass) {
        auto set = std::make_shared<ml::Dataset>("fixture-" + split, task);
        for (int n = 0; n < perClass; ++n)
            for (int c = 0; c < 3; ++c) {
                std::vector<float> v(12);
                for (int d = 0; d < 12; ++d) v[std::size_t(d)] = noise(rng) + (d / 4 == c ? 1.5f : 0.f);
                ml::ExampleInfo info;
                info.id = split + "-" + kClasses[c] + "-" + std::to_string(n);
                info.target.assign(3, 0.f);
                info.target[std::size_t(c)] = 1.f;
                set->add(std::move(info), Matrix::column(std::move(v)));
            }
        return set;
    };
    ui::PreparedData data;
    data.train = make("train", trainPerClass);
    data.validation = make("validation", evalPerClass);
    data.test = make("test", evalPerClass);
    for (std::size_t i = 0; i < data.test->size(); ++i) {
        const std::string& id = data.test->info(i).id;
        data.clips[id] = {QString::fromStdString("clip " + id), QString()};
    }
    return data;
}

ui::DataPreparer threeClassPreparer(int trainPerClass, int evalPerClass) {
    return [=](const ui::RunSettings&, const Progress& progress) {
        progress(0, 1, "generating features");
        auto data = makeThreeClassData(trainPerClass, evalPerClass);
        progress(1, 1, "generated");
        return data;
    };
}

std::shared_ptr<library::LibraryDatabase> makeFixtureLibrary(const std::filesystem::path& file) {
    auto db = std::make_shared<library::LibraryDatabase>(file);
    db->createLabelSet("pitch", library::LabelKind::Single, {"low", "mid", "high"}, "test");
    std::vector<library::SplitAssignment> split;
    for (int i = 0; i < 9; ++i) {
        library::TrackRecord t;
        t.path = (file.parent_path() / ("track" + std::to_string(i) + ".wav")).generic_string();
        t.title = "track " + std::to_string(i);
        const library::TrackId id = db->upsertTrack(t);
        db->setLabel("pitch", id, kClasses[i % 3], 1.0, "test");
        split.push_back({id, i < 3 ? library::SplitPart::Test : i < 5 ? library::SplitPart::Validation
                                                                       : library::SplitPart::Train});
    }
    db->writeSplit("by-track", split);
    return db;
}

void writeToneClip(const std::filesystem::path& file, double hz, unsigned seed) {
    auto s = sine(hz, 1.0, 22050, 0.4f);
    std::mt19937 rng(seed);
    std::normal_distribution<float> n(0.f, 0.05f);
    for (float& v : s) v += n(rng);
    writeWav16(file, s, 22050);
}

std::shared_ptr<library::LibraryDatabase> makeToneLibrary(const std::filesystem::path& dir) {
    const auto audio = dir / "audio";
    std::filesystem::create_directories(audio);
    for (int i = 0; i < 8; ++i) {
        writeToneClip(audio / ("low" + std::to_string(i) + ".wav"), 150 + 20 * i, unsigned(i));
        writeToneClip(audio / ("high" + std::to_string(i) + ".wav"), 3000 + 150 * i, unsigned(100 + i));
    }
    auto db = std::make_shared<library::LibraryDatabase>(dir / "library.sqlite");
    library::scanFolder(*db, audio);
    db->createLabelSet("pitch", library::LabelKind::Single, {"low", "high"}, "test");
    std::vector<library::SplitAssignment> split;
    for (const auto& t : db->tracks()) {
        const std::string name = std::filesystem::path(t.path).stem().string();
        const bool high = name.starts_with("high");
        const int n = name.back() - '0';
        db->setLabel("pitch", t.id, high ? "high" : "low", 1.0, "test");
        split.push_back({t.id, n < 5 ? library::SplitPart::Train : n < 6 ? library::SplitPart::Validation
                                                                         : library::SplitPart::Test});
    }
    db->writeSplit("by-file", split);
    return db;
}

ui::RunSettings fixtureSettings(int epochs, double learningRate) {
    ui::RunSettings s;
    s.name = "fixture lr " + QString::number(learningRate);
    s.task = "single:low,mid,high";
    s.split = "by-track";
    s.model = "dense:hidden=32,layers=1,dropout=0";
    s.featureSpec = "summary:generated";
    s.config.optimizer = ml::OptimizerKind::Adam;
    s.config.learningRate = learningRate;
    s.config.epochs = epochs;
    s.config.batchSize = 16;
    s.config.threads = 1;
    s.config.standardization = ml::StandardizationMode::None;
    return s;
}

std::unique_ptr<ui::TrainingDashboard> showDashboard(std::shared_ptr<library::LibraryDatabase> db,
                                                     const std::filesystem::path& runsFolder, QSize size) {
    auto d = std::make_unique<ui::TrainingDashboard>(nullptr, false);
    d->setRunsFolder(runsFolder);
    d->setLibrary(std::move(db));
    d->resize(size);
    d->show();
    QApplication::processEvents();
    return d;
}

bool waitForRunEnd(const ui::TrainingDashboard& d, int timeoutMs) {
    return waitUntil([&] { return !d.controller()->isActive(); }, timeoutMs);
}

}  // namespace sonolab::test
