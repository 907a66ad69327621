#include "core/similarity/IndexFile.h"

#include "core/util/AtomicFile.h"
#include "core/util/Error.h"

#include <cstring>

namespace sonolab::similarity {

void writeIndexFile(const std::filesystem::path& path, const IndexMagic& magic, std::span<const std::uint64_t> header,
                    std::initializer_list<std::span<const std::byte>> payload) {
    std::size_t total = sizeof(IndexMagic) + header.size_bytes();
    for (const auto& part : payload) total += part.size();
    std::vector<std::byte> bytes;
    bytes.reserve(total);
    auto put = [&](std::span<const std::byte> part) { bytes.insert(bytes.end(), part.begin(), part.end()); };
    put(std::as_bytes(std::span(magic)));
    put(std::as_bytes(header));
    for (const auto& part : payload) put(part);
    writeFileAtomically(path, bytes);
}

IndexFileReader::IndexFileReader(const std::filesystem::path& path, const IndexMagic& magic, std::size_t headerWords,
                                 std::string kind)
    : path_(path), kind_(std::move(kind)), in_(path, std::ios::binary), header_(headerWords) {
    if (!in_) throw fileError(path, "cannot open the index");
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    const auto headerBytes = sizeof(IndexMagic) + headerWords * sizeof(std::uint64_t);
    char found[sizeof(IndexMagic)];
    if (ec || size < headerBytes || !in_.read(found, sizeof found) || std::memcmp(found, magic, sizeof found) != 0 ||
        !in_.read(reinterpret_cast<char*>(header_.data()), std::streamsize(headerWords * sizeof(std::uint64_t))))
        throw fileError(path, "not an " + kind_ + " written by Sonolab");
    remaining_ = size - headerBytes;
}

void IndexFileReader::require(bool ok) const {
    if (!ok) throw fileError(path_, "corrupt " + kind_ + " header");
}

void IndexFileReader::requireFits(std::uint64_t count, std::size_t itemBytes) const {
    if (itemBytes != 0 && count > remaining_ / itemBytes) throw fileError(path_, "the " + kind_ + " is truncated");
}

void IndexFileReader::readBytes(void* into, std::size_t bytes) {
    if (!in_.read(static_cast<char*>(into), std::streamsize(bytes))) throw fileError(path_, "the " + kind_ + " is truncated");
    remaining_ -= bytes;
}

}  // namespace sonolab::similarity
