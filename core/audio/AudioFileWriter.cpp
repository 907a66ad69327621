#include "core/audio/AudioFileWriter.h"

#include "core/util/Error.h"

#include <sndfile.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>

namespace sonolab::audio {
namespace {

struct SndfileCloser {
    void operator()(SNDFILE* f) const { sf_close(f); }
};
using SndfilePtr = std::unique_ptr<SNDFILE, SndfileCloser>;

std::string lowerExtension(const std::filesystem::path& file) {
    std::string ext = file.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return ext;
}

}  // namespace

void writeAudioFile(const std::filesystem::path& file, const AudioBuffer& buffer, bool float32) {
    const std::string ext = lowerExtension(file);
    int format = 0;
    if (ext == ".wav") format = SF_FORMAT_WAV | (float32 ? SF_FORMAT_FLOAT : SF_FORMAT_PCM_16);
    else if (ext == ".flac") format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
    else if (ext == ".aif" || ext == ".aiff") format = SF_FORMAT_AIFF | (float32 ? SF_FORMAT_FLOAT : SF_FORMAT_PCM_16);
    else throw fileError(file, "cannot write '" + ext + "' files (use .wav, .flac or .aiff)");
    if (buffer.channels < 1 || buffer.sampleRate < 1) throw fileError(file, "nothing to write: the buffer has no format");

    SF_INFO info{};
    info.samplerate = buffer.sampleRate;
    info.channels = buffer.channels;
    info.format = format;
    if (!sf_format_check(&info))
        throw fileError(file, "libsndfile cannot write " + std::to_string(buffer.channels) + " channels at " +
                                  std::to_string(buffer.sampleRate) + " Hz in this format");
    SndfilePtr out(sf_open(file.c_str(), SFM_WRITE, &info));
    if (!out) throw fileError(file, std::string("cannot create: ") + sf_strerror(nullptr));
    // Clip instead of wrapping when floats beyond [-1, 1] are written as integers.
    sf_command(out.get(), SFC_SET_CLIPPING, nullptr, SF_TRUE);
    const auto frames = static_cast<sf_count_t>(buffer.frames());
    if (sf_writef_float(out.get(), buffer.samples.data(), frames) != frames)
        throw fileError(file, std::string("write failed: ") + sf_strerror(out.get()));
    if (sf_close(out.release()) != 0) throw fileError(file, "write failed while closing the file");
}

AudioBuffer readAudioFileSndfile(const std::filesystem::path& file) {
    SF_INFO info{};
    SndfilePtr in(sf_open(file.c_str(), SFM_READ, &info));
    if (!in) throw fileError(file, std::string("cannot read: ") + sf_strerror(nullptr));
    AudioBuffer buffer;
    buffer.sampleRate = info.samplerate;
    buffer.channels = info.channels;
    buffer.samples.resize(std::size_t(info.frames) * std::size_t(info.channels));
    const sf_count_t got = sf_readf_float(in.get(), buffer.samples.data(), info.frames);
    buffer.samples.resize(std::size_t(std::max<sf_count_t>(got, 0)) * std::size_t(info.channels));
    return buffer;
}

}  // namespace sonolab::audio
