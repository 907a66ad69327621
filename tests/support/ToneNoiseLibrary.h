#pragma once
// A small generated library for tests that train, predict or embed from a library (header-only: only the test
// programs that include it need core/library): `clips` two-second WAV clips in `dir` (clip0.wav ...), even ones pure
// tones (200..2000 Hz), odd ones white noise, labelled in the single-label set "kind" (tone / noise), split by pairs
// (one group per pair) 2/3 train, 1/6 validation, the rest test. Returns the library file.
#include "core/library/LibraryDatabase.h"
#include "core/util/ContentHash.h"
#include "support/TestSupport.h"

#include <cmath>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace sonolab::test {

inline std::filesystem::path makeToneNoiseLibrary(const std::filesystem::path& dir, int clips) {
    const auto file = dir / "lib.sqlite";
    library::LibraryDatabase db(file);
    db.createLabelSet("kind", library::LabelKind::Single, {"tone", "noise"}, "test");
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> freq(200.0f, 2000.0f), white(-0.4f, 0.4f);
    std::vector<library::SplitAssignment> split;
    const int pairs = clips / 2;
    for (int i = 0; i < clips; ++i) {
        const bool noise = i % 2 == 1;
        std::vector<float> samples;
        if (noise) {
            samples.resize(44100);
            for (float& s : samples) s = white(rng);
        } else {
            samples = sine(freq(rng), 2.0, 22050, 0.4f);
        }
        const auto wav = dir / ("clip" + std::to_string(i) + ".wav");
        writeWav16(wav, samples, 22050);
        library::TrackRecord t;
        t.path = wav.generic_string();
        t.contentHash = hashFile(wav);
        t.durationSeconds = 2.0;
        t.group = "source" + std::to_string(i / 2);
        const auto id = db.upsertTrack(t);
        db.setLabel("kind", id, noise ? "noise" : "tone", 1.0, "test");
        const int pair = i / 2;
        split.push_back({id, pair < pairs * 2 / 3 ? library::SplitPart::Train
                             : pair < pairs * 5 / 6 ? library::SplitPart::Validation
                                                    : library::SplitPart::Test});
    }
    db.writeSplit("grouped", split);
    return file;
}

// A track whose top label changes over time: a 440 Hz tone, white noise, then (withTail) a 660 Hz tone, each
// `partSeconds` long, 22.05 kHz, as the library's clips sound.
inline void writeToneNoiseTrack(const std::filesystem::path& file, double partSeconds, bool withTail = true) {
    std::vector<float> samples = sine(440, partSeconds, 22050, 0.4f);
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> white(-0.4f, 0.4f);
    for (long i = 0; i < std::lround(partSeconds * 22050); ++i) samples.push_back(white(rng));
    if (withTail) {
        const auto tone = sine(660, partSeconds, 22050, 0.4f);
        samples.insert(samples.end(), tone.begin(), tone.end());
    }
    writeWav16(file, samples, 22050);
}

}  // namespace sonolab::test
