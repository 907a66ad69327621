#include "core/ml/SpectrogramAugmentation.h"

#include "core/util/Error.h"

#include <algorithm>
#include <vector>

namespace sonolab::ml {
namespace {

// Each name with its default strength: masks of ~1/8 of an 80 x 80 crop, +/-6 dB, +/-8 % tempo, +/-8 frames (about a
// tenth of a crop), and half the crops mixed with another track 3-12 dB below (COLA/CLMR-sized perturbations).
void enable(SpectrogramAugmentation& a, std::string_view name) {
    if (name == "tmask") a.timeMasks = 2;
    else if (name == "fmask") a.frequencyMasks = 2;
    else if (name == "gain") a.gainDb = 6.0f;
    else if (name == "stretch") a.stretch = 0.08f;
    else if (name == "shift") a.shiftFrames = 8;
    else if (name == "mix") a.mixProbability = 0.5f;
    else
        throw Error("augmentations '" + std::string(name) + "'",
                    "unknown augmentation (tmask, fmask, gain, stretch, shift, mix, all or none)");
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

}  // namespace

SpectrogramAugmentation SpectrogramAugmentation::parse(std::string_view list) {
    SpectrogramAugmentation a;
    list = trim(list);
    if (list.empty() || list == "none") return a;
    if (list == "all") list = "tmask,fmask,gain,stretch,shift,mix";
    while (!list.empty()) {
        const auto comma = list.find(',');
        const std::string_view item = trim(list.substr(0, comma));
        enable(a, item);
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return a;
}

void SpectrogramAugmentation::add(const SpectrogramAugmentation& o) {
    // A mask's width counts only where the other side masks at all (a width is set even with no masks).
    auto masks = [](int& count, int& width, int otherCount, int otherWidth) {
        if (otherCount <= 0) return;
        count = std::max(count, otherCount);
        width = std::max(width, otherWidth);
    };
    masks(timeMasks, timeMaskFrames, o.timeMasks, o.timeMaskFrames);
    masks(frequencyMasks, frequencyMaskBands, o.frequencyMasks, o.frequencyMaskBands);
    gainDb = std::max(gainDb, o.gainDb);
    stretch = std::max(stretch, o.stretch);
    shiftFrames = std::max(shiftFrames, o.shiftFrames);
    if (o.mixProbability > 0) {
        mixProbability = std::max(mixProbability, o.mixProbability);
        mixMinDb = std::min(mixMinDb, o.mixMinDb);
        mixMaxDb = std::max(mixMaxDb, o.mixMaxDb);
    }
}

SpectrogramAugmentation SpectrogramAugmentation::fromCropSettings(float gainDb, int frequencyMasks, int timeMasks) {
    SpectrogramAugmentation a;
    if (gainDb > 0) enable(a, "gain");
    if (frequencyMasks > 0) enable(a, "fmask");
    if (timeMasks > 0) enable(a, "tmask");
    return a;
}

std::string SpectrogramAugmentation::toString() const {
    std::vector<const char*> names;
    if (timeMasks > 0) names.push_back("tmask");
    if (frequencyMasks > 0) names.push_back("fmask");
    if (gainDb > 0) names.push_back("gain");
    if (stretch > 0) names.push_back("stretch");
    if (shiftFrames > 0) names.push_back("shift");
    if (mixProbability > 0) names.push_back("mix");
    std::string out;
    for (const char* n : names) out += (out.empty() ? "" : ",") + std::string(n);
    return out.empty() ? "none" : out;
}

}  // namespace sonolab::ml
