#include "core/similarity/IndexFile.h"

#include "core/util/AtomicFile.h"
#include "core/util/Error.h"

#include <cstring>

namespace sonolab::similarity {

IndexFileWriter::IndexFileWriter(const std::filesystem::path& path, const IndexMagic& magic,
                                 std::span<const std::uint64_t> header)
    : path_(path) {
    if (!path.parent_path().empty()) std::filesystem::create_directories(path.parent_path());
    temporary_ = temporaryPathFor(path);
    out_.open(temporary_, std::ios::binary | std::ios::trunc);
    if (!out_) throw fileError(path, "cannot write the index");
    write(std::as_bytes(std::span(magic)));
    write(std::as_bytes(header));
}

IndexFileWriter::~IndexFileWriter() {
    if (committed_) return;
    out_.close();
    std::error_code ec;
    std::filesystem::remove(temporary_, ec);
}

void IndexFileWriter::write(std::span<const std::byte> bytes) {
    out_.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    if (!out_) throw fileError(path_, "cannot write the index (disk full?)");
}

void IndexFileWriter::commit() {
    out_.close();
    if (!out_) throw fileError(path_, "cannot write the index (disk full?)");
    commitAtomically(temporary_, path_);
    committed_ = true;
}

void writeIndexFile(const std::filesystem::path& path, const IndexMagic& magic, std::span<const std::uint64_t> header,
                    std::initializer_list<std::span<const std::byte>> payload) {
    IndexFileWriter writer(path, magic, header);
    for (const auto& part : payload) writer.write(part);
    writer.commit();
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
