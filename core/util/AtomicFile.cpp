#include "core/util/AtomicFile.h"

#include "core/util/Error.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <random>

namespace sonolab {
namespace {

struct FileDescriptor {
    int fd = -1;
    ~FileDescriptor() {
        if (fd >= 0) ::close(fd);
    }
};

std::string systemError() { return std::strerror(errno); }

void fsyncDirectory(const std::filesystem::path& dir) {
    FileDescriptor d{::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY)};
    if (d.fd >= 0) ::fsync(d.fd);
}

}  // namespace

std::filesystem::path temporaryPathFor(const std::filesystem::path& target) {
    static std::atomic<unsigned> counter{0};
    std::random_device rd;
    auto name = "." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                std::to_string(counter++) + "-" + std::to_string(rd() % 100000);
    return target.parent_path() / name;
}

void commitAtomically(const std::filesystem::path& temporary, const std::filesystem::path& target) {
    {
        FileDescriptor f{::open(temporary.c_str(), O_RDONLY)};
        if (f.fd >= 0) ::fsync(f.fd);
    }
    if (::rename(temporary.c_str(), target.c_str()) != 0) {
        auto why = systemError();
        std::filesystem::remove(temporary);
        throw fileError(target, "cannot replace file: " + why);
    }
    fsyncDirectory(target.parent_path());
}

void writeFileAtomically(const std::filesystem::path& target, std::span<const std::byte> bytes) {
    if (!target.parent_path().empty()) std::filesystem::create_directories(target.parent_path());
    auto tmp = temporaryPathFor(target);
    {
        FileDescriptor f{::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)};
        if (f.fd < 0) throw fileError(target, "cannot write: " + systemError());
        const std::byte* p = bytes.data();
        std::size_t left = bytes.size();
        while (left > 0) {
            auto n = ::write(f.fd, p, left);
            if (n < 0) {
                if (errno == EINTR) continue;
                auto why = systemError();
                std::filesystem::remove(tmp);
                throw fileError(target, "cannot write: " + why);
            }
            p += n;
            left -= static_cast<std::size_t>(n);
        }
        if (::fsync(f.fd) != 0) {
            auto why = systemError();
            std::filesystem::remove(tmp);
            throw fileError(target, "cannot flush to disk: " + why);
        }
    }
    commitAtomically(tmp, target);
}

void writeFileAtomically(const std::filesystem::path& target, std::string_view text) {
    writeFileAtomically(target, std::as_bytes(std::span(text.data(), text.size())));
}

}  // namespace sonolab
