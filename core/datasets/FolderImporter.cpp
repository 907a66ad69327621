#include "core/datasets/FolderImporter.h"

#include <algorithm>
#include <array>

namespace sonolab::datasets {

bool isAudioFileName(const std::filesystem::path& file) {
    static constexpr std::array<std::string_view, 15> kExtensions = {
        ".mp3", ".ogg", ".oga", ".opus", ".flac", ".wav", ".aif", ".aiff", ".m4a", ".aac", ".wma", ".xm", ".it", ".s3m", ".mod"};
    std::string ext = file.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
}

LabelledCollection readClassFolders(const std::filesystem::path& root, const FolderOptions& options,
                                    ImportReport& report) {
    std::error_code ec;
    if (!std::filesystem::is_directory(root, ec)) throw fileError(root, "not a folder");
    LabelledCollection collection;
    auto normal = root.lexically_normal();
    if (normal.filename().empty()) normal = normal.parent_path();
    collection.name = options.labelSetName.empty() ? normal.filename().string() : options.labelSetName;
    collection.kind = LabelKind::Single;
    collection.source = "folders:" + root.string();

    std::vector<std::filesystem::path> classDirs;
    for (const auto& entry : std::filesystem::directory_iterator(root, ec)) {
        if (entry.is_directory()) classDirs.push_back(entry.path());
        else if (isAudioFileName(entry.path()))
            report.skipped.push_back(entry.path().string() + ": directly in the root, so it has no class folder");
    }
    if (ec) throw fileError(root, "cannot list: " + ec.message());
    std::sort(classDirs.begin(), classDirs.end());
    for (const auto& dir : classDirs) collection.classes.push_back(dir.filename().string());
    if (collection.classes.empty()) throw fileError(root, "no class folders (expected one folder per class)");

    for (std::size_t c = 0; c < classDirs.size(); ++c) {
        std::vector<std::filesystem::path> files;
        for (auto it = std::filesystem::recursive_directory_iterator(
                 classDirs[c], std::filesystem::directory_options::skip_permission_denied, ec);
             it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
            if (ec) break;
            if (it->is_regular_file() && isAudioFileName(it->path())) files.push_back(it->path());
        }
        if (ec) report.unreadable.push_back({classDirs[c].string(), "cannot list: " + ec.message()});
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            LabelledClip clip;
            clip.key = file.lexically_relative(root).generic_string();
            clip.path = file;
            clip.values.assign(collection.classes.size(), 0);
            clip.values[c] = 1;
            collection.clips.push_back(std::move(clip));
        }
    }
    return collection;
}

}  // namespace sonolab::datasets
