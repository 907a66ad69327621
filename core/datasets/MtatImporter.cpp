#include "core/datasets/MtatImporter.h"

#include "core/datasets/DelimitedText.h"

#include <algorithm>
#include <map>

namespace sonolab::datasets {

std::optional<SplitPart> mtatPart(std::string_view mp3Path) {
    const auto slash = mp3Path.find_first_of("/\\");
    if (slash != 1) return std::nullopt;  // the published folders are single characters
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(mp3Path[0])));
    if ((c >= '0' && c <= '9') || c == 'a' || c == 'b') return SplitPart::Train;
    if (c == 'c') return SplitPart::Validation;
    if (c >= 'd' && c <= 'f') return SplitPart::Test;
    return std::nullopt;
}

namespace {

int columnOf(const std::vector<std::string>& header, std::string_view name) {
    for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == name) return static_cast<int>(i);
    return -1;
}

void readClipInfo(const std::filesystem::path& file, LabelledCollection& collection, ImportReport& report) {
    const auto rows = readDelimited(file, detectDelimiter(file));
    if (rows.empty()) return;
    const auto& header = rows.front().fields;
    const int id = columnOf(header, "clip_id"), title = columnOf(header, "title"), artist = columnOf(header, "artist"),
              album = columnOf(header, "album");
    if (id < 0) throw fileError(file, "no clip_id column in the header");
    std::map<std::string, LabelledClip*> byId;
    for (auto& clip : collection.clips) byId[clip.key] = &clip;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        if (auto problem = rowShapeProblem(row, header.size()); !problem.empty()) {
            report.malformed.push_back({file.string(), row.line, row.raw, std::move(problem)});
            continue;
        }
        const auto it = byId.find(row.fields[static_cast<std::size_t>(id)]);
        if (it == byId.end()) continue;  // clip info for a clip without annotations: nothing to attach it to
        auto field = [&](int column) { return column >= 0 ? row.fields[static_cast<std::size_t>(column)] : std::string(); };
        it->second->title = field(title);
        it->second->artist = field(artist);
        it->second->album = field(album);
    }
}

}  // namespace

LabelledCollection readMtat(const std::filesystem::path& annotations, const MtatOptions& options, ImportReport& report) {
    const auto rows = readDelimited(annotations, '\t');
    if (rows.empty()) throw fileError(annotations, "empty file");
    const auto& header = rows.front().fields;
    const int idColumn = columnOf(header, "clip_id");
    const int pathColumn = columnOf(header, "mp3_path");
    if (idColumn < 0 || pathColumn < 0)
        throw fileError(annotations, "not MagnaTagAtune annotations: the tab-separated header needs clip_id and mp3_path "
                                     "columns (header: " + rows.front().raw.substr(0, 200) + ")");
    int groupColumn = -1;
    if (!options.groupColumn.empty()) {
        groupColumn = columnOf(header, options.groupColumn);
        if (groupColumn < 0) throw fileError(annotations, "no column called '" + options.groupColumn + "'");
    } else {
        groupColumn = columnOf(header, "group");
    }

    LabelledCollection collection;
    collection.name = options.labelSetName;
    collection.kind = LabelKind::Multi;
    collection.source = "mtat:" + annotations.string();
    std::vector<std::size_t> tagColumns;
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (static_cast<int>(i) == idColumn || static_cast<int>(i) == pathColumn || static_cast<int>(i) == groupColumn)
            continue;
        tagColumns.push_back(i);
        collection.classes.push_back(header[i]);
    }
    const auto root = options.audioRoot.empty() ? annotations.parent_path() : options.audioRoot;

    for (std::size_t r = 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        auto malformed = [&](std::string problem) {
            report.malformed.push_back({annotations.string(), row.line, row.raw, std::move(problem)});
        };
        if (auto problem = rowShapeProblem(row, header.size()); !problem.empty()) {
            malformed(std::move(problem));
            continue;
        }
        LabelledClip clip;
        clip.line = row.line;
        clip.key = row.fields[static_cast<std::size_t>(idColumn)];
        const auto& mp3 = row.fields[static_cast<std::size_t>(pathColumn)];
        if (clip.key.empty() || mp3.empty()) {
            malformed(clip.key.empty() ? "empty clip_id" : "empty mp3_path");
            continue;
        }
        clip.path = root / mp3;
        clip.datasetPart = mtatPart(mp3);
        if (groupColumn >= 0) clip.group = row.fields[static_cast<std::size_t>(groupColumn)];
        clip.values.reserve(tagColumns.size());
        if (auto bad = readTagFlags(row, tagColumns, collection.classes, clip.values); !bad.empty()) {
            malformed(std::move(bad));
            continue;
        }
        collection.clips.push_back(std::move(clip));
    }

    std::filesystem::path info = options.clipInfo;
    std::error_code ec;
    if (info.empty() && std::filesystem::exists(annotations.parent_path() / "clip_info_final.csv", ec))
        info = annotations.parent_path() / "clip_info_final.csv";
    if (!info.empty()) readClipInfo(info, collection, report);
    return collection;
}

}  // namespace sonolab::datasets
