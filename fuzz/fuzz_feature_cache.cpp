// The feature-cache entry reader: a damaged entry must be reported as missing (and removed), never crash.
#include "core/features/FeatureCache.h"
#include "core/util/Error.h"
#include "fuzz/FuzzSupport.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sonolab;
    const features::FeatureCache cache(fuzz::scratchFolder() / "cache");
    const auto spec = features::FeatureSpec::parse("logmel");
    const std::uint64_t hash = 42;
    const auto entry = cache.entryPath(hash, spec);
    std::filesystem::create_directories(entry.parent_path());
    fuzz::writeBytes(entry, data, size);
    if (auto matrix = cache.load(hash, spec)) {
        // Touch every value: the mapping must cover what the header claims.
        float sum = 0;
        for (float v : matrix->values()) sum += v;
        volatile float sink = sum;
        (void)sink;
    }
    return 0;
}
