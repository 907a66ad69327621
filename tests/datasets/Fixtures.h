#pragma once
// Real audio files for importer tests: short MP3s encoded by ffmpeg (WAV when ffmpeg is missing).
#include "support/TestSupport.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace sonolab::test {

inline bool haveFfmpeg() {
    static const bool have = haveProgram("ffmpeg");
    return have;
}

// Writes a 0.3 s tone at path (its folders created). MP3 if the name ends in .mp3 and ffmpeg exists, else WAV bytes.
inline void writeClip(const std::filesystem::path& path, double frequency) {
    std::filesystem::create_directories(path.parent_path());
    if (path.extension() == ".mp3" && haveFfmpeg()) {
        // Encoding costs an ffmpeg start-up; each tone is encoded once per test run and copied after that.
        // Kept across test processes (CTest runs each test alone); written under a unique name, then renamed.
        static const auto cache = freshDir("clip_cache_scratch").parent_path() / "clip_cache_v1";
        std::filesystem::create_directories(cache);
        const auto cached = cache / (std::to_string(static_cast<int>(frequency)) + ".mp3");
        if (!std::filesystem::exists(cached)) {
            const auto unique = cache / (std::to_string(::getpid()) + "-" + std::to_string(static_cast<int>(frequency)));
            writeWav16(unique.string() + ".wav", sine(frequency, 0.3, 16000), 16000);
            run("ffmpeg -v error -y -i '" + unique.string() + ".wav' -c:a libmp3lame -b:a 32k '" + unique.string() +
                ".mp3'");
            std::filesystem::remove(unique.string() + ".wav");
            std::filesystem::rename(unique.string() + ".mp3", cached);
        }
        std::filesystem::copy_file(cached, path, std::filesystem::copy_options::overwrite_existing);
    } else {
        writeWav16(path, sine(frequency, 0.3, 16000), 16000);
    }
}

inline std::string clipExtension() { return haveFfmpeg() ? ".mp3" : ".wav"; }

inline void writeText(const std::filesystem::path& path, const std::string& text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

}  // namespace sonolab::test
