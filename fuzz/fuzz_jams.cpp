// parseJams: annotation files from other tools (core/annotations/Jams.h).
#include "core/annotations/Jams.h"
#include "core/util/Error.h"
#include "fuzz/FuzzSupport.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        sonolab::annotations::parseJams(sonolab::fuzz::text(data, size), "doc.jams");
    } catch (const sonolab::Error&) {
    }
    return 0;
}
