#include "core/ml/ModelFactory.h"

#include "core/ml/TorchExtension.h"
#include "core/ml/models/Architectures.h"
#include "core/util/Error.h"

namespace sonolab::ml {

ModelFactory::ModelFactory() = default;
ModelFactory::~ModelFactory() = default;
ModelFactory::ModelFactory(const ModelFactory&) = default;
ModelFactory& ModelFactory::operator=(const ModelFactory&) = default;

ModelFactory ModelFactory::withBuiltins() {
    ModelFactory f;
    models::addTutorialCnn(f);
    models::addMirex2015(f);
    models::addParallelCnn(f);
    models::addCompactCnn(f);
    models::addDense(f);
    models::addShortChunkResNet(f);
    return f;
}

const ModelFactory& ModelFactory::builtins() {
    static const ModelFactory factory = withBuiltins();
    return factory;
}

std::vector<ArchitectureInfo> ModelFactory::architectures() const {
    std::vector<ArchitectureInfo> list;
    for (const auto& e : entries_) list.push_back(e->info);
    return list;
}

bool ModelFactory::has(const std::string& name) const {
    for (const auto& e : entries_)
        if (e->info.name == name) return true;
    return false;
}

const ArchitectureEntry& ModelFactory::entry(const std::string& name) const {
    for (const auto& e : entries_)
        if (e->info.name == name) return *e;
    std::string known;
    for (const auto& e : entries_) known += (known.empty() ? "" : ", ") + e->info.name;
    throw Error("model '" + name + "'", "unknown architecture (known: " + known + ")");
}

const ArchitectureInfo& ModelFactory::info(const std::string& name) const { return entry(name).info; }

void ModelFactory::add(std::shared_ptr<const ArchitectureEntry> entry) {
    if (!entry || entry->info.name.empty() || !entry->build) throw Error("model factory", "incomplete architecture");
    std::erase_if(entries_, [&](const auto& e) { return e->info.name == entry->info.name; });
    entries_.push_back(std::move(entry));
}

std::size_t ModelFactory::parameterCount(const ModelSpec& spec, InputShape input, std::size_t outputs) const {
    auto net = entry(spec.architecture).build(spec, input, outputs);
    std::size_t n = 0;
    for (const auto& p : net->parameters()) n += std::size_t(p.numel());
    return n;
}

}  // namespace sonolab::ml
