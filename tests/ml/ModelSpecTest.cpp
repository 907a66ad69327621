#include "core/ml/ModelSpec.h"
#include "core/util/Error.h"

#include <gtest/gtest.h>

using namespace sonolab::ml;

TEST(ModelSpec, ParsesNameAndParameters) {
    auto s = ModelSpec::parse("compact_cnn:layers=3,filters=32/64/64");
    EXPECT_EQ(s.architecture, "compact_cnn");
    EXPECT_EQ(s.number("layers", 0), 3.0);
    EXPECT_EQ(s.text("filters", ""), "32/64/64");
    EXPECT_EQ(ModelSpec::parse(s.toString()).params, s.params);
    EXPECT_THROW(ModelSpec::parse("compact_cnn:layers").params.size(), sonolab::Error);
    EXPECT_THROW(ModelSpec::parse("x:layers=abc").number("layers", 1), sonolab::Error);
}
