// The dashboard stores run metrics with the one metrics-to-JSON writer (undefined values as null, never dropped),
// and the runs list reads rows from this version and from earlier ones (where an undefined value had no key).
#include "core/library/LibraryDatabase.h"
#include "support/TestSupport.h"
#include "ui/training/RunRecorder.h"
#include "ui/training/RunsList.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTableWidget>

#include <gtest/gtest.h>

#include <limits>

using namespace sonolab;
using namespace sonolab::ui;

namespace {

QJsonObject storedMetrics(library::LibraryDatabase& db, library::RunId id) {
    const auto row = db.run(id);
    EXPECT_TRUE(row.has_value());
    return row ? QJsonDocument::fromJson(QByteArray::fromStdString(row->metricsJson)).object() : QJsonObject{};
}

QString accuracyCell(const RunsList& list, const QString& runName) {
    for (int r = 0; r < list.table()->rowCount(); ++r)
        if (list.table()->item(r, RunsList::Name)->text() == runName)
            return list.table()->item(r, RunsList::Accuracy)->text();
    ADD_FAILURE() << "no row named " << runName.toStdString();
    return {};
}

}  // namespace

TEST(RunMetrics, RecorderWritesUndefinedMetricsAsNullAndTheListReadsOldAndNewRows) {
    const auto dir = test::freshDir("uitraining-run-metrics");
    auto db = std::make_shared<library::LibraryDatabase>(dir / "lib.sqlite");

    RunRecorder recorder(db);
    RunSettings settings;
    settings.name = "new";
    settings.task = "binary:speech";
    settings.model = "dense";
    recorder.begin(settings);
    ASSERT_NE(recorder.runId(), 0);
    ml::EpochReport epoch;
    epoch.epoch = 0;
    epoch.trainLoss = 0.5;
    epoch.validationLoss = 0.25;
    epoch.metrics = {{"accuracy", 0.75}, {"roc_auc", std::numeric_limits<double>::quiet_NaN()}};
    recorder.recordEpoch(epoch);

    const QJsonObject m = storedMetrics(*db, recorder.runId());
    EXPECT_DOUBLE_EQ(m.value("validation_accuracy").toDouble(), 0.75);
    EXPECT_DOUBLE_EQ(m.value("train_loss").toDouble(), 0.5);
    EXPECT_TRUE(m.contains("validation_roc_auc"));  // kept, as null: undefined, not forgotten
    EXPECT_TRUE(m.value("validation_roc_auc").isNull());

    // Rows as earlier versions wrote them (no key for an undefined value) and as this one does (null).
    library::RunRecord old;
    old.name = "old";
    old.metricsJson = R"({"validation_accuracy":0.6})";
    db->addRun(old);
    library::RunRecord undefinedTest;
    undefinedTest.name = "undefined-test";
    undefinedTest.metricsJson = R"({"test_accuracy":null,"validation_accuracy":0.5})";
    db->addRun(undefinedTest);

    RunsList list;
    list.setDatabase(db);
    EXPECT_EQ(accuracyCell(list, "new"), "0.750");
    EXPECT_EQ(accuracyCell(list, "old"), "0.600");
    EXPECT_EQ(accuracyCell(list, "undefined-test"), "0.500");  // null test accuracy: the validation one is shown
}
