#pragma once
// The part the plugins that run a trained network share: their programs are the runs RunPrograms.h finds, and
// choosing another one tells the plugin to drop what it loaded for the previous run.
#include "RunPrograms.h"
#include "WholeSignalPlugin.h"

namespace sonolab::vamp {

class RunProgramPlugin : public WholeSignalPlugin {
public:
    RunProgramPlugin(float inputSampleRate, const RunSearch& search) : WholeSignalPlugin(inputSampleRate), runs_(search) {}

    ProgramList getPrograms() const override { return runs_.names(); }
    std::string getCurrentProgram() const override { return runs_.currentName(); }
    void selectProgram(std::string name) override {
        if (name == runs_.currentName()) return;
        runs_.select(name);
        programChanged();
    }

protected:
    // The current run changed: forget the model (and metadata) loaded for the previous one.
    virtual void programChanged() = 0;
    const RunChoice& runs() const { return runs_; }

private:
    RunChoice runs_;
};

}  // namespace sonolab::vamp
