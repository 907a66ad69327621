#include "RunPrograms.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <sstream>

namespace sonolab::vamp {
namespace fs = std::filesystem;

namespace {

fs::path dataHome() {
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return xdg;
    if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".local" / "share";
    return {};
}

// The runs in `place`: the place itself when it is one, else its sub-folders that are, by name.
std::vector<fs::path> runsIn(const fs::path& place, const RunSearch& search) {
    std::error_code ec;
    if (!fs::is_directory(place, ec)) return {};
    if (search.isRun(place)) return {place};
    std::vector<fs::path> runs;
    for (const auto& entry : fs::directory_iterator(place, ec))
        if (entry.is_directory(ec) && search.isRun(entry.path())) runs.push_back(entry.path());
    std::sort(runs.begin(), runs.end());
    return runs;
}

// The folders searched, in order.
std::vector<fs::path> runSearchPlaces(const RunSearch& search) {
    std::vector<fs::path> places;
    if (const char* env = std::getenv("SONOLAB_VAMP_RUNS"); env && *env) {
        std::istringstream list(env);
        for (std::string item; std::getline(list, item, ':');)
            if (!item.empty()) places.emplace_back(item);
    }
    if (const auto home = dataHome(); !home.empty())
        for (const auto& sub : search.appFolders) places.push_back(home / "Sonolab" / "Sonolab" / sub);
    return places;
}

}  // namespace

std::vector<RunProgram> findRuns(const RunSearch& search) {
    std::vector<RunProgram> programs;
    std::map<std::string, int> seen;
    for (const auto& place : runSearchPlaces(search))
        for (const auto& run : runsIn(place, search)) {
            const std::string base = run.filename().string();
            const int n = ++seen[base];
            programs.push_back({n == 1 ? base : base + " (" + std::to_string(n) + ")", run});
        }
    return programs;
}

std::vector<std::string> RunChoice::names() const {
    std::vector<std::string> out;
    for (const auto& r : runs_) out.push_back(r.name);
    return out;
}

void RunChoice::select(const std::string& name) {
    for (std::size_t i = 0; i < runs_.size(); ++i)
        if (runs_[i].name == name) current_ = i;
}

}  // namespace sonolab::vamp
