#pragma once
// Settings libtorch and the C allocator keep for the whole process. Each program's main() makes them once, before
// any run starts (sonolab-cli and sonolab call configureProcess()); no trainer, predictor or run changes them.
//
// What a run's `threads` option (TrainingConfig::threads, OnsetTrainingConfig::threads, `--threads`) means: the
// intra-op threads of that run's tensor operations, set on the thread that runs it for the length of the run and
// restored afterwards (0 = all cores). libtorch's OpenMP backend (the one Sonolab builds against) keeps this count
// per calling thread, so a dashboard run and an onset run training at once each keep their own.
namespace sonolab::ml {

// glibc's allocator tuned for training (freed batch buffers stay mapped instead of costing ~1.5x in page faults),
// and libtorch's intra-op thread count for the calling thread and for threads libtorch starts itself
// (threads > 0 as given, 0 = all cores). Call once from main(), before starting other threads.
void configureProcess(int threads = 0);

// The intra-op thread count operations started on the calling thread use now.
int intraOpThreads();

}  // namespace sonolab::ml
