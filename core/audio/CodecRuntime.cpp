// The program's side of the codec runtime: load the module once, and the decoding functions that forward to it.
#include "core/audio/CodecRuntime.h"

#include "core/audio/Resample.h"
#include "core/util/RuntimeModule.h"

namespace sonolab::audio {

namespace {

RuntimeModule<CodecRuntime, CodecRuntimeUnavailable>& runtimeModule() {
    // The process has one dynamic linker, so one loaded module.
    static RuntimeModule<CodecRuntime, CodecRuntimeUnavailable> instance(
        {.file = "libsonolab_codecs.so",
         .envVariable = "SONOLAB_CODEC_RUNTIME",
         .entryPoint = kCodecRuntimeEntryPoint,
         .name = "codec runtime",
         .dependency = "FFmpeg",
         .needs = "decoding audio needs"},
        codecRuntimeFingerprint());
    return instance;
}

}  // namespace

const CodecRuntime& codecRuntime() { return runtimeModule().get(); }

bool codecRuntimeLoaded() { return runtimeModule().loaded(); }

AudioInfo probe(const std::filesystem::path& file) { return codecRuntime().probe(file); }

AudioBuffer decode(const std::filesystem::path& file, const DecodeOptions& options, const Progress* progress) {
    return codecRuntime().decode(file, options, progress);
}

AudioInfo decodeStreaming(const std::filesystem::path& file, const DecodeOptions& options,
                          const std::function<bool(std::span<const float>)>& onChunk, const Progress* progress) {
    return codecRuntime().decodeStreaming(file, options, onChunk, progress);
}

AudioBuffer resample(const AudioBuffer& in, int outRate, bool mono) { return codecRuntime().resample(in, outRate, mono); }

}  // namespace sonolab::audio
