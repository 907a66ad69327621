#include "core/onsets/OnsetDataset.h"

#include "core/annotations/AnnotationFile.h"
#include "core/util/Error.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <map>

namespace fs = std::filesystem;

namespace sonolab::onsets {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

// Ground-truth files in order of preference when one audio file has several: the data set's own format first.
constexpr std::array<std::string_view, 5> kAnnotationExtensions{".onsets", ".jams", ".csv", ".tsv", ".txt"};

// Rank of an annotation file's extension in kAnnotationExtensions (case-insensitive), or -1.
int annotationRank(const fs::path& file) {
    const std::string ext = lower(file.extension().string());
    const auto it = std::find(kAnnotationExtensions.begin(), kAnnotationExtensions.end(), ext);
    return it == kAnnotationExtensions.end() ? -1 : int(it - kAnnotationExtensions.begin());
}

}  // namespace

fs::path annotationsBeside(const fs::path& audio) {
    for (const auto ext : kAnnotationExtensions) {
        fs::path candidate = audio;
        candidate.replace_extension(std::string(ext));
        std::error_code ec;
        if (fs::is_regular_file(candidate, ec)) return candidate;
    }
    return {};
}

bool isAudioFileName(const fs::path& file) {
    static constexpr std::array<std::string_view, 12> kExt{".flac", ".wav", ".mp3", ".ogg", ".opus", ".aif",
                                                          ".aiff", ".m4a", ".aac", ".wv", ".au", ".oga"};
    const std::string ext = lower(file.extension().string());
    return std::find(kExt.begin(), kExt.end(), ext) != kExt.end();
}

OnsetDataset loadOnsetDataset(const fs::path& dir, std::size_t foldCount) {
    if (!fs::is_directory(dir)) throw fileError(dir, "is not a folder");
    OnsetDataset ds;
    ds.root = dir;
    std::map<std::string, OnsetItem> byName;

    const fs::path annDir = dir / "annotations" / "onsets";
    const fs::path audioDir = dir / "audio";
    if (fs::is_directory(annDir) && fs::is_directory(audioDir)) {
        ds.ismirLayout = true;
        std::map<std::string, fs::path> audio;
        for (const auto& e : fs::directory_iterator(audioDir))
            if (e.is_regular_file() && isAudioFileName(e.path())) audio[e.path().stem().string()] = e.path();
        std::map<std::string, fs::path> annotationFiles;  // name -> its preferred annotation file
        for (const auto& e : fs::directory_iterator(annDir)) {
            const int rank = annotationRank(e.path());
            if (!e.is_regular_file() || rank < 0) continue;
            auto& best = annotationFiles[e.path().stem().string()];
            if (best.empty() || rank < annotationRank(best)) best = e.path();
        }
        for (const auto& [name, file] : annotationFiles) {
            auto it = audio.find(name);
            if (it == audio.end()) throw fileError(file, "has no audio file " + (audioDir / name).string() + ".*");
            byName[name] = OnsetItem{name, it->second, file, annotations::readOnsetTimes(file)};
        }
    } else {
        for (const auto& e : fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied)) {
            if (!e.is_regular_file() || !isAudioFileName(e.path())) continue;
            const fs::path ann = annotationsBeside(e.path());
            if (ann.empty()) continue;
            std::string name = fs::relative(e.path(), dir).replace_extension().generic_string();
            byName[name] = OnsetItem{name, e.path(), ann, annotations::readOnsetTimes(ann)};
        }
    }
    if (byName.empty())
        throw fileError(dir, "holds no audio file with onset annotations (.onsets, .jams, .csv, .tsv or .txt beside it)");
    std::map<std::string, std::size_t> index;
    for (auto& [name, item] : byName) {
        index[name] = ds.items.size();
        ds.items.push_back(std::move(item));
    }

    const fs::path splits = dir / "splits";
    std::vector<fs::path> foldFiles;
    if (fs::is_directory(splits))
        for (const auto& e : fs::directory_iterator(splits))
            if (e.is_regular_file() && e.path().extension() == ".fold") foldFiles.push_back(e.path());
    std::sort(foldFiles.begin(), foldFiles.end());
    if (!foldFiles.empty()) {
        std::vector<bool> seen(ds.items.size(), false);
        for (const auto& f : foldFiles) {
            std::ifstream in(f);
            if (!in) throw fileError(f, "cannot open fold file");
            std::vector<std::size_t> fold;
            std::string line;
            while (std::getline(in, line)) {
                line = trim(line);
                if (line.empty() || line[0] == '#') continue;
                // Entries may carry a folder or an extension (audio/NAME.flac): the base name identifies the file.
                std::string name = line;
                if (!index.count(name)) name = fs::path(line).stem().string();
                auto it = index.find(name);
                if (it == index.end()) throw fileError(f, "names '" + line + "', which has no audio and annotations");
                if (seen[it->second]) throw fileError(f, "'" + line + "' appears in more than one fold");
                seen[it->second] = true;
                fold.push_back(it->second);
            }
            ds.folds.push_back(std::move(fold));
        }
        // Files in no fold form one more fold of their own rather than being silently dropped.
        std::vector<std::size_t> rest;
        for (std::size_t i = 0; i < seen.size(); ++i)
            if (!seen[i]) rest.push_back(i);
        if (!rest.empty()) ds.folds.push_back(std::move(rest));
    } else {
        const std::size_t k = std::max<std::size_t>(1, std::min(foldCount, ds.items.size()));
        ds.folds.assign(k, {});
        for (std::size_t i = 0; i < ds.items.size(); ++i) ds.folds[i % k].push_back(i);
    }
    return ds;
}

}  // namespace sonolab::onsets
