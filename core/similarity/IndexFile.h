#pragma once
// The container both saved neighbour indexes use: an 8-byte magic, a few little-endian u64 header words, then the
// payload. One reader checks magic, header and the payload's claimed size against the file's real size before anything
// is allocated from it, so a damaged or hostile index file is refused with the file and the reason, never a huge
// allocation. The writer streams to a temporary file renamed into place when complete: a million-item graph (~0.7 GB)
// is written without a second copy of it in memory, and a killed save leaves the previous index.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <span>
#include <string>
#include <vector>

namespace sonolab::similarity {

using IndexMagic = char[8];

class IndexFileWriter {
public:
    IndexFileWriter(const std::filesystem::path& path, const IndexMagic& magic, std::span<const std::uint64_t> header);
    ~IndexFileWriter();  // removes the temporary file unless commit() ran
    IndexFileWriter(const IndexFileWriter&) = delete;
    IndexFileWriter& operator=(const IndexFileWriter&) = delete;

    void write(std::span<const std::byte> bytes);
    template <typename T>
    void writeValue(const T& value) {
        write(std::as_bytes(std::span(&value, 1)));
    }
    // Flushes and renames the file into place (AtomicFile).
    void commit();

private:
    std::filesystem::path path_, temporary_;
    std::ofstream out_;
    bool committed_ = false;
};

// Writes magic + header + the payload parts, in order, atomically.
void writeIndexFile(const std::filesystem::path& path, const IndexMagic& magic, std::span<const std::uint64_t> header,
                    std::initializer_list<std::span<const std::byte>> payload);

class IndexFileReader {
public:
    // Opens `path` and reads `headerWords` header words after checking the magic. `kind` names the index in errors
    // ("exact index", "HNSW index").
    IndexFileReader(const std::filesystem::path& path, const IndexMagic& magic, std::size_t headerWords,
                    std::string kind);

    const std::vector<std::uint64_t>& header() const { return header_; }
    const std::filesystem::path& path() const { return path_; }
    std::uintmax_t remaining() const { return remaining_; }
    // Throws "corrupt <kind> header" naming the file unless `ok`.
    void require(bool ok) const;
    // Reads `count` items, refusing (before allocating) a count the rest of the file cannot hold.
    template <typename T>
    std::vector<T> read(std::uint64_t count) {
        requireFits(count, sizeof(T));
        std::vector<T> out(count);
        readBytes(out.data(), count * sizeof(T));
        return out;
    }
    template <typename T>
    T readValue() {
        T value{};
        readInto(&value, sizeof value);
        return value;
    }
    // Reads straight into memory the caller owns (no intermediate copy), refusing a size the file cannot hold.
    void readInto(void* into, std::uint64_t bytes) {
        requireFits(bytes, 1);
        readBytes(into, std::size_t(bytes));
    }

private:
    void requireFits(std::uint64_t count, std::size_t itemBytes) const;
    void readBytes(void* into, std::size_t bytes);

    std::filesystem::path path_;
    std::string kind_;
    std::ifstream in_;
    std::uintmax_t remaining_ = 0;
    std::vector<std::uint64_t> header_;
};

}  // namespace sonolab::similarity
