#pragma once
// The codec runtime's FFmpeg decoder: what core/audio/AudioDecoder.h promises, implemented inside the module.
#include "core/audio/AudioDecoder.h"

namespace sonolab::audio::ffmpeg {

AudioInfo probe(const std::filesystem::path& file);
AudioBuffer decode(const std::filesystem::path& file, const DecodeOptions& options, const Progress* progress);
AudioInfo decodeStreaming(const std::filesystem::path& file, const DecodeOptions& options,
                          const std::function<bool(std::span<const float> interleaved)>& onChunk,
                          const Progress* progress);

}  // namespace sonolab::audio::ffmpeg
