// Audio decoding (FFmpeg behind core/audio): probe, then decode to mono 22050 Hz (resampler included) and a
// streaming decode of a span. The decoder takes a path, so each input is a file on tmpfs; FFmpeg picks the
// container from the bytes (the neutral extension hides nothing from it).
#include "core/audio/AudioDecoder.h"
#include "core/util/Error.h"
#include "fuzz/FuzzSupport.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sonolab;
    const auto file = fuzz::inputFile("input.audio", data, size);
    try {
        audio::probe(file);
    } catch (const Error&) {
    }
    try {
        audio::DecodeOptions options;
        options.sampleRate = 22050;
        audio::decode(file, options);
    } catch (const Error&) {
    }
    try {
        audio::DecodeOptions options;
        options.mono = false;
        options.startSeconds = 0.01;
        options.durationSeconds = 0.05;
        audio::decodeStreaming(file, options, [](std::span<const float>) { return true; });
    } catch (const Error&) {
    }
    return 0;
}
