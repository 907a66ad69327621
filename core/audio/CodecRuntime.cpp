// The program's side of the codec runtime: load the module once, and the decoding functions that forward to it.
#include "core/audio/CodecRuntime.h"

#include "core/audio/Resample.h"
#include "core/util/RuntimeModule.h"

namespace sonolab::audio {

namespace {

[[noreturn]] void unavailable(const std::string& file, const std::string& why) { throw CodecRuntimeUnavailable(file, why); }

const CodecRuntime* load() {
    const RuntimeModuleSpec spec{.file = "libsonolab_codecs.so",
                                 .envVariable = "SONOLAB_CODEC_RUNTIME",
                                 .entryPoint = kCodecRuntimeEntryPoint,
                                 .name = "codec runtime",
                                 .dependency = "FFmpeg",
                                 .needs = "decoding audio needs"};
    const auto module = openRuntimeModule(spec, unavailable);
    const CodecRuntime* runtime = reinterpret_cast<CodecRuntimeEntryPoint>(module.entry)(codecRuntimeFingerprint());
    if (!runtime)
        unavailable(module.file.string(),
                    "was built from other sources than this program: reinstall Sonolab (or rebuild) so both match");
    return runtime;
}

OnceLoaded<CodecRuntime>& loader() {
    static OnceLoaded<CodecRuntime> instance;  // the process has one dynamic linker, so one loaded module
    return instance;
}

}  // namespace

const CodecRuntime& codecRuntime() { return loader().get(load); }

bool codecRuntimeLoaded() { return loader().loaded(); }

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
