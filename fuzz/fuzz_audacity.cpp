// parseAudacityLabels: annotation files from other tools (core/annotations/AudacityLabels.h).
#include "core/annotations/AudacityLabels.h"
#include "core/util/Error.h"
#include "fuzz/FuzzSupport.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        sonolab::annotations::parseAudacityLabels(sonolab::fuzz::text(data, size), "labels.txt");
    } catch (const sonolab::Error&) {
    }
    return 0;
}
