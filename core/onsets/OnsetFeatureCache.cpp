#include "core/onsets/OnsetFeatureCache.h"

#include "core/audio/AudioDecoder.h"
#include "core/util/Error.h"
#include "core/util/Npy.h"

#include <cstdint>
#include <sstream>

namespace fs = std::filesystem;

namespace sonolab::onsets {
namespace {

std::uint64_t fnv1a(const std::string& s) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

std::string hex(std::uint64_t v) {
    std::ostringstream o;
    o << std::hex << v;
    return o.str();
}

}  // namespace

OnsetFeatureCache::OnsetFeatureCache(fs::path cacheDir, RnnOnsetFeatureParams params)
    : dir_(std::move(cacheDir)), params_(std::move(params)) {
    std::ostringstream key;
    const auto& s = params_.spectrogram;
    key << "v1 sr=" << s.sampleRate << " fps=" << s.fps << " fmin=" << s.fmin << " fmax=" << s.fmax
        << " mul=" << s.logMul << " add=" << s.logAdd << " ratio=" << s.diffRatio;
    for (std::size_t i = 0; i < params_.frameSizes.size(); ++i)
        key << " " << params_.frameSizes[i] << "/" << (i < params_.bandsPerOctave.size() ? params_.bandsPerOctave[i] : 0);
    paramsKey_ = key.str();
}

fs::path OnsetFeatureCache::cachePathFor(const fs::path& audioFile) const {
    if (dir_.empty()) return {};
    std::error_code ec;
    const auto size = fs::file_size(audioFile, ec);
    const auto time = fs::last_write_time(audioFile, ec).time_since_epoch().count();
    const std::string id = fs::absolute(audioFile).lexically_normal().string() + "|" + std::to_string(size) + "|" +
                           std::to_string(time) + "|" + paramsKey_;
    return dir_ / (audioFile.stem().string() + "-" + hex(fnv1a(id)) + ".npy");
}

Matrix OnsetFeatureCache::features(const fs::path& audioFile, const Progress* progress) const {
    const fs::path cached = cachePathFor(audioFile);
    if (!cached.empty() && fs::exists(cached)) {
        try {
            Matrix m = mapNpy(cached, Layout::FramesByBins);
            if (m.npyShape().size() == 2) return m;
        } catch (const Error&) {
            // a damaged cache entry is recomputed below
        }
    }
    const auto audio = audio::decode(audioFile, {.sampleRate = params_.spectrogram.sampleRate, .mono = true}, progress);
    Matrix m = rnnOnsetFeatures(audio.samples, params_);
    if (!cached.empty()) {
        fs::create_directories(dir_);
        writeNpy(cached, m);
    }
    return m;
}

}  // namespace sonolab::onsets
