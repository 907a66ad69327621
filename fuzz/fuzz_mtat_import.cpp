// readMtat: MagnaTagAtune's annotations_final.csv (tab-separated, quoted, 0/1 tag columns).
#include "core/datasets/MtatImporter.h"
#include "core/util/Error.h"
#include "fuzz/FuzzSupport.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sonolab;
    const auto file = fuzz::inputFile("annotations_final.csv", data, size);
    datasets::MtatOptions options;
    options.audioRoot = "/nonexistent-audio";
    datasets::ImportReport report;
    try {
        datasets::readMtat(file, options, report);
    } catch (const Error&) {
    }
    return 0;
}
