#pragma once
// Which trained runs a Vamp plugin offers. Vamp parameters are numbers only, so a run is chosen as a program: one
// program per run found, named after its folder. Runs are looked for, in this order, in
//   $SONOLAB_VAMP_RUNS   a ':'-separated list of run folders or folders of runs (for sonic-annotator-style batch use)
//   the app's run folders ($XDG_DATA_HOME or ~/.local/share, then Sonolab/Sonolab/runs and .../onset-runs): what
//   the Training and Onsets tabs train appears in Sonic Visualiser and Audacity without copying anything
// The list is read once per plugin instance, so program indices stay stable while a host holds one.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace sonolab::vamp {

struct RunProgram {
    std::string name;             // the run folder's name, made unique with " (2)", " (3)"...
    std::filesystem::path folder;
};

struct RunSearch {
    std::function<bool(const std::filesystem::path&)> isRun;  // e.g. "holds onset-rnn.pt"
    std::vector<std::string> appFolders;                       // under Sonolab/Sonolab/ in the data home
};

// Every run `search.isRun` accepts in the places above, ordered by folder name within each place.
std::vector<RunProgram> findRuns(const RunSearch& search);

// A plugin's current program: the runs, the chosen one (the first by default).
class RunChoice {
public:
    explicit RunChoice(const RunSearch& search) : runs_(findRuns(search)) {}
    std::vector<std::string> names() const;
    // An unknown name leaves the choice as it was.
    void select(const std::string& name);
    std::string currentName() const { return runs_.empty() ? std::string() : runs_[current_].name; }
    // Empty when there is no run at all.
    std::filesystem::path currentFolder() const { return runs_.empty() ? std::filesystem::path() : runs_[current_].folder; }

private:
    std::vector<RunProgram> runs_;
    std::size_t current_ = 0;
};

}  // namespace sonolab::vamp
