#include "core/util/MappedFile.h"

#include "core/util/Error.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace sonolab {

namespace {

struct Descriptor {
    int fd = -1;
    ~Descriptor() {
        if (fd >= 0) ::close(fd);  // a mapping outlives its descriptor
    }
};

void readWhole(int fd, std::vector<std::byte>& out, const std::filesystem::path& path) {
    std::size_t done = 0;
    while (done < out.size()) {
        const ssize_t n = ::pread(fd, out.data() + done, out.size() - done, off_t(done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw fileError(path, std::string("cannot read file: ") + std::strerror(errno));
        if (n == 0) throw fileError(path, "file ended while it was being read");
        done += std::size_t(n);
    }
}

}  // namespace

MappedFile::MappedFile(const std::filesystem::path& path, MapOptions options) {
    const Descriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (file.fd < 0) throw fileError(path, std::string("cannot open file: ") + std::strerror(errno));
    struct stat st {};
    if (::fstat(file.fd, &st) != 0) throw fileError(path, "cannot stat file");
    size_ = static_cast<std::size_t>(st.st_size);
    if (size_ == 0) return;  // nothing to map (mmap refuses a zero length)
    const int flags = MAP_PRIVATE | (options.populate ? MAP_POPULATE : 0);
    void* address = ::mmap(nullptr, size_, PROT_READ, flags, file.fd, 0);
    if (address != MAP_FAILED) {
        mapping_ = address;
        data_ = static_cast<const std::byte*>(address);
        return;
    }
    copy_.resize(size_);
    readWhole(file.fd, copy_, path);
    data_ = copy_.data();
}

MappedFile::~MappedFile() {
    if (mapping_) ::munmap(mapping_, size_);
}

std::shared_ptr<const MappedFile> mapFile(const std::filesystem::path& path, MapOptions options) {
    return std::make_shared<const MappedFile>(path, options);
}

}  // namespace sonolab
