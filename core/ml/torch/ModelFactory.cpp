#include "core/ml/torch/TorchExtension.h"

#include "core/ml/torch/models/Architectures.h"
#include "core/util/Error.h"

namespace sonolab::ml {

const ModelFactory& ModelFactory::all() {
    static const ModelFactory factory = [] {
        ModelFactory f;
        models::addTutorialCnn(f);
        models::addMirex2015(f);
        models::addParallelCnn(f);
        models::addCompactCnn(f);
        models::addDense(f);
        models::addShortChunkResNet(f);
        models::addSiameseArchitectures(f);
        return f;
    }();
    return factory;
}

void ModelFactory::add(const std::string& name, NetworkBuilder build) {
    architectureInfo(name);  // only catalogued names: what programs list is what the runtime builds
    if (!build) throw Error("model factory", "no builder for '" + name + "'");
    builders_[name] = std::move(build);
}

const NetworkBuilder& ModelFactory::builder(const std::string& name) const {
    const auto it = builders_.find(name);
    if (it == builders_.end()) {
        architectureInfo(name);  // unknown to the catalog: its error lists the known names
        throw Error("model '" + name + "'", "this model runtime cannot build it");
    }
    return it->second;
}

}  // namespace sonolab::ml
