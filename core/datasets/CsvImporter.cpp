#include "core/datasets/CsvImporter.h"

#include "core/datasets/DelimitedText.h"
#include "core/datasets/FolderImporter.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>

namespace sonolab::datasets {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

int findColumn(const std::vector<std::string>& header, const std::string& wanted,
               std::initializer_list<std::string_view> defaults, const std::filesystem::path& file) {
    if (!wanted.empty()) {
        for (std::size_t i = 0; i < header.size(); ++i)
            if (header[i] == wanted) return static_cast<int>(i);
        throw fileError(file, "no column called '" + wanted + "' in the header");
    }
    for (auto name : defaults)
        for (std::size_t i = 0; i < header.size(); ++i)
            if (lower(header[i]) == name) return static_cast<int>(i);
    return -1;
}

std::vector<std::string> splitLabels(const std::string& value) {
    std::vector<std::string> out;
    std::string current;
    for (char c : value) {
        if (c == ';' || c == '|') {
            out.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    out.push_back(current);
    for (auto& s : out) {
        const auto b = s.find_first_not_of(' ');
        const auto e = s.find_last_not_of(' ');
        s = b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    }
    out.erase(std::remove(out.begin(), out.end(), std::string()), out.end());
    return out;
}

}  // namespace

LabelledCollection readCsvLabels(const std::filesystem::path& file, const CsvOptions& options, ImportReport& report) {
    const char delimiter = detectDelimiter(file);
    auto rows = readDelimited(file, delimiter);
    if (rows.empty()) throw fileError(file, "empty file");
    const auto root = options.audioRoot.empty() ? file.parent_path() : options.audioRoot;

    // A header names a path column; a two-column first row whose first field is an audio file name is data.
    std::vector<std::string> header;
    std::size_t firstData = 0;
    const auto& first = rows.front().fields;
    const bool firstLooksLikeData = first.size() == 2 && isAudioFileName(first[0]) && options.pathColumn.empty();
    if (options.header && !firstLooksLikeData) {
        header = first;
        firstData = 1;
    } else {
        header = {"path", "label"};
    }
    const int pathColumn = findColumn(header, options.pathColumn,
                                      {"path", "file", "filename", "filepath", "mp3_path", "relpath", "audio"}, file);
    if (pathColumn < 0)
        throw fileError(file, "no path column (name it with --path-column; header: " + rows.front().raw.substr(0, 200) + ")");
    const int labelColumn =
        findColumn(header, options.labelColumn, {"label", "labels", "class", "genre", "category", "tags"}, file);
    const int groupColumn = findColumn(header, options.groupColumn, {}, file);
    const int titleColumn = findColumn(header, {}, {"title"}, file);
    const int artistColumn = findColumn(header, {}, {"artist"}, file);
    const int albumColumn = findColumn(header, {}, {"album"}, file);

    LabelledCollection collection;
    collection.name = options.labelSetName.empty() ? file.stem().string() : options.labelSetName;
    collection.source = "csv:" + file.string();

    // Without a label column, every other column that is not metadata is a 0/1 tag column.
    std::vector<std::size_t> tagColumns;
    if (labelColumn < 0) {
        const std::set<std::string> metadata = {"clip_id", "id", "idx", "index", "track_id", "url", "duration"};
        for (std::size_t i = 0; i < header.size(); ++i) {
            const int column = static_cast<int>(i);
            if (column == pathColumn || column == groupColumn || column == titleColumn || column == artistColumn ||
                column == albumColumn || metadata.count(lower(header[i])) || header[i].empty())
                continue;
            tagColumns.push_back(i);
            collection.classes.push_back(header[i]);
        }
        if (tagColumns.empty())
            throw fileError(file, "neither a label column (label, class, genre, ...) nor 0/1 tag columns");
        collection.kind = LabelKind::Multi;
    }

    std::map<std::string, std::size_t> classIndex;
    bool multiValued = false;
    std::vector<std::vector<std::string>> rowLabels;
    for (std::size_t r = firstData; r < rows.size(); ++r) {
        const auto& row = rows[r];
        auto malformed = [&](std::string problem) {
            report.malformed.push_back({file.string(), row.line, row.raw, std::move(problem)});
        };
        if (auto problem = rowShapeProblem(row, header.size()); !problem.empty()) {
            malformed(std::move(problem));
            continue;
        }
        auto field = [&](int c) { return c >= 0 ? row.fields[static_cast<std::size_t>(c)] : std::string(); };
        LabelledClip clip;
        clip.line = row.line;
        clip.key = field(pathColumn);
        if (clip.key.empty()) {
            malformed("empty path");
            continue;
        }
        const std::filesystem::path p(clip.key);
        clip.path = p.is_absolute() ? p : root / p;
        clip.group = field(groupColumn);
        clip.title = field(titleColumn);
        clip.artist = field(artistColumn);
        clip.album = field(albumColumn);
        if (labelColumn >= 0) {
            auto labels = splitLabels(field(labelColumn));
            if (labels.empty()) {
                malformed("empty label");
                continue;
            }
            if (labels.size() > 1) multiValued = true;
            for (const auto& l : labels)
                if (!classIndex.count(l)) classIndex.emplace(l, 0);
            rowLabels.push_back(std::move(labels));
        } else {
            if (auto bad = readTagFlags(row, tagColumns, collection.classes, clip.values); !bad.empty()) {
                malformed(std::move(bad));
                continue;
            }
        }
        collection.clips.push_back(std::move(clip));
    }
    if (labelColumn >= 0) {
        collection.kind = multiValued ? LabelKind::Multi : LabelKind::Single;
        for (auto& [name, index] : classIndex) {
            index = collection.classes.size();
            collection.classes.push_back(name);
        }
        for (std::size_t i = 0; i < collection.clips.size(); ++i) {
            auto& values = collection.clips[i].values;
            values.assign(collection.classes.size(), 0);
            for (const auto& l : rowLabels[i]) values[classIndex.at(l)] = 1;
        }
    }
    return collection;
}

}  // namespace sonolab::datasets
