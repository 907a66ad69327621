// FFmpeg decoding: demux (libavformat), decode (libavcodec), then mixdown/resample to interleaved float (Resampler).
#include "core/audio/ffmpeg/FfmpegDecoder.h"

#include "core/audio/ffmpeg/FfmpegHandles.h"
#include "core/audio/ffmpeg/Resampler.h"
#include "core/util/Error.h"

extern "C" {
#include <libavutil/log.h>
}

#include <algorithm>
#include <cmath>
#include <optional>
#include <system_error>
#include <vector>

namespace sonolab::audio::ffmpeg {
namespace {

// Output frames per onChunk call: small enough that views fill in smoothly, large enough that the callback cost
// disappears next to decoding.
constexpr std::size_t kChunkFrames = 32768;

void quietFfmpeg() {
    // FFmpeg logs every damaged frame to stderr; our errors say what matters. av_log_set_level is idempotent.
    av_log_set_level(AV_LOG_FATAL);
}

void checkFile(const std::filesystem::path& file) {
    std::error_code ec;
    auto status = std::filesystem::status(file, ec);
    if (ec || !std::filesystem::exists(status)) throw fileError(file, "no such file");
    if (std::filesystem::is_directory(status)) throw fileError(file, "is a folder, not an audio file");
    auto size = std::filesystem::file_size(file, ec);
    if (!ec && size == 0) throw fileError(file, "the file is empty (0 bytes)");
}

// One open file with its best audio stream and a ready decoder.
struct OpenFile {
    ff::FormatPtr format;
    ff::CodecPtr codec;
    AVStream* stream = nullptr;
    int streamIndex = -1;

    double durationSeconds() const {
        if (stream->duration != AV_NOPTS_VALUE && stream->duration > 0)
            return double(stream->duration) * av_q2d(stream->time_base);
        if (format->duration != AV_NOPTS_VALUE && format->duration > 0) return double(format->duration) / AV_TIME_BASE;
        return 0;
    }
    std::int64_t startPts() const { return stream->start_time != AV_NOPTS_VALUE ? stream->start_time : 0; }
};

OpenFile openFile(const std::filesystem::path& file) {
    quietFfmpeg();
    checkFile(file);
    OpenFile f;
    AVFormatContext* raw = nullptr;
    // Paths are bytes on Linux: a UTF-8 (non-ASCII) path opens as is.
    int rc = avformat_open_input(&raw, file.c_str(), nullptr, nullptr);
    if (rc < 0) {
        // FFmpeg says EINVAL when no demuxer claims the data (e.g. text renamed .mp3), INVALIDDATA when one does
        // and then fails on it: for a user both mean the same.
        if (rc == AVERROR_INVALIDDATA || rc == AVERROR(EINVAL))
            throw fileError(file, "not a recognised audio file (unknown container or not audio data)");
        throw fileError(file, "cannot read: " + ff::errorString(rc));
    }
    f.format.reset(raw);
    rc = avformat_find_stream_info(f.format.get(), nullptr);
    if (rc < 0) throw fileError(file, "cannot read the stream information: " + ff::errorString(rc));
    f.streamIndex = av_find_best_stream(f.format.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
    if (f.streamIndex < 0) throw fileError(file, "contains no audio stream");
    f.stream = f.format->streams[f.streamIndex];
    // Only the audio stream's packets are needed; the demuxer can skip the rest (cover art, video).
    for (unsigned i = 0; i < f.format->nb_streams; ++i)
        if (int(i) != f.streamIndex) f.format->streams[i]->discard = AVDISCARD_ALL;

    const AVCodecParameters* par = f.stream->codecpar;
    const AVCodec* decoder = avcodec_find_decoder(par->codec_id);
    if (!decoder) throw fileError(file, std::string("no decoder for the codec '") + avcodec_get_name(par->codec_id) + "'");
    f.codec.reset(avcodec_alloc_context3(decoder));
    if (!f.codec) throw fileError(file, "out of memory opening the decoder");
    rc = avcodec_parameters_to_context(f.codec.get(), par);
    if (rc < 0) throw fileError(file, "bad codec parameters: " + ff::errorString(rc));
    f.codec->pkt_timebase = f.stream->time_base;
    f.codec->thread_count = 1;  // callers parallelise over files; audio decoders gain little from threads
    rc = avcodec_open2(f.codec.get(), decoder, nullptr);
    if (rc < 0) throw fileError(file, std::string("cannot open the ") + decoder->name + " decoder: " + ff::errorString(rc));
    return f;
}

// Pulls decoded frames out of an OpenFile, tolerating damaged packets: the valid part of a truncated or partly
// corrupt stream decodes, and decoding just ends where the data does.
class FrameReader {
public:
    explicit FrameReader(OpenFile& f) : f_(f), packet_(av_packet_alloc()), frame_(av_frame_alloc()) {
        if (!packet_ || !frame_) throw std::bad_alloc();
    }

    // The next decoded frame, or nullptr at the end of the stream.
    AVFrame* next() {
        for (;;) {
            av_frame_unref(frame_.get());
            int rc = avcodec_receive_frame(f_.codec.get(), frame_.get());
            if (rc == 0) return frame_.get();
            if (rc == AVERROR_EOF) return nullptr;
            if (rc != AVERROR(EAGAIN)) {  // a decoder error on a frame: skip it, keep going
                ++errors_;
                if (errors_ > kMaxErrors) return nullptr;
                continue;
            }
            if (flushed_) return nullptr;
            feed();
        }
    }
    int errors() const { return errors_; }
    double secondsRead() const { return secondsRead_; }

private:
    static constexpr int kMaxErrors = 1000;

    void feed() {
        for (;;) {
            int rc = av_read_frame(f_.format.get(), packet_.get());
            if (rc < 0) {  // end of file, or a read error (truncated file): drain the decoder either way
                avcodec_send_packet(f_.codec.get(), nullptr);
                flushed_ = true;
                return;
            }
            if (packet_->stream_index != f_.streamIndex) {
                av_packet_unref(packet_.get());
                continue;
            }
            if (packet_->pts != AV_NOPTS_VALUE)
                secondsRead_ = double(packet_->pts - f_.startPts()) * av_q2d(f_.stream->time_base);
            rc = avcodec_send_packet(f_.codec.get(), packet_.get());
            av_packet_unref(packet_.get());
            if (rc < 0 && rc != AVERROR(EAGAIN)) {  // a corrupt packet: skip it
                if (++errors_ > kMaxErrors) {
                    avcodec_send_packet(f_.codec.get(), nullptr);
                    flushed_ = true;
                }
                return;
            }
            return;
        }
    }

    OpenFile& f_;
    ff::PacketPtr packet_;
    ff::FramePtr frame_;
    bool flushed_ = false;
    int errors_ = 0;
    double secondsRead_ = 0;
};

// Pointers to the frame's samples starting `skip` frames in (planar: one per channel, packed: one).
std::vector<const std::uint8_t*> samplePointers(const AVFrame* frame, int skip) {
    const auto fmt = static_cast<AVSampleFormat>(frame->format);
    const int channels = frame->ch_layout.nb_channels;
    const int bytes = av_get_bytes_per_sample(fmt);
    const bool planar = av_sample_fmt_is_planar(fmt);
    std::vector<const std::uint8_t*> ptrs(planar ? channels : 1);
    for (std::size_t i = 0; i < ptrs.size(); ++i)
        ptrs[i] = frame->extended_data[i] + std::size_t(skip) * bytes * (planar ? 1 : channels);
    return ptrs;
}

AudioInfo baseInfo(const OpenFile& f) {
    AudioInfo info;
    info.container = f.format->iformat->name;
    info.codec = avcodec_get_name(f.stream->codecpar->codec_id);
    info.sampleRate = f.stream->codecpar->sample_rate;
    info.channels = f.stream->codecpar->ch_layout.nb_channels;
    info.bitRate = f.stream->codecpar->bit_rate > 0 ? f.stream->codecpar->bit_rate : f.format->bit_rate;
    if (info.bitRate < 0) info.bitRate = 0;
    info.durationSeconds = f.durationSeconds();
    return info;
}

}  // namespace

AudioInfo probe(const std::filesystem::path& file) {
    OpenFile f = openFile(file);
    AudioInfo info = baseInfo(f);
    // Headers can be fooled (a text file renamed .mp3 may pass the mp3 probe): insist on one decodable frame.
    FrameReader reader(f);
    AVFrame* frame = reader.next();
    if (!frame) throw fileError(file, "no audio could be decoded (corrupt file, or not audio)");
    if (info.sampleRate <= 0) info.sampleRate = frame->sample_rate;
    if (info.channels <= 0) info.channels = frame->ch_layout.nb_channels;
    info.frames = info.sampleRate > 0 ? std::llround(info.durationSeconds * info.sampleRate) : 0;
    return info;
}

namespace {

// onStart (optional) learns the output layout and the expected number of output frames before the first chunk.
AudioInfo decodeImpl(const std::filesystem::path& file, const DecodeOptions& options,
                     const std::function<void(int channels, std::int64_t expectedFrames)>& onStart,
                     const std::function<bool(std::span<const float>)>& onChunk, const Progress* progress) {
    OpenFile f = openFile(file);
    AudioInfo info = baseInfo(f);
    const double total = info.durationSeconds;
    const double start = std::max(0.0, options.startSeconds);
    if (start > 0 && total > 0 && start >= total) {  // nothing to decode past the end; not an error
        info.sampleRate = options.sampleRate > 0 ? options.sampleRate : info.sampleRate;
        info.channels = options.mono ? 1 : info.channels;
        info.frames = 0;
        info.durationSeconds = 0;
        return info;
    }
    if (start > 0) {
        // Seek to a point at or before the start (keyframe); the frames before it are trimmed below, sample-exact.
        const auto ts = f.startPts() + static_cast<std::int64_t>(start / av_q2d(f.stream->time_base));
        if (av_seek_frame(f.format.get(), f.streamIndex, ts, AVSEEK_FLAG_BACKWARD) >= 0)
            avcodec_flush_buffers(f.codec.get());
    }

    FrameReader reader(f);
    std::optional<Resampler> resampler;
    std::vector<float> chunk;
    std::int64_t startSample = -1, endSample = -1;  // input-rate span wanted; set once the input rate is known
    std::int64_t outLimit = -1;                       // output frames wanted (duration given)
    std::int64_t delivered = 0;
    std::int64_t nextSample = 0;  // input sample index of the next frame when it carries no timestamp
    bool anyFrame = false, stopped = false, inputDone = false;
    int outChannels = 0, outRate = 0;

    // Hands complete chunks (or, at the end, everything) to the caller, never beyond outLimit.
    auto emit = [&](bool all) {
        const std::size_t frameCount = chunk.size() / std::size_t(outChannels);
        std::size_t begin = 0;
        while (!stopped && (frameCount - begin >= kChunkFrames || (all && begin < frameCount))) {
            std::size_t n = std::min(kChunkFrames, frameCount - begin);
            if (outLimit >= 0) n = std::size_t(std::min<std::int64_t>(std::int64_t(n), outLimit - delivered));
            if (n == 0) {
                stopped = true;
                break;
            }
            if (!onChunk(std::span<const float>(chunk.data() + begin * outChannels, n * outChannels))) stopped = true;
            delivered += std::int64_t(n);
            begin += n;
            if (outLimit >= 0 && delivered >= outLimit) stopped = true;
        }
        chunk.erase(chunk.begin(), chunk.begin() + std::ptrdiff_t(begin * outChannels));
    };

    while (!stopped && !inputDone) {
        if (progress) progress->throwIfCancelled();
        AVFrame* frame = reader.next();
        if (!frame) break;
        if (frame->nb_samples <= 0) continue;
        const int inRate = frame->sample_rate;
        const int inChannels = frame->ch_layout.nb_channels;
        if (!resampler) {
            anyFrame = true;
            outRate = options.sampleRate > 0 ? options.sampleRate : inRate;
            outChannels = options.mono ? 1 : inChannels;
            resampler.emplace(inChannels, frame->format, inRate, outChannels, outRate);
            startSample = std::llround(start * inRate);
            if (options.durationSeconds >= 0) {
                endSample = startSample + std::llround(options.durationSeconds * inRate);
                outLimit = std::llround(options.durationSeconds * outRate);
            }
            chunk.reserve((kChunkFrames + 8192) * std::size_t(outChannels));
            if (onStart) {
                double seconds = std::max(0.0, total - start);
                if (options.durationSeconds >= 0) seconds = std::min(seconds, options.durationSeconds);
                onStart(outChannels, std::llround(seconds * outRate));
            }
        } else if (frame->format != resampler->inSampleFormat() || inRate != resampler->inRate() ||
                   inChannels != resampler->inChannels()) {
            // The stream changed format midway (chained ogg, some radio rips): flush and continue converting.
            resampler->flush(chunk);
            resampler.emplace(inChannels, frame->format, inRate, outChannels, outRate);
        }

        std::int64_t first = nextSample;
        const std::int64_t pts = frame->best_effort_timestamp != AV_NOPTS_VALUE ? frame->best_effort_timestamp : frame->pts;
        if (pts != AV_NOPTS_VALUE && start > 0)
            first = av_rescale_q(pts - f.startPts(), f.stream->time_base, AVRational{1, inRate});
        nextSample = first + frame->nb_samples;

        int skip = 0, count = frame->nb_samples;
        if (first < startSample) skip = int(std::min<std::int64_t>(startSample - first, count));
        if (endSample >= 0 && first + count > endSample) {
            count = int(std::max<std::int64_t>(endSample - first, 0));
            inputDone = true;
        }
        if (count > skip) {
            auto ptrs = samplePointers(frame, skip);
            resampler->convert(ptrs.data(), count - skip, chunk);
            emit(false);
        }
        if (progress) (*progress)(std::min(reader.secondsRead(), total), total, "decoding");
    }
    if (!anyFrame) throw fileError(file, "no audio could be decoded (corrupt file, or not audio)");
    if (!stopped) {
        resampler->flush(chunk);
        emit(true);
    }
    info.sampleRate = outRate;
    info.channels = outChannels;
    info.frames = delivered;
    info.durationSeconds = outRate > 0 ? double(delivered) / outRate : 0;
    if (progress) (*progress)(total, total, "decoded");
    return info;
}

}  // namespace

AudioInfo decodeStreaming(const std::filesystem::path& file, const DecodeOptions& options,
                          const std::function<bool(std::span<const float>)>& onChunk, const Progress* progress) {
    return decodeImpl(file, options, nullptr, onChunk, progress);
}

// 20 minutes at 48 kHz: what decode() reserves at most before the samples arrive.
constexpr std::int64_t kMaxReservedFrames = std::int64_t(20) * 60 * 48000;

AudioBuffer decode(const std::filesystem::path& file, const DecodeOptions& options, const Progress* progress) {
    AudioBuffer buffer;
    AudioInfo info = decodeImpl(
        file, options,
        [&](int channels, std::int64_t expectedFrames) {
            // One allocation for the expected length plus slack (header durations can be estimates). The duration
            // is the file's claim, not a size (fuzz_audio_decode: a damaged header asked for 433 GB), so at most
            // kMaxReservedFrames are reserved; a longer file grows the buffer as it really decodes.
            const std::int64_t frames = std::clamp<std::int64_t>(expectedFrames, 0, kMaxReservedFrames);
            buffer.samples.reserve(std::size_t(frames + frames / 64 + 4096) * std::size_t(channels));
        },
        [&](std::span<const float> chunk) {
            buffer.samples.insert(buffer.samples.end(), chunk.begin(), chunk.end());
            return true;
        },
        progress);
    buffer.sampleRate = info.sampleRate;
    buffer.channels = info.channels;
    return buffer;
}

}  // namespace sonolab::audio::ffmpeg
