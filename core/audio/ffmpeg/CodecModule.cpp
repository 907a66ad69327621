// The codec runtime module's entry point (libsonolab_codecs.so): the one exported symbol, which hands the program
// the CodecRuntime implemented by FFmpeg here (core/audio/CodecRuntime.h).
#include "core/audio/CodecRuntime.h"
#include "core/audio/ffmpeg/FfmpegDecoder.h"
#include "core/audio/ffmpeg/Resampler.h"

namespace sonolab::audio::ffmpeg {
namespace {

class FfmpegRuntime final : public CodecRuntime {
public:
    AudioInfo probe(const std::filesystem::path& file) const override { return ffmpeg::probe(file); }
    AudioBuffer decode(const std::filesystem::path& file, const DecodeOptions& options,
                       const Progress* progress) const override {
        return ffmpeg::decode(file, options, progress);
    }
    AudioInfo decodeStreaming(const std::filesystem::path& file, const DecodeOptions& options,
                              const std::function<bool(std::span<const float>)>& onChunk,
                              const Progress* progress) const override {
        return ffmpeg::decodeStreaming(file, options, onChunk, progress);
    }
    AudioBuffer resample(const AudioBuffer& in, int outRate, bool mono) const override {
        return ffmpeg::resample(in, outRate, mono);
    }
};

}  // namespace
}  // namespace sonolab::audio::ffmpeg

// Returns nullptr when the program was built from other sources (the loader then refuses the module by name).
extern "C" __attribute__((visibility("default"))) const sonolab::audio::CodecRuntime*
sonolab_codec_runtime(std::uint64_t fingerprint) {
    static const sonolab::audio::ffmpeg::FfmpegRuntime runtime;
    return fingerprint == sonolab::audio::codecRuntimeFingerprint() ? &runtime : nullptr;
}
