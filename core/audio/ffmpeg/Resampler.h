#pragma once
// Sample-format conversion, channel mixdown and sample-rate conversion with libswresample, to interleaved float.
// The output length is exact: after flush(), frames out == round(frames in * outRate / inRate).
#include "core/audio/AudioBuffer.h"

#include <cstdint>
#include <memory>
#include <vector>

struct SwrContext;

namespace sonolab::audio::ffmpeg {

class Resampler {
public:
    // inSampleFormat is an AVSampleFormat value (kept as int so this header needs no FFmpeg).
    // outChannels is 1 (mono mixdown: every input channel weighs 1/inChannels) or inChannels (layout kept).
    Resampler(int inChannels, int inSampleFormat, int inRate, int outChannels, int outRate);
    ~Resampler();
    Resampler(const Resampler&) = delete;
    Resampler& operator=(const Resampler&) = delete;

    // Converts `frames` input frames (data as in AVFrame::extended_data: one plane per channel when planar)
    // and appends interleaved float frames to out.
    void convert(const std::uint8_t* const* data, int frames, std::vector<float>& out);
    // Drains the filter's delay and pads or trims so the total equals round(framesIn * outRate / inRate).
    void flush(std::vector<float>& out);

    bool passthrough() const { return passthrough_; }
    int inChannels() const { return inChannels_; }
    int inSampleFormat() const { return inFormat_; }
    int inRate() const { return inRate_; }
    int outChannels() const { return outChannels_; }
    int outRate() const { return outRate_; }
    std::int64_t framesIn() const { return framesIn_; }
    std::int64_t framesOut() const { return framesOut_; }

private:
    struct SwrDeleter {
        void operator()(SwrContext* s) const;
    };
    std::unique_ptr<SwrContext, SwrDeleter> swr_;
    int inChannels_, inFormat_, inRate_, outChannels_, outRate_;
    bool passthrough_ = false;  // float interleaved in, same channels and rate: a copy is all it takes
    std::int64_t framesIn_ = 0;
    std::int64_t framesOut_ = 0;
};

// Converts an in-memory buffer to another rate and/or to mono (mono = true) in one go (core/audio/Resample.h).
AudioBuffer resample(const AudioBuffer& in, int outRate, bool mono = false);

}  // namespace sonolab::audio::ffmpeg
