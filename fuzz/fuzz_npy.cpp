// readNpy: .npy files from elsewhere (standardization statistics, exchanged features).
#include "core/util/Error.h"
#include "core/util/Npy.h"
#include "fuzz/FuzzSupport.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto file = sonolab::fuzz::inputFile("input.npy", data, size);
    try {
        sonolab::readNpy(file);
    } catch (const sonolab::Error&) {
    }
    return 0;
}
