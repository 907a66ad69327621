// readCsvLabels: a generic CSV/TSV of labels as published by data sets (header detection, label and tag columns).
#include "core/datasets/CsvImporter.h"
#include "core/util/Error.h"
#include "fuzz/FuzzSupport.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sonolab;
    const auto file = fuzz::inputFile("labels.csv", data, size);
    datasets::CsvOptions options;
    options.audioRoot = "/nonexistent-audio";  // paths are only parsed, never opened
    datasets::ImportReport report;
    try {
        datasets::readCsvLabels(file, options, report);
    } catch (const Error&) {
    }
    return 0;
}
