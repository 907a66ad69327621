#include "core/ml/DatasetFolder.h"

#include "core/util/AtomicFile.h"
#include "core/util/Error.h"
#include "core/util/Npy.h"

#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

namespace sonolab::ml {
namespace {

constexpr const char* kFormat = "sonolab-dataset-1";

// Ids and groups are free text; keep the TSV one line per example whatever they hold.
std::string cell(std::string s) {
    for (char& c : s)
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    return s;
}

std::vector<std::string> splitOn(const std::string& line, char sep) {
    std::vector<std::string> out;
    std::string field;
    std::istringstream in(line);
    while (std::getline(in, field, sep)) out.push_back(field);
    if (!line.empty() && line.back() == sep) out.emplace_back();
    return out;
}

std::vector<float> parseTargets(const std::string& text, const std::filesystem::path& file, std::size_t lineNo) {
    std::vector<float> out;
    for (const auto& v : splitOn(text, ',')) {
        try {
            std::size_t used = 0;
            out.push_back(std::stof(v, &used));
            if (used != v.size()) throw std::invalid_argument(v);
        } catch (const std::exception&) {
            throw fileError(file, "line " + std::to_string(lineNo) + ": target '" + v + "' is not a number");
        }
    }
    return out;
}

}  // namespace

bool isDatasetFolder(const std::filesystem::path& dir) {
    return std::filesystem::is_regular_file(dir / "dataset.txt") && std::filesystem::is_regular_file(dir / "examples.tsv");
}

void writeDatasetFolder(const std::filesystem::path& dir, const DatasetFolderInfo& info,
                        const std::vector<std::pair<std::string, const Dataset*>>& parts) {
    std::filesystem::create_directories(dir / "features");
    std::ostringstream tsv;
    tsv.precision(9);  // soft targets (tag similarity) survive the round trip
    tsv << "part\tid\tgroup\tfile\ttargets\n";
    std::size_t n = 0;
    for (const auto& [part, data] : parts) {
        if (part != "train" && part != "validation" && part != "test")
            throw Error("dataset folder " + dir.string(), "unknown part '" + part + "'");
        if (!data) continue;
        for (std::size_t i = 0; i < data->size(); ++i) {
            const auto& x = data->features(i);
            char name[32];
            std::snprintf(name, sizeof name, "%06zu.npy", n++);
            const std::array<std::size_t, 2> shape{x.bins(), x.frames()};  // 2-D even for a 1-D cache entry
            writeNpy(dir / "features" / name, x.values(), shape);
            const auto& e = data->info(i);
            tsv << part << '\t' << cell(e.id) << '\t' << cell(e.group) << "\tfeatures/" << name << '\t';
            for (std::size_t k = 0; k < e.target.size(); ++k) tsv << (k ? "," : "") << e.target[k];
            tsv << '\n';
        }
    }
    writeFileAtomically(dir / "examples.tsv", tsv.str());
    std::ostringstream header;
    header << "format=" << kFormat << "\nname=" << cell(info.name) << "\ntask=" << info.task.toString()
           << "\nfeatures=" << cell(info.featureSpec) << "\nwindow_frames=" << info.windowFrames << "\n";
    writeFileAtomically(dir / "dataset.txt", header.str());
}

DatasetFolder readDatasetFolder(const std::filesystem::path& dir) {
    const auto headerFile = dir / "dataset.txt";
    std::ifstream header(headerFile);
    if (!header) throw fileError(headerFile, "cannot be read (is this a folder written by `export-dataset`?)");
    std::map<std::string, std::string> keys;
    std::string line;
    while (std::getline(header, line)) {
        const auto eq = line.find('=');
        if (eq != std::string::npos) keys[line.substr(0, eq)] = line.substr(eq + 1);
    }
    if (keys["format"] != kFormat)
        throw fileError(headerFile, "has format '" + keys["format"] + "', expected " + kFormat);
    DatasetFolderInfo info;
    info.name = keys["name"];
    try {
        info.task = TaskSpec::parse(keys["task"]);
        info.windowFrames = std::size_t(std::stoul(keys["window_frames"].empty() ? "0" : keys["window_frames"]));
    } catch (const std::exception& e) {
        throw fileError(headerFile, e.what());
    }
    info.featureSpec = keys["features"];

    DatasetFolder folder{info, Dataset(info.name + ":train", info.task), Dataset(info.name + ":validation", info.task),
                         Dataset(info.name + ":test", info.task)};
    const auto tsvFile = dir / "examples.tsv";
    std::ifstream tsv(tsvFile);
    if (!tsv) throw fileError(tsvFile, "cannot be read");
    std::size_t lineNo = 0;
    while (std::getline(tsv, line)) {
        if (++lineNo == 1 || line.empty()) continue;
        const auto f = splitOn(line, '\t');
        if (f.size() != 5)
            throw fileError(tsvFile, "line " + std::to_string(lineNo) + ": expected 5 tab-separated fields, found " +
                                         std::to_string(f.size()));
        Dataset* part = f[0] == "train" ? &folder.train
                        : f[0] == "validation" ? &folder.validation
                        : f[0] == "test" ? &folder.test
                                         : nullptr;
        if (!part) throw fileError(tsvFile, "line " + std::to_string(lineNo) + ": unknown part '" + f[0] + "'");
        auto target = parseTargets(f[4], tsvFile, lineNo);
        if (target.size() != info.task.outputs())
            throw fileError(tsvFile, "line " + std::to_string(lineNo) + ": " + std::to_string(target.size()) +
                                         " targets for a task with " + std::to_string(info.task.outputs()) + " outputs");
        const auto npy = dir / f[3];
        NpyArray array = readNpy(npy);
        if (array.shape.empty() || array.shape.size() > 2)
            throw fileError(npy, "expected a 1-D or 2-D float32 array");
        const InputShape shape{array.shape[0], array.shape.size() == 2 ? array.shape[1] : 1};
        FeatureMatrix m(std::move(array.data), shape.bands, shape.frames, Layout::BinsByFrames);
        part->add({f[1], f[2], std::move(target)}, std::move(m));
    }
    return folder;
}

}  // namespace sonolab::ml
