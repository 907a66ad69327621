#include "core/ml/SavedModel.h"

#include "core/util/AtomicFile.h"
#include "core/util/Error.h"
#include "core/util/Npy.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

namespace sonolab::ml {
namespace {

constexpr const char* kInfoFile = "model.txt";
constexpr const char* kStatsFile = "standardization.npy";

// Values are single-line: newlines would break the format, so they are escaped.
std::string escape(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\n') out += "\\n";
        else if (c == '\\') out += "\\\\";
        else out += c;
    }
    return out;
}

std::string unescape(const std::string& v) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] == '\\' && i + 1 < v.size()) {
            out += v[i + 1] == 'n' ? '\n' : v[i + 1];
            ++i;
        } else out += v[i];
    }
    return out;
}

std::string number(double v) {
    std::ostringstream s;
    s.precision(17);
    s << v;
    return s.str();
}

std::map<std::string, std::string> readPairs(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw fileError(file, "cannot open (not a Sonolab run folder?)");
    std::map<std::string, std::string> kv;
    std::string line;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        auto eq = line.find('=');
        if (eq == std::string::npos) throw fileError(file, "line " + std::to_string(lineNo) + " is not key=value");
        kv[line.substr(0, eq)] = unescape(line.substr(eq + 1));
    }
    return kv;
}

}  // namespace

void writeSavedModelInfo(const std::filesystem::path& runDir, const SavedModelInfo& info) {
    std::filesystem::create_directories(runDir);
    std::ostringstream out;
    out << "# Sonolab saved model (key=value). Weights: model.pt; standardisation: " << kStatsFile << "\n";
    out << "format=1\n";
    out << "model=" << escape(info.model.toString()) << "\n";
    out << "task=" << escape(info.task.toString()) << "\n";
    out << "input_bands=" << info.input.bands << "\n";
    out << "input_frames=" << info.input.frames << "\n";
    out << "feature_spec=" << escape(info.featureSpec) << "\n";
    out << "dataset=" << escape(info.dataset) << "\n";
    out << "epochs=" << info.epochs << "\n";
    out << "embedding_size=" << info.embeddingSize << "\n";
    out << "standardization=" << toString(info.standardization.mode) << "\n";
    out << "standardization_bands=" << info.standardization.shape.bands << "\n";
    out << "standardization_frames=" << info.standardization.shape.frames << "\n";
    for (const auto& [k, v] : info.metrics)
        if (!std::isnan(v)) out << "metric." << k << "=" << number(v) << "\n";
    for (const auto& [k, v] : info.extra) out << "extra." << k << "=" << escape(v) << "\n";
    if (!info.standardization.empty()) {
        std::vector<float> both(info.standardization.mean);
        both.insert(both.end(), info.standardization.scale.begin(), info.standardization.scale.end());
        const std::size_t shape[2] = {2, info.standardization.mean.size()};
        writeNpy(runDir / kStatsFile, both, shape);
    } else {
        std::filesystem::remove(runDir / kStatsFile);
    }
    writeFileAtomically(runDir / kInfoFile, out.str());
}

SavedModelInfo readSavedModelInfo(const std::filesystem::path& runDir) {
    const auto file = runDir / kInfoFile;
    auto kv = readPairs(file);
    auto get = [&](const std::string& key) -> const std::string& {
        auto it = kv.find(key);
        if (it == kv.end()) throw fileError(file, "missing '" + key + "'");
        return it->second;
    };
    auto integer = [&](const std::string& key) -> std::size_t {
        const std::string& v = get(key);
        std::size_t x = 0;
        auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
        if (ec != std::errc() || p != v.data() + v.size()) throw fileError(file, "'" + key + "' is not a number");
        return x;
    };
    SavedModelInfo info;
    try {
        info.model = ModelSpec::parse(get("model"));
        info.task = TaskSpec::parse(get("task"));
    } catch (const Error& e) {
        throw fileError(file, e.what());
    }
    info.input = {integer("input_bands"), integer("input_frames")};
    // A run folder from elsewhere is data: sizes that a network or a buffer would be allocated from are bounded by
    // what any Sonolab feature produces (a few thousand bands, a minute of frames) before anything is built.
    auto bounded = [&](const char* key, std::size_t value, std::size_t most) {
        if (value < 1 || value > most)
            throw fileError(file, "'" + std::string(key) + "' is " + std::to_string(value) + ", outside 1.." +
                                      std::to_string(most));
    };
    bounded("input_bands", info.input.bands, kMaxInputBands);
    bounded("input_frames", info.input.frames, kMaxInputFrames);
    info.featureSpec = kv["feature_spec"];
    info.dataset = kv["dataset"];
    info.epochs = int(integer("epochs"));
    info.embeddingSize = kv.count("embedding_size") ? integer("embedding_size") : 0;
    info.standardization.mode = parseStandardizationMode(kv.count("standardization") ? kv["standardization"] : "none");
    if (info.standardization.mode != StandardizationMode::None) {
        info.standardization.shape = {integer("standardization_bands"), integer("standardization_frames")};
        bounded("standardization_bands", info.standardization.shape.bands, kMaxInputBands);
        if (info.standardization.mode == StandardizationMode::PerElement)  // only then are frames a size of its own
            bounded("standardization_frames", info.standardization.shape.frames, kMaxInputFrames);
        const auto& shape = info.standardization.shape;
        const std::size_t want = info.standardization.mode == StandardizationMode::Global   ? 1
                                 : info.standardization.mode == StandardizationMode::PerBand ? shape.bands
                                                                                             : shape.bands * shape.frames;
        NpyArray a = readNpy(runDir / kStatsFile);
        if (a.shape.size() != 2 || a.shape[0] != 2 || a.shape[1] != want)
            throw fileError(runDir / kStatsFile, "expected shape (2, " + std::to_string(want) + ") for " +
                                                     std::string(toString(info.standardization.mode)) +
                                                     " standardisation of " + std::to_string(shape.bands) + " bands");
        const std::size_t n = a.shape[1];
        info.standardization.mean.assign(a.data.begin(), a.data.begin() + long(n));
        info.standardization.scale.assign(a.data.begin() + long(n), a.data.end());
    }
    for (const auto& [k, v] : kv) {
        if (k.rfind("metric.", 0) == 0) info.metrics[k.substr(7)] = std::strtod(v.c_str(), nullptr);
        else if (k.rfind("extra.", 0) == 0) info.extra[k.substr(6)] = v;
    }
    return info;
}

bool isRunFolder(const std::filesystem::path& runDir) {
    return std::filesystem::is_regular_file(runDir / kInfoFile) && std::filesystem::is_regular_file(runDir / "model.pt");
}

void updateSavedMetrics(const std::filesystem::path& runDir, const std::map<std::string, double>& metrics,
                        const std::string& prefix) {
    SavedModelInfo info = readSavedModelInfo(runDir);
    for (const auto& [k, v] : metrics) info.metrics[prefix + k] = v;
    writeSavedModelInfo(runDir, info);
}

}  // namespace sonolab::ml
