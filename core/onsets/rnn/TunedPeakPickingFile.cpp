#include "core/onsets/rnn/TunedPeakPickingFile.h"

#include "core/ml/OnsetRnnModel.h"
#include "core/util/AtomicFile.h"
#include "core/util/Error.h"

#include <fstream>
#include <map>
#include <sstream>
#include <vector>

namespace fs = std::filesystem;

namespace sonolab::onsets {
namespace {

// The folder whose model OnsetRnnModel::load() would read (a lone fold-K inside a training run's folder).
fs::path modelFolder(const fs::path& p) {
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p.parent_path();
    if (!fs::is_directory(p, ec) || fs::is_regular_file(p / ml::OnsetRnnModel::kFileName, ec)) return p;
    std::vector<fs::path> folds;
    for (const auto& e : fs::directory_iterator(p, ec))
        if (e.is_directory() && e.path().filename().string().rfind("fold-", 0) == 0 &&
            fs::is_regular_file(e.path() / ml::OnsetRnnModel::kFileName, ec))
            folds.push_back(e.path());
    return folds.size() == 1 ? folds.front() : p;
}

}  // namespace

void writeTunedPeaks(const fs::path& runDir, const TunedPeaks& peaks) {
    std::ostringstream out;
    out << "# peak picking chosen on the validation fold after training (sonolab onsets-train)\n"
        << "threshold " << peaks.threshold << "\nsmooth " << peaks.smooth << "\nvalidation_f " << peaks.validationF
        << "\n";
    fs::create_directories(runDir);
    writeFileAtomically(runDir / kTunedPeaksFileName, out.str());
}

std::optional<TunedPeaks> readTunedPeaks(const fs::path& runOrModelFile) {
    const fs::path file = modelFolder(runOrModelFile) / kTunedPeaksFileName;
    std::error_code ec;
    if (!fs::exists(file, ec)) return std::nullopt;
    std::ifstream in(file);
    if (!in) throw fileError(file, "cannot be read");
    std::map<std::string, double> values;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        std::string key;
        double value = 0;
        if (!(fields >> key >> value)) throw fileError(file, "has a line that is not 'key number': " + line);
        values[key] = value;
    }
    if (!values.count("threshold") || !values.count("smooth")) throw fileError(file, "needs a threshold and a smooth line");
    TunedPeaks p{float(values["threshold"]), values["smooth"], values.count("validation_f") ? values["validation_f"] : 0.0};
    if (!(p.threshold > 0 && p.threshold < 1) || !(p.smooth >= 0 && p.smooth < 1))
        throw fileError(file, "has peak picking out of range (threshold in (0, 1), smooth in [0, 1) seconds)");
    return p;
}

}  // namespace sonolab::onsets
