#include "core/features/FeatureCache.h"

#include "core/util/ContentHash.h"
#include "core/util/AtomicFile.h"
#include "core/util/Error.h"
#include "core/util/Npy.h"

#include <signal.h>

#include <cerrno>
#include <system_error>

namespace sonolab::features {

FeatureCache::FeatureCache(std::filesystem::path root) : root_(std::move(root)) {
    if (root_.empty()) throw Error("feature cache", "no cache folder given");
}

std::filesystem::path FeatureCache::entryPath(std::uint64_t contentHash, const FeatureSpec& spec) const {
    return root_ / ("v" + std::to_string(kLayoutVersion)) / spec.hashHex() / (hashHex(contentHash) + ".npy");
}

bool FeatureCache::contains(std::uint64_t contentHash, const FeatureSpec& spec) const {
    return load(contentHash, spec).has_value();
}

std::optional<Matrix> FeatureCache::load(std::uint64_t contentHash, const FeatureSpec& spec) const {
    const auto path = entryPath(contentHash, spec);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return std::nullopt;
    try {
        return mapNpy(path, Layout::BinsByFrames);
    } catch (const Error&) {
        std::filesystem::remove(path, ec);  // damaged: forget it so it is recomputed
        return std::nullopt;
    }
}

void FeatureCache::store(std::uint64_t contentHash, const FeatureSpec& spec, const Matrix& matrix) const {
    const auto path = entryPath(contentHash, spec);
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) throw fileError(path.parent_path(), "cannot create cache folder: " + ec.message());
    const auto specFile = path.parent_path() / "spec.txt";
    if (!std::filesystem::exists(specFile, ec)) writeFileAtomically(specFile, spec.canonical() + "\n");
    writeNpy(path, matrix);
}

Matrix FeatureCache::getOrCompute(std::uint64_t contentHash, const FeatureSpec& spec,
                                  const std::function<Matrix()>& compute) const {
    if (auto hit = load(contentHash, spec)) return *hit;
    Matrix m = compute();
    store(contentHash, spec, m);
    if (auto stored = load(contentHash, spec)) return *stored;
    return m;
}

std::vector<std::uint64_t> FeatureCache::entries(const FeatureSpec& spec) const {
    std::vector<std::uint64_t> out;
    const auto dir = root_ / ("v" + std::to_string(kLayoutVersion)) / spec.hashHex();
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const auto name = it->path().filename().string();
        if (it->path().extension() != ".npy" || name.size() != 20 || name[0] == '.') continue;
        try {
            out.push_back(std::stoull(name.substr(0, 16), nullptr, 16));
        } catch (...) {
        }
    }
    return out;
}

std::size_t FeatureCache::removeStaleTemporaries(const FeatureSpec& spec) const {
    const auto dir = root_ / ("v" + std::to_string(kLayoutVersion)) / spec.hashHex();
    std::size_t removed = 0;
    std::error_code ec;
    std::vector<std::filesystem::path> stale;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        // AtomicFile names temporaries ".<name>.tmp-<pid>-<counter>-<random>".
        const auto name = it->path().filename().string();
        const auto at = name.find(".tmp-");
        if (name.empty() || name[0] != '.' || at == std::string::npos) continue;
        long pid = 0;
        try {
            pid = std::stol(name.substr(at + 5));
        } catch (...) {
            continue;
        }
        if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) stale.push_back(it->path());
    }
    for (const auto& p : stale)
        if (std::filesystem::remove(p, ec)) ++removed;
    return removed;
}

std::filesystem::path defaultCacheFor(const std::filesystem::path& libraryFile) {
    auto p = libraryFile;
    p += ".features";
    return p;
}

}  // namespace sonolab::features
