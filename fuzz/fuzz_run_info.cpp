// readSavedModelInfo: a run folder from elsewhere is data (issue 15, "Untrusted files"). The input is model.txt,
// optionally followed by a line "#standardization.npy" and the bytes of standardization.npy.
#include "core/ml/SavedModel.h"
#include "core/util/Error.h"
#include "fuzz/FuzzSupport.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sonolab;
    const auto run = fuzz::scratchFolder() / "run";
    std::filesystem::create_directories(run);
    const std::string_view input = fuzz::text(data, size);
    constexpr std::string_view separator = "\n#standardization.npy\n";
    const auto split = input.find(separator);
    const std::string_view info = input.substr(0, split);
    fuzz::writeBytes(run / "model.txt", data, info.size());
    std::filesystem::remove(run / "standardization.npy");
    if (split != std::string_view::npos) {
        const std::size_t at = split + separator.size();
        fuzz::writeBytes(run / "standardization.npy", data + at, size - at);
    }
    try {
        ml::readSavedModelInfo(run);
    } catch (const Error&) {
    }
    return 0;
}
