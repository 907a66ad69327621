#pragma once
#include <QString>

namespace sonolab::app {

// sonolab --bench-open FILE: opens FILE in an offscreen main window (1200x760, whole track in view) `repeats` times
// and prints the time from open to the first pixels of the track and to the last spectrogram tile painted, with
// parallel segment decoding and with one decoder thread, against a plain single-thread decode of the same file.
int runOpenBenchmark(const QString& file, int repeats);

}  // namespace sonolab::app
