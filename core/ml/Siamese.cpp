// Pair datasets and item embeddings for siamese networks (see Siamese.h); the losses live in the model runtime.
#include "core/ml/Siamese.h"

#include "core/ml/Predictor.h"
#include "core/util/Error.h"

#include <algorithm>
#include <memory>

namespace sonolab::ml {

FeatureMatrix stackPair(const FeatureMatrix& a, const FeatureMatrix& b) {
    if (shapeOf(a) != shapeOf(b))
        throw Error("siamese pair", "items of " + std::to_string(a.bins()) + "x" + std::to_string(a.frames()) + " and " +
                                        std::to_string(b.bins()) + "x" + std::to_string(b.frames()) + " cannot be paired");
    const FeatureMatrix* items[] = {&a, &b};
    return stackBins(items);
}

Dataset makePairDataset(std::string name, std::vector<FeatureMatrix> items, const std::vector<ItemPair>& pairs,
                        const std::vector<std::string>& itemIds) {
    if (!itemIds.empty() && itemIds.size() != items.size())
        throw Error("siamese pairs", std::to_string(itemIds.size()) + " ids for " + std::to_string(items.size()) + " items");
    Dataset dataset(std::move(name), TaskSpec::parse("binary:similar"));
    // Stacked lazily: a pair's copy exists only once a batch needs it.
    auto shared = std::make_shared<const std::vector<FeatureMatrix>>(std::move(items));
    for (const auto& p : pairs) {
        if (p.a >= shared->size() || p.b >= shared->size())
            throw Error("siamese pairs", "pair (" + std::to_string(p.a) + ", " + std::to_string(p.b) + ") names a missing item");
        const auto& a = (*shared)[p.a];
        if (shapeOf(a) != shapeOf((*shared)[p.b])) stackPair(a, (*shared)[p.b]);  // throws with the shapes
        ExampleInfo info;
        info.id = itemIds.empty() ? std::to_string(p.a) + "|" + std::to_string(p.b) : itemIds[p.a] + "|" + itemIds[p.b];
        info.group = info.id;
        info.target = {std::clamp(p.target, 0.0f, 1.0f)};
        dataset.addLazy(std::move(info), InputShape{a.bins() * 2, a.frames()},
                        [shared, p] { return stackPair((*shared)[p.a], (*shared)[p.b]); });
    }
    return dataset;
}

std::vector<float> siameseEmbed(const Predictor& predictor, const FeatureMatrix& item) {
    if (predictor.info().input.bands == 2 * item.bins()) return predictor.embed(stackPair(item, item));
    return predictor.embed(item);
}

}  // namespace sonolab::ml
