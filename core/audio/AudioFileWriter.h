#pragma once
// Writing decoded audio to disk with libsndfile; the format follows the extension.
#include "core/audio/AudioBuffer.h"

#include <filesystem>

namespace sonolab::audio {

// .wav (16-bit PCM, or 32-bit float when float32 is true), .flac (16-bit), .aif/.aiff (16-bit).
// Throws sonolab::Error naming the file for an unknown extension or a write failure.
void writeAudioFile(const std::filesystem::path& file, const AudioBuffer& buffer, bool float32 = false);

// Reads WAV/FLAC/AIFF (anything libsndfile reads) without FFmpeg: interleaved float, the file's rate and channels.
AudioBuffer readAudioFileSndfile(const std::filesystem::path& file);

}  // namespace sonolab::audio
