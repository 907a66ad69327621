#pragma once
// Decoding any file FFmpeg reads (mp3, ogg/vorbis, opus, flac, wav, aiff, m4a/aac, tracker modules .it/.s3m/.xm)
// into float samples, with optional mono mixdown and resampling (libswresample).
// All functions are reentrant: each call owns its FFmpeg handles, so several threads may decode at once.
// Bad input (missing, empty, not audio, unknown container, nothing decodable) throws sonolab::Error naming the file.
// A damaged or truncated stream decodes what is valid and stops there; it only throws if nothing at all decodes.
#include "core/audio/AudioBuffer.h"
#include "core/util/Progress.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>

namespace sonolab::audio {

struct AudioInfo {
    std::string container;        // FFmpeg's short demuxer name, e.g. "mp3", "ogg", "mov,mp4,m4a,3gp,3g2,mj2", "wav"
    std::string codec;            // e.g. "mp3float", "vorbis", "opus", "flac", "aac", "pcm_s16le"
    double durationSeconds = 0;   // frames / sampleRate when frames is known, else the container's estimate
    int sampleRate = 0;
    int channels = 0;
    std::int64_t frames = 0;      // probe(): estimated from the container's duration; decode: exact count produced
    std::int64_t bitRate = 0;     // bits per second, 0 when unknown
};

struct DecodeOptions {
    int sampleRate = 0;           // 0 = keep the file's rate
    bool mono = true;             // true = average all channels into one
    double startSeconds = 0;      // where to start (sample-accurate: decodes from a seek point and trims)
    double durationSeconds = -1;  // < 0 = to the end; the output then has exactly round(duration * rate) frames
                                  // unless the file ends first
};

// Reads only the headers (and, for formats without a known length, nothing more): fast enough for a file list.
AudioInfo probe(const std::filesystem::path& file);  // throws sonolab::Error

// Decodes the whole requested span into memory. progress (optional) gets done/total in seconds and is polled for cancel
// (throws sonolab::Cancelled).
AudioBuffer decode(const std::filesystem::path& file, const DecodeOptions& options = {}, const Progress* progress = nullptr);

// Streams successive interleaved chunks as they are decoded (long files: views fill in before the end).
// Each chunk holds whole frames of the output layout. onChunk may return false to stop early.
// Returns the AudioInfo of the output (rate/channels after conversion; frames = frames delivered).
// Called on the caller's thread; the span is valid only during the call.
AudioInfo decodeStreaming(const std::filesystem::path& file, const DecodeOptions& options,
                          const std::function<bool(std::span<const float> interleaved)>& onChunk,
                          const Progress* progress = nullptr);

}  // namespace sonolab::audio
