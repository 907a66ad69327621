// The one task grammar (core/util/TaskSpec.h), read by the library, the trainer and saved models.
#include "core/util/Error.h"
#include "core/util/TaskSpec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace sonolab;

namespace {

// The message of the Error that parsing `text` throws ("" when it parses).
std::string refusal(const std::string& text) {
    try {
        TaskSpec::parse(text);
    } catch (const Error& e) {
        return e.what();
    }
    return {};
}

}  // namespace

TEST(TaskSpec, ParsesTheThreeKindsWithTheirOutputs) {
    const auto b = TaskSpec::parse("binary:speech");
    EXPECT_EQ(b.kind, TaskKind::Binary);
    EXPECT_EQ(b.labels, std::vector<std::string>{"speech"});
    EXPECT_EQ(b.outputs(), 1u);
    EXPECT_FALSE(b.usesSoftmax());
    EXPECT_TRUE(b.labelSet.empty());

    const auto s = TaskSpec::parse("single: orchestral, electronic ,rock_metal");
    EXPECT_EQ(s.kind, TaskKind::SingleLabel);
    EXPECT_EQ(s.labels, (std::vector<std::string>{"orchestral", "electronic", "rock_metal"}));
    EXPECT_EQ(s.outputs(), 3u);
    EXPECT_TRUE(s.usesSoftmax());

    const auto m = TaskSpec::parse("multi:guitar,piano");
    EXPECT_EQ(m.kind, TaskKind::MultiLabel);
    EXPECT_EQ(m.outputs(), 2u);
    EXPECT_FALSE(m.usesSoftmax());

    // The long spellings the trainer always accepted.
    EXPECT_EQ(TaskSpec::parse("single-label:a,b").kind, TaskKind::SingleLabel);
    EXPECT_EQ(TaskSpec::parse("single_label:a,b").kind, TaskKind::SingleLabel);
    EXPECT_EQ(TaskSpec::parse("multi-label:a").kind, TaskKind::MultiLabel);
    EXPECT_EQ(TaskSpec::parse("multi_label:a").kind, TaskKind::MultiLabel);
}

TEST(TaskSpec, ALabelSetAfterTheAtSignRestrictsTheLookupAndIsNotAModelLabel) {
    const auto t = TaskSpec::parse("single: rock, jazz ,pop @ mtat");
    EXPECT_EQ(t.labels, (std::vector<std::string>{"rock", "jazz", "pop"}));
    EXPECT_EQ(t.labelSet, "mtat");
    EXPECT_EQ(t.toString(), "single:rock,jazz,pop@mtat");
    const auto model = t.withoutLabelSet();
    EXPECT_EQ(model.toString(), "single:rock,jazz,pop");
    EXPECT_EQ(model.labels, t.labels);
    EXPECT_EQ(model.kind, t.kind);
}

TEST(TaskSpec, CanonicalTextRoundTrips) {
    for (const std::string text : {"binary:speech", "single:a,b,c", "multi:x", "multi:guitar,piano,vocal@tags",
                                   "binary:speech@gtzan", "single:orchestral,electronic,rock_metal"}) {
        const auto t = TaskSpec::parse(text);
        EXPECT_EQ(t.toString(), text);
        EXPECT_EQ(TaskSpec::parse(t.toString()), t) << text;
    }
    // Spaces and long kind names normalise to the canonical text.
    EXPECT_EQ(TaskSpec::parse(" multi-label : a , b ").toString(), "multi:a,b");
}

TEST(TaskSpec, RefusesBadSpecsNamingTheSpecAndTheProblem) {
    struct Case {
        std::string text, why;
    };
    for (const Case& c : std::vector<Case>{{"speech", "expected KIND:LABELS"},
                                          {"triple:a", "unknown kind 'triple'"},
                                          {"binary:a,b", "exactly one label"},
                                          {"single:a", "at least two classes"},
                                          {"multi:", "no labels"},
                                          {"multi:  @tags", "no labels"},
                                          {"multi:a,,b", "empty label name"},
                                          {"multi:a,b,", "empty label name"},
                                          {"multi:a, a", "label 'a' appears twice"},
                                          {"multi:a,b@", "no label set name"}}) {
        const std::string message = refusal(c.text);
        EXPECT_NE(message.find("task '" + c.text + "'"), std::string::npos) << c.text << " -> " << message;
        EXPECT_NE(message.find(c.why), std::string::npos) << c.text << " -> " << message;
    }
}
