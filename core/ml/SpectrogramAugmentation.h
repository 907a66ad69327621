#pragma once
// Random changes to log-magnitude (dB) spectrogram crops that keep what a track "is": the views of contrastive
// pretraining (ContrastivePretraining.h) and, on request, the training batches of supervised runs
// (TrainingConfig::spectrogramAugmentation). The torch implementation is core/ml/torch/SpectrogramAugmenter.cpp; the
// defaults and the choice of which to use come from measurement (bench/pretrain-augmentations.sh, issue 16).
//
// Order on each crop: mix with another crop of the batch (dB sum of powers), time stretch and shift (one resampling),
// gain, then time and frequency masks (to the standardised mean, 0, as SpecAugment does).
//
//   auto a = ml::SpectrogramAugmentation::parse("tmask,fmask,gain,mix");   // or "all", "none"
#include <string>
#include <string_view>

namespace sonolab::ml {

struct SpectrogramAugmentation {
    int timeMasks = 0;            // "tmask": masks of up to timeMaskFrames frames (SpecAugment)
    int timeMaskFrames = 10;
    int frequencyMasks = 0;       // "fmask": masks of up to frequencyMaskBands bands
    int frequencyMaskBands = 10;
    float gainDb = 0.0f;          // "gain": +/- uniform level change in dB
    float stretch = 0.0f;         // "stretch": time scaled by a factor in [1 - stretch, 1 + stretch]
    int shiftFrames = 0;          // "shift": translated by up to +/- this many frames (edges repeated)
    float mixProbability = 0.0f;  // "mix": chance of adding another crop of the batch, mixMinDb..mixMaxDb below it
    float mixMinDb = -12.0f, mixMaxDb = -3.0f;

    bool any() const {
        return timeMasks > 0 || frequencyMasks > 0 || gainDb > 0 || stretch > 0 || shiftFrames > 0 || mixProbability > 0;
    }
    // A comma-separated list of the names above with their default strength ("tmask,fmask,gain,stretch,shift,mix"),
    // "all" for every one, "none" or "" for none. Throws sonolab::Error naming an unknown entry.
    static SpectrogramAugmentation parse(std::string_view list);
    // The names of the augmentations in use, as parse() reads them ("none" when there is none).
    std::string toString() const;
    // Turns on what `other` uses too, each at the stronger of the two settings.
    void add(const SpectrogramAugmentation& other);
    // What the per-crop gain and masks of older runs (`train --augment`, model.txt's config.augment.gain_db,
    // frequency_masks and time_masks) are now: the kinds they used, at this module's strengths.
    static SpectrogramAugmentation fromCropSettings(float gainDb, int frequencyMasks, int timeMasks);
    bool operator==(const SpectrogramAugmentation&) const = default;
};

}  // namespace sonolab::ml
