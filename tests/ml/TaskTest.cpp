#include "core/ml/ModelSpec.h"
#include "core/ml/Task.h"
#include "core/util/Error.h"

#include <gtest/gtest.h>

using namespace sonolab::ml;

TEST(TaskSpec, ParsesTheThreeKinds) {
    auto b = TaskSpec::parse("binary:speech");
    EXPECT_EQ(b.kind, TaskKind::Binary);
    EXPECT_EQ(b.outputs(), 1u);
    auto s = TaskSpec::parse("single:orchestral, electronic,rock_metal");
    EXPECT_EQ(s.kind, TaskKind::SingleLabel);
    EXPECT_EQ(s.labels, (std::vector<std::string>{"orchestral", "electronic", "rock_metal"}));
    EXPECT_TRUE(s.usesSoftmax());
    auto m = TaskSpec::parse("multi:guitar,piano");
    EXPECT_EQ(m.kind, TaskKind::MultiLabel);
    EXPECT_EQ(m.outputs(), 2u);
    EXPECT_EQ(TaskSpec::parse(m.toString()).labels, m.labels);
}

TEST(TaskSpec, RejectsBadSpecsWithAMessage) {
    EXPECT_THROW(TaskSpec::parse("speech"), sonolab::Error);
    EXPECT_THROW(TaskSpec::parse("binary:a,b"), sonolab::Error);
    EXPECT_THROW(TaskSpec::parse("single:a"), sonolab::Error);
    EXPECT_THROW(TaskSpec::parse("multi:a,,b"), sonolab::Error);
    EXPECT_THROW(TaskSpec::parse("multi:a,a"), sonolab::Error);
    try {
        TaskSpec::parse("triple:a");
        FAIL();
    } catch (const sonolab::Error& e) {
        EXPECT_NE(std::string(e.what()).find("triple"), std::string::npos);
    }
}

TEST(ModelSpec, ParsesNameAndParameters) {
    auto s = ModelSpec::parse("compact_cnn:layers=3,filters=32/64/64");
    EXPECT_EQ(s.architecture, "compact_cnn");
    EXPECT_EQ(s.number("layers", 0), 3.0);
    EXPECT_EQ(s.text("filters", ""), "32/64/64");
    EXPECT_EQ(ModelSpec::parse(s.toString()).params, s.params);
    EXPECT_THROW(ModelSpec::parse("compact_cnn:layers").params.size(), sonolab::Error);
    EXPECT_THROW(ModelSpec::parse("x:layers=abc").number("layers", 1), sonolab::Error);
}
