// parseSvCsv: annotation files from other tools (core/annotations/SvCsv.h).
#include "core/annotations/SvCsv.h"
#include "core/util/Error.h"
#include "fuzz/FuzzSupport.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        sonolab::annotations::parseSvCsv(sonolab::fuzz::text(data, size), "layer.csv");
    } catch (const sonolab::Error&) {
    }
    return 0;
}
