// parseOnsets: annotation files from other tools (core/annotations/OnsetsFile.h).
#include "core/annotations/OnsetsFile.h"
#include "core/util/Error.h"
#include "fuzz/FuzzSupport.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        sonolab::annotations::parseOnsets(sonolab::fuzz::text(data, size), "track.onsets");
    } catch (const sonolab::Error&) {
    }
    return 0;
}
