// The one metrics-to-JSON writer (core/pipeline/MetricsJson.h): undefined values become null, never a dropped key
// and never the invalid token NaN, and what it writes parses back as standard JSON.
#include "core/ml/Metrics.h"
#include "core/pipeline/MetricsJson.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <limits>

using namespace sonolab;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

TEST(MetricsJson, UndefinedValuesAreNullAndKeepTheirKey) {
    const std::map<std::string, double> metrics{{"accuracy", 0.75}, {"roc_auc", kNaN}, {"loss", kInf}, {"map", -kInf}};
    const std::string text = pipeline::metricsJsonText(metrics);
    EXPECT_EQ(text.find("NaN"), std::string::npos) << text;
    EXPECT_EQ(text.find("nan"), std::string::npos) << text;
    const auto j = nlohmann::json::parse(text);  // throws on anything that is not JSON
    ASSERT_TRUE(j.is_object());
    EXPECT_EQ(j.size(), metrics.size());
    EXPECT_DOUBLE_EQ(j.at("accuracy").get<double>(), 0.75);
    for (const char* undefined : {"roc_auc", "loss", "map"}) {
        ASSERT_TRUE(j.contains(undefined)) << undefined;
        EXPECT_TRUE(j.at(undefined).is_null()) << undefined;
    }
    EXPECT_EQ(pipeline::metricsJsonText({}), "{}");
}

TEST(MetricsJson, HistoryAndReportUseTheSameRule) {
    ml::EpochReport epoch;
    epoch.epoch = 2;
    epoch.trainLoss = kNaN;
    epoch.learningRate = 0.01;
    epoch.metrics = {{"accuracy", 0.5}, {"roc_auc", kNaN}};
    const auto history = nlohmann::json::parse(pipeline::historyToJson({epoch}).dump());
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history[0].at("epoch").get<int>(), 3);
    EXPECT_TRUE(history[0].at("train_loss").is_null());
    EXPECT_TRUE(history[0].at("validation_loss").is_null());  // no validation set
    EXPECT_TRUE(history[0].at("metrics").at("roc_auc").is_null());
    EXPECT_DOUBLE_EQ(history[0].at("metrics").at("accuracy").get<double>(), 0.5);

    // A binary task whose truth is all negative: ROC and PR AUC are undefined for its class.
    const TaskSpec task = TaskSpec::parse("binary:speech");
    const auto report = ml::evaluate(task, {{0.2f}, {0.7f}, {0.1f}}, {{0.f}, {0.f}, {0.f}});
    const auto j = nlohmann::json::parse(pipeline::reportToJson(report).dump());
    ASSERT_EQ(j.at("per_class").size(), 1u);
    EXPECT_TRUE(j.at("per_class")[0].at("roc_auc").is_null());
    EXPECT_TRUE(j.at("per_class")[0].at("pr_auc").is_null());
    EXPECT_EQ(j.at("examples").get<int>(), 3);
    EXPECT_NEAR(j.at("accuracy").get<double>(), 2.0 / 3.0, 1e-12);
}
