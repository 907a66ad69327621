// The plain-C++ side of contrastive pretraining (ContrastivePretraining.h): what makes a pair, and how many steps an
// epoch takes. The training itself is in the model runtime (torch/ContrastivePretrainer.cpp).
#include "core/ml/ContrastivePretraining.h"

#include "core/util/Error.h"

#include <map>

namespace sonolab::ml {

std::string_view toString(PairBy by) { return by == PairBy::Group ? "group" : "track"; }

PairBy parsePairBy(std::string_view text) {
    if (text == "track") return PairBy::Track;
    if (text == "group") return PairBy::Group;
    throw Error("pretrain", "pairs are made by \"track\" or \"group\", not \"" + std::string(text) + "\"");
}

std::vector<std::vector<std::size_t>> pairingUnits(std::size_t tracks, const std::vector<std::string>& groups, PairBy by) {
    if (!groups.empty() && groups.size() != tracks)
        throw Error("pretrain", std::to_string(groups.size()) + " groups given for " + std::to_string(tracks) + " tracks");
    std::vector<std::vector<std::size_t>> units;
    std::map<std::string, std::size_t, std::less<>> unitOfGroup;
    for (std::size_t i = 0; i < tracks; ++i) {
        const std::string* group = by == PairBy::Group && !groups.empty() && !groups[i].empty() ? &groups[i] : nullptr;
        if (!group) {
            units.push_back({i});
            continue;
        }
        const auto [it, added] = unitOfGroup.try_emplace(*group, units.size());
        if (added) units.emplace_back();
        units[it->second].push_back(i);
    }
    return units;
}

std::string fewStepsAdvice(int epochs, int batchSize, std::size_t units, std::size_t tracks) {
    const int perEpoch = pretrainingStepsPerEpoch(units, batchSize);
    if (perEpoch == 0 || std::size_t(perEpoch) * std::size_t(std::max(0, epochs)) >= kDefaultPretrainingSteps) return {};
    PretrainingConfig enough;
    enough.training.epochs = 1;
    enough.training.batchSize = batchSize;
    enough.steps = kDefaultPretrainingSteps;
    const int better = resolvedEpochs(enough, units);
    const std::string what = tracks == 0 || tracks == units
                                 ? std::to_string(units) + " tracks"
                                 : std::to_string(units) + " groups (" + std::to_string(tracks) + " tracks)";
    return std::to_string(epochs) + (epochs == 1 ? " epoch is only " : " epochs are only ") +
           std::to_string(perEpoch * epochs) + (perEpoch * epochs == 1 ? " step on " : " steps on ") +
           what + "; " + std::to_string(better) + " epochs (" +
           std::to_string(better * perEpoch) + " steps) learn a better space";
}

}  // namespace sonolab::ml
