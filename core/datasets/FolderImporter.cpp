#include "core/datasets/FolderImporter.h"

#include "core/annotations/AnnotationFile.h"

#include <algorithm>
#include <array>
#include <set>

namespace sonolab::datasets {

bool isAudioFileName(const std::filesystem::path& file) {
    static constexpr std::array<std::string_view, 15> kExtensions = {
        ".mp3", ".ogg", ".oga", ".opus", ".flac", ".wav", ".aif", ".aiff", ".m4a", ".aac", ".wma", ".xm", ".it", ".s3m", ".mod"};
    std::string ext = file.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
}

std::filesystem::path labelFileBeside(const std::filesystem::path& audio) {
    std::error_code ec;
    for (const char* ext : {".jams", ".txt", ".csv"}) {
        auto candidate = audio;
        candidate.replace_extension(ext);
        if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
    }
    return {};
}

namespace {

// Audio files below `dir` (any depth), sorted; a listing failure goes to the report.
std::vector<std::filesystem::path> audioFilesBelow(const std::filesystem::path& dir, ImportReport& report) {
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (auto it = std::filesystem::recursive_directory_iterator(
             dir, std::filesystem::directory_options::skip_permission_denied, ec);
         it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        if (it->is_regular_file() && isAudioFileName(it->path())) files.push_back(it->path());
    }
    if (ec) report.unreadable.push_back({dir.string(), "cannot list: " + ec.message()});
    std::sort(files.begin(), files.end());
    return files;
}

LabelledCollection emptyCollection(const std::filesystem::path& root, const FolderOptions& options,
                                   const std::string& sourceKind) {
    LabelledCollection collection;
    auto normal = root.lexically_normal();
    if (normal.filename().empty()) normal = normal.parent_path();
    collection.name = options.labelSetName.empty() ? normal.filename().string() : options.labelSetName;
    collection.kind = LabelKind::Single;
    collection.source = sourceKind + ":" + root.string();
    return collection;
}

// The distinct labels of a label file's events; JAMS onsets and beats carry no track labels.
std::set<std::string> labelsIn(const std::filesystem::path& file) {
    const bool jams = annotations::formatOfFile(file) == annotations::Format::Jams;
    std::set<std::string> labels;
    for (const auto& a : annotations::readAnnotationFile(file)) {
        if (jams && a.kind != annotations::Kind::Tag && a.kind != annotations::Kind::Segment) continue;
        for (const auto& e : a.events)
            if (!e.label.empty()) labels.insert(e.label);
    }
    return labels;
}

LabelledCollection readLabelFiles(const std::filesystem::path& root, const FolderOptions& options, ImportReport& report) {
    LabelledCollection collection = emptyCollection(root, options, "label-files");
    std::vector<std::pair<std::filesystem::path, std::set<std::string>>> labelled;
    std::set<std::string> classes;
    for (const auto& audio : audioFilesBelow(root, report)) {
        const auto labelFile = labelFileBeside(audio);
        if (labelFile.empty()) {
            report.skipped.push_back(audio.string() + ": no label file beside it");
            continue;
        }
        // A bad label file is that clip's problem (the import is refused with every problem listed), not a crash.
        std::set<std::string> labels;
        try {
            labels = labelsIn(labelFile);
        } catch (const Error& e) {
            report.malformed.push_back({labelFile.string(), 0, "", e.what()});
            continue;
        }
        if (labels.empty()) {
            report.skipped.push_back(labelFile.string() + ": no labels");
            continue;
        }
        classes.insert(labels.begin(), labels.end());
        if (labels.size() > 1) collection.kind = LabelKind::Multi;
        labelled.emplace_back(audio, std::move(labels));
    }
    collection.classes.assign(classes.begin(), classes.end());
    if (collection.classes.empty()) throw fileError(root, "no audio file has a label file with labels beside it");
    for (const auto& [audio, labels] : labelled) {
        LabelledClip clip;
        clip.key = audio.lexically_relative(root).generic_string();
        clip.path = audio;
        clip.values.assign(collection.classes.size(), 0);
        for (const auto& l : labels) clip.values[collection.classIndex(l)] = 1;
        collection.clips.push_back(std::move(clip));
    }
    return collection;
}

bool hasLabelFiles(const std::filesystem::path& root) {
    ImportReport ignored;
    const auto files = audioFilesBelow(root, ignored);
    return std::any_of(files.begin(), files.end(), [](const auto& f) { return !labelFileBeside(f).empty(); });
}

}  // namespace

LabelledCollection readClassFolders(const std::filesystem::path& root, const FolderOptions& options,
                                    ImportReport& report) {
    std::error_code ec;
    if (!std::filesystem::is_directory(root, ec)) throw fileError(root, "not a folder");
    if (options.layout == FolderLayout::LabelFiles || (options.layout == FolderLayout::Auto && hasLabelFiles(root)))
        return readLabelFiles(root, options, report);
    LabelledCollection collection = emptyCollection(root, options, "folders");

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
        for (const auto& file : audioFilesBelow(classDirs[c], report)) {
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
