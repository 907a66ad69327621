// Inputs the annotation fuzz targets (fuzz/fuzz_*.cpp) once crashed on, kept in tests/data/fuzz-regressions/<target>/:
// each must be refused with a sonolab::Error naming the file, like any other malformed annotation file.
#include "core/annotations/AnnotationFile.h"
#include "core/util/Error.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

using namespace sonolab;
using namespace sonolab::annotations;

namespace {

void expectRefused(std::string_view target, Format format) {
    const auto inputs = test::fuzzRegressionInputs(target);
    ASSERT_FALSE(inputs.empty());
    for (const auto& file : inputs) {
        SCOPED_TRACE(file.string());
        try {
            readAnnotationFile(file, format);
            ADD_FAILURE() << "expected an error";
        } catch (const Error& e) {
            EXPECT_EQ(e.subject(), file.string());
        }
    }
}

}  // namespace

// A number beyond double ("888E988888") made nlohmann::json throw out_of_range past the reader.
TEST(FuzzRegressions, JamsNumberOverflowIsAnError) { expectRefused("jams", Format::Jams); }
