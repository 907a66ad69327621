#pragma once
// Sample-rate conversion and mono mixdown of a buffer in memory (libswresample, in the codec runtime module).
// The output length is exact: round(frames in * outRate / inRate).
#include "core/audio/AudioBuffer.h"

namespace sonolab::audio {

// mono = true averages all channels into one. Throws sonolab::Error for an unsupported conversion, and
// CodecRuntimeUnavailable when FFmpeg cannot be loaded.
AudioBuffer resample(const AudioBuffer& in, int outRate, bool mono = false);

}  // namespace sonolab::audio
