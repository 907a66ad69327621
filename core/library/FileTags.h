#pragma once
// Title, artist, album and genre from a file's own metadata (ID3, Vorbis comments, ...) through TagLib.
#include <filesystem>
#include <string>

namespace sonolab::library {

struct FileTags {
    std::string title, artist, album, genre;
};

// Empty fields where the file has no tags, TagLib cannot read it, or Sonolab was built without TagLib. Never throws.
FileTags readFileTags(const std::filesystem::path& file);

}  // namespace sonolab::library
