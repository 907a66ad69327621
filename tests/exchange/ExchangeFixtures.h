#pragma once
// A small generated library the exchange tests share (train a run to predict with, embed a collection).
#include <filesystem>

namespace sonolab::test {

// `clips` two-second WAV clips in `dir` (clip0.wav ...): even ones pure tones (200..2000 Hz), odd ones white noise,
// labelled in the single-label set "kind" (tone / noise) and split 2/3 train, the rest validation and test, pairs
// kept together in one group. Returns the library file.
std::filesystem::path makeToneNoiseLibrary(const std::filesystem::path& dir, int clips);

}  // namespace sonolab::test
