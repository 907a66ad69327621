#include "core/audio/ffmpeg/Resampler.h"

#include "core/audio/ffmpeg/FfmpegHandles.h"
#include "core/util/Error.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libavutil/samplefmt.h>
}

#include <algorithm>
#include <cstring>

namespace sonolab::audio::ffmpeg {

void Resampler::SwrDeleter::operator()(SwrContext* s) const { swr_free(&s); }

Resampler::Resampler(int inChannels, int inSampleFormat, int inRate, int outChannels, int outRate)
    : inChannels_(inChannels), inFormat_(inSampleFormat), inRate_(inRate), outChannels_(outChannels),
      outRate_(outRate) {
    if (inChannels < 1 || inRate < 1 || outRate < 1 || (outChannels != 1 && outChannels != inChannels))
        throw Error("resampler", "unsupported conversion: " + std::to_string(inChannels) + " ch @ " +
                                     std::to_string(inRate) + " Hz -> " + std::to_string(outChannels) + " ch @ " +
                                     std::to_string(outRate) + " Hz");
    passthrough_ = inSampleFormat == AV_SAMPLE_FMT_FLT && outChannels == inChannels && inRate == outRate;
    if (passthrough_) return;

    // Default layouts on both sides: the mapping is either identity (same count) or our own mixdown matrix, so
    // which speaker each channel is does not matter here.
    AVChannelLayout inLayout{}, outLayout{};
    av_channel_layout_default(&inLayout, inChannels);
    av_channel_layout_default(&outLayout, outChannels);
    SwrContext* raw = nullptr;
    int rc = swr_alloc_set_opts2(&raw, &outLayout, AV_SAMPLE_FMT_FLT, outRate, &inLayout,
                                 static_cast<AVSampleFormat>(inSampleFormat), inRate, 0, nullptr);
    swr_.reset(raw);
    av_channel_layout_uninit(&inLayout);
    av_channel_layout_uninit(&outLayout);
    if (rc < 0 || !swr_) throw Error("resampler", "cannot configure libswresample: " + ff::errorString(rc));
    if (outChannels == 1 && inChannels > 1) {
        // A plain average, as MIR tools (librosa, torchaudio) mix down; FFmpeg's default would weigh L and R by
        // 1/sqrt(2) each and could clip.
        std::vector<double> matrix(static_cast<std::size_t>(inChannels), 1.0 / inChannels);
        rc = swr_set_matrix(swr_.get(), matrix.data(), inChannels);
        if (rc < 0) throw Error("resampler", "cannot set the mixdown matrix: " + ff::errorString(rc));
    }
    rc = swr_init(swr_.get());
    if (rc < 0) throw Error("resampler", "cannot start libswresample: " + ff::errorString(rc));
}

Resampler::~Resampler() = default;

void Resampler::convert(const std::uint8_t* const* data, int frames, std::vector<float>& out) {
    if (frames <= 0) return;
    framesIn_ += frames;
    if (passthrough_) {
        const auto* src = reinterpret_cast<const float*>(data[0]);
        out.insert(out.end(), src, src + std::size_t(frames) * std::size_t(inChannels_));
        framesOut_ += frames;
        return;
    }
    const int capacity = swr_get_out_samples(swr_.get(), frames);
    const std::size_t old = out.size();
    out.resize(old + std::size_t(std::max(capacity, 0)) * std::size_t(outChannels_));
    auto* dst = reinterpret_cast<std::uint8_t*>(out.data() + old);
    const int got = swr_convert(swr_.get(), &dst, capacity, const_cast<const std::uint8_t**>(data), frames);
    if (got < 0) {
        out.resize(old);
        throw Error("resampler", "conversion failed: " + ff::errorString(got));
    }
    out.resize(old + std::size_t(got) * std::size_t(outChannels_));
    framesOut_ += got;
}

void Resampler::flush(std::vector<float>& out) {
    const std::int64_t expected = (framesIn_ * outRate_ + inRate_ / 2) / inRate_;
    if (!passthrough_) {
        const int capacity = swr_get_out_samples(swr_.get(), 0) + 64;
        const std::size_t old = out.size();
        out.resize(old + std::size_t(capacity) * std::size_t(outChannels_));
        auto* dst = reinterpret_cast<std::uint8_t*>(out.data() + old);
        int got = swr_convert(swr_.get(), &dst, capacity, nullptr, 0);
        got = std::max(got, 0);
        // Trim what the filter tail adds beyond the exact length (frames already handed out cannot be taken back).
        const std::int64_t keep = std::clamp<std::int64_t>(expected - framesOut_, 0, got);
        out.resize(old + std::size_t(keep) * std::size_t(outChannels_));
        framesOut_ += keep;
    }
    if (framesOut_ < expected) {  // a filter that returned a few frames short: pad with silence to the exact length
        out.resize(out.size() + std::size_t(expected - framesOut_) * std::size_t(outChannels_), 0.0f);
        framesOut_ = expected;
    }
}

AudioBuffer resample(const AudioBuffer& in, int outRate, bool mono) {
    AudioBuffer result;
    result.sampleRate = outRate;
    result.channels = mono ? 1 : in.channels;
    if (in.channels < 1 || in.frames() == 0) return result;
    Resampler r(in.channels, AV_SAMPLE_FMT_FLT, in.sampleRate, result.channels, outRate);
    result.samples.reserve(std::size_t(double(in.frames()) * outRate / in.sampleRate + 64) * result.channels);
    // In slices so libswresample's internal buffers stay small.
    constexpr std::size_t kSlice = 1 << 16;
    for (std::size_t f = 0; f < in.frames(); f += kSlice) {
        const auto n = static_cast<int>(std::min(kSlice, in.frames() - f));
        const auto* p = reinterpret_cast<const std::uint8_t*>(in.samples.data() + f * std::size_t(in.channels));
        r.convert(&p, n, result.samples);
    }
    r.flush(result.samples);
    return result;
}

}  // namespace sonolab::audio::ffmpeg
