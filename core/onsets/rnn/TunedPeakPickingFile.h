#pragma once
// The peak picking chosen for a trained recurrent detector on its validation fold (PeakPickingTuning.h), kept beside
// the model in its run folder as onset-peaks.txt, so that `onsets --method rnn:RUN`, the player and the Vamp
// plugin pick peaks as the run was tuned. A plain text file of "key value" lines:
//   threshold 0.4      smooth 0.05      validation_f 0.873      (the last for information)
// Runs trained before tuning existed have no such file: the detector's defaults apply (threshold 0.35, 70 ms).
#include <filesystem>
#include <optional>

namespace sonolab::onsets {

struct TunedPeaks {
    float threshold = 0.35f;
    double smooth = 0.07;        // seconds
    double validationF = 0.0;    // the F-measure they reached on the validation fold
};

inline constexpr const char* kTunedPeaksFileName = "onset-peaks.txt";

// Atomic write of runDir/onset-peaks.txt.
void writeTunedPeaks(const std::filesystem::path& runDir, const TunedPeaks& peaks);
// The tuned peak picking of a run (a run folder, a folder holding one fold-K run, or a model file in a run folder);
// nullopt when it has none. Throws sonolab::Error naming the file when it exists but is damaged or out of range.
std::optional<TunedPeaks> readTunedPeaks(const std::filesystem::path& runOrModelFile);

}  // namespace sonolab::onsets
