#pragma once
// Shared by the fuzz targets: inputs become files (most readers take a path) in a folder of this process on tmpfs,
// and only sonolab::Error counts as a clean rejection; any other exception escapes to libFuzzer, which reports it.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace sonolab::fuzz {

// One folder per process (tmpfs when there is one), made on first use: parallel fuzzer jobs never share files.
inline const std::filesystem::path& scratchFolder() {
    static const std::filesystem::path folder = [] {
        const std::filesystem::path base = std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
        auto dir = base / ("sonolab-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        return dir;
    }();
    return folder;
}

inline void writeBytes(const std::filesystem::path& file, const std::uint8_t* data, std::size_t size) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
}

// The input as a file called `name` in the scratch folder.
inline std::filesystem::path inputFile(const std::string& name, const std::uint8_t* data, std::size_t size) {
    auto file = scratchFolder() / name;
    writeBytes(file, data, size);
    return file;
}

inline std::string_view text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

}  // namespace sonolab::fuzz
