#pragma once
// FFmpeg is loaded only by the work that decodes. Debian's libavcodec brings about a hundred libraries with it
// (every encoder FFmpeg was built with) and costs ~0.09 s of CPU before main() on a 2-core machine, so decoding and
// resampling live in the codec runtime module (libsonolab_codecs.so, built from core/audio/ffmpeg/), loaded with
// dlopen on first use (core/util/RuntimeModule.h). The app paints its window first and loads it on the worker
// thread that opens the file.
//
// The interface below is what the module implements. To decode, use AudioDecoder.h and Resample.h, whose functions
// forward here; outside core/audio only codecRuntime() itself is called, to load the module ahead of use (the app).
#include "core/audio/AudioBuffer.h"
#include "core/audio/AudioDecoder.h"
#include "core/util/Error.h"
#include "core/util/RuntimeModule.h"

#include <cstdint>

namespace sonolab::audio {

// Each call owns its FFmpeg handles: every method may be called from several threads at once.
class CodecRuntime {
public:
    virtual ~CodecRuntime() = default;
    virtual AudioInfo probe(const std::filesystem::path& file) const = 0;
    virtual AudioBuffer decode(const std::filesystem::path& file, const DecodeOptions& options,
                               const Progress* progress) const = 0;
    virtual AudioInfo decodeStreaming(const std::filesystem::path& file, const DecodeOptions& options,
                                      const std::function<bool(std::span<const float>)>& onChunk,
                                      const Progress* progress) const = 0;
    virtual AudioBuffer resample(const AudioBuffer& in, int outRate, bool mono) const = 0;
};

// Thrown when the module or FFmpeg cannot be loaded: its message is the one sentence a user sees.
class CodecRuntimeUnavailable : public Error {
public:
    using Error::Error;
};

// The module, loaded on the first call from any thread (later calls return at once). Throws CodecRuntimeUnavailable.
const CodecRuntime& codecRuntime();
// Whether codecRuntime() has loaded already (nothing is loaded by asking).
bool codecRuntimeLoaded();

// Both sides of the handshake compute this (inline, so the module needs only sonolab_base): a module built from
// other sources is refused. Bumped by hand when CodecRuntime changes; the sizes catch a struct that changed without it.
inline std::uint64_t codecRuntimeFingerprint() {
    constexpr std::uint64_t kInterfaceVersion = 1;
    return interfaceFingerprint(kInterfaceVersion, {sizeof(AudioInfo), sizeof(DecodeOptions), sizeof(AudioBuffer),
                                                    sizeof(Progress), sizeof(Error)});
}
inline constexpr const char* kCodecRuntimeEntryPoint = "sonolab_codec_runtime";
using CodecRuntimeEntryPoint = const CodecRuntime* (*)(std::uint64_t fingerprint);

}  // namespace sonolab::audio
