#pragma once
// The recurrent onset detector of the ISMIR 2018 tutorial (part 3b, after Böck et al.): per-frame feature vectors
// (e.g. 314 multi-resolution spectral dims) -> stacked bidirectional recurrent layers (tanh RNN by default, LSTM or
// GRU as options) -> one sigmoid per frame, the onset activation. Sequences of any length; batches of sequences
// of different lengths are packed so padding never reaches the recurrences (the tutorial's Masking layer).
// Per-dimension standardisation fitted on the training set is stored with the weights.
// Public header: no torch types. A saved model is one file (`onset-rnn.pt`), readable with libtorch alone.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace sonolab::ml {

class OnsetRnnBackend;

struct OnsetRnnConfig {
    std::string cell = "rnn";  // rnn (tanh) | lstm | gru
    int hidden = 25;           // units per direction
    int layers = 3;
    std::size_t inputDims = 314;
    // rnn cell on the CPU: run the recurrence as one fused autograd step per layer and direction (the same
    // function as libtorch's RNN module, several times faster to train); false = the module's own forward.
    bool fusedRecurrence = true;
};

// One annotated sequence: features frames x dims (frame-major), targets one 0/1 (or soft) value per frame.
struct OnsetSequence {
    std::string name;
    std::size_t frames = 0;
    std::size_t dims = 0;
    std::vector<float> features;
    std::vector<float> targets;
};

// The 0/1 per-frame target of onset times (madmom quantize_events: frame round(t * fps); later ones dropped).
std::vector<float> quantizeOnsets(const std::vector<double>& onsets, double fps, std::size_t frames);

class OnsetRnnModel {
public:
    // Fresh weights from `seed`. Throws sonolab::Error on an unknown cell or non-positive sizes.
    explicit OnsetRnnModel(OnsetRnnConfig config = {}, std::uint64_t seed = 42);
    ~OnsetRnnModel();
    OnsetRnnModel(OnsetRnnModel&&) noexcept;
    OnsetRnnModel& operator=(OnsetRnnModel&&) noexcept;

    const OnsetRnnConfig& config() const;
    std::size_t parameterCount() const;
    std::vector<float> flatParameters() const;

    // Applied to every frame before the network: (x - mean) * scale, one value per input dim.
    void setStandardization(std::vector<float> mean, std::vector<float> scale);
    // Fits mean and 1/std (std floored at 1e-6) over every frame of `sequences`.
    void fitStandardization(const std::vector<OnsetSequence>& sequences);
    const std::vector<float>& standardizationMean() const;
    const std::vector<float>& standardizationScale() const;

    // Onset activation in [0, 1] per frame. Throws sonolab::Error when dims differ from config().inputDims.
    std::vector<float> predict(const float* features, std::size_t frames, std::size_t dims) const;
    std::vector<float> predict(const OnsetSequence& sequence) const {
        return predict(sequence.features.data(), sequence.frames, sequence.dims);
    }

    // Atomic write of weights, config and standardisation in one torch archive.
    void save(const std::filesystem::path& file) const;
    // A file written by save(), or a run folder holding onset-rnn.pt. Throws sonolab::Error naming the file.
    static OnsetRnnModel load(const std::filesystem::path& fileOrRunDir);
    static constexpr const char* kFileName = "onset-rnn.pt";

    // The model runtime's object (for the trainer inside the runtime, core/ml/torch).
    OnsetRnnBackend& backend() { return *backend_; }
    const OnsetRnnBackend& backend() const { return *backend_; }

private:
    explicit OnsetRnnModel(std::unique_ptr<OnsetRnnBackend> backend);
    std::unique_ptr<OnsetRnnBackend> backend_;
};

}  // namespace sonolab::ml
