#include "core/ml/TrainingHistory.h"

#include "core/util/Error.h"

#include <set>
#include <sstream>

namespace sonolab::ml {
namespace {

std::string exact(double v) {
    std::ostringstream s;
    s.precision(17);
    s << v;
    return s.str();
}

}  // namespace

std::string encodeHistory(const std::vector<EpochReport>& history) {
    // One line per epoch: epoch trainLoss hasValidation validationLoss lr seconds rate best nMetrics (name value)*
    std::ostringstream out;
    for (const auto& r : history) {
        out << r.epoch << ' ' << exact(r.trainLoss) << ' ' << (r.validationLoss ? 1 : 0) << ' '
            << exact(r.validationLoss.value_or(0.0)) << ' ' << exact(r.learningRate) << ' ' << exact(r.seconds) << ' '
            << exact(r.samplesPerSecond) << ' ' << (r.best ? 1 : 0) << ' ' << r.metrics.size();
        for (const auto& [k, v] : r.metrics) out << ' ' << k << ' ' << exact(v);
        out << '\n';
    }
    return out.str();
}

std::vector<EpochReport> decodeHistory(const std::string& text, int epochs) {
    std::vector<EpochReport> history;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        std::istringstream f(line);
        EpochReport r;
        int hasValidation = 0, best = 0;
        std::size_t metrics = 0;
        double validationLoss = 0;
        f >> r.epoch >> r.trainLoss >> hasValidation >> validationLoss >> r.learningRate >> r.seconds >>
            r.samplesPerSecond >> best >> metrics;
        for (std::size_t k = 0; k < metrics && f; ++k) {
            std::string name;
            double v = 0;
            f >> name >> v;
            r.metrics[name] = v;
        }
        if (!f) throw Error("checkpoint", "damaged training history");
        if (hasValidation) r.validationLoss = validationLoss;
        r.best = best != 0;
        r.epochs = epochs;
        history.push_back(std::move(r));
    }
    return history;
}

std::string historyCsv(const std::vector<EpochReport>& history) {
    std::set<std::string> names;
    for (const auto& r : history)
        for (const auto& kv : r.metrics) names.insert(kv.first);
    std::ostringstream out;
    out << "epoch,train_loss,validation_loss,learning_rate,seconds,samples_per_second";
    for (const auto& n : names) out << ',' << n;
    out << '\n';
    for (const auto& r : history) {
        out << r.epoch + 1 << ',' << exact(r.trainLoss) << ','
            << (r.validationLoss ? exact(*r.validationLoss) : std::string()) << ',' << exact(r.learningRate) << ','
            << exact(r.seconds) << ',' << exact(r.samplesPerSecond);
        for (const auto& n : names) {
            auto it = r.metrics.find(n);
            out << ',' << (it == r.metrics.end() ? std::string() : exact(it->second));
        }
        out << '\n';
    }
    return out.str();
}

}  // namespace sonolab::ml
