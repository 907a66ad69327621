#pragma once
// A whole file mapped read-only, unmapped with its last owner; or, where the kernel refuses one more mapping (a
// process may hold only so many: vm.max_map_count), the file's bytes read into memory. Feature-cache entries
// (.npy, borrowed by matrices without a copy) and saved neighbour indexes are read through it.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

namespace sonolab {

struct MapOptions {
    // Pre-fault every page in the one mmap call (MAP_POPULATE): for a file that is searched at once (a reopened
    // HNSW graph). On a VM where each page fault is costly, touching 12 MB page by page took ~9 ms, populating 0.3 ms.
    bool populate = false;
};

class MappedFile {
public:
    MappedFile(const std::filesystem::path& path, MapOptions options = {});  // throws Error naming the file
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    std::span<const std::byte> bytes() const { return {data_, size_}; }
    std::size_t size() const { return size_; }

private:
    const std::byte* data_ = nullptr;
    std::size_t size_ = 0;
    void* mapping_ = nullptr;     // null when the bytes were read into copy_
    std::vector<std::byte> copy_;
};

std::shared_ptr<const MappedFile> mapFile(const std::filesystem::path& path, MapOptions options = {});

}  // namespace sonolab
