#include "core/ml/TrainingHistory.h"

#include "core/util/Error.h"

#include <cmath>
#include <limits>
#include <optional>
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

std::vector<std::string> splitCsv(const std::string& line) {
    std::vector<std::string> cells;
    std::size_t start = 0;
    for (;;) {
        const auto comma = line.find(',', start);
        cells.push_back(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) return cells;
        start = comma + 1;
    }
}

std::optional<double> number(const std::string& cell, const std::string& source, int line) {
    if (cell.empty()) return std::nullopt;
    std::size_t used = 0;
    double v = 0;
    try {
        v = std::stod(cell, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != cell.size()) throw Error(source, "line " + std::to_string(line) + ": '" + cell + "' is not a number");
    return v;
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

namespace sonolab::ml {

std::vector<EpochReport> readHistoryCsv(const std::string& text, const std::string& source) {
    std::vector<EpochReport> history;
    std::istringstream in(text);
    std::string line;
    std::vector<std::string> header;
    int lineNumber = 0;
    double bestLoss = std::numeric_limits<double>::infinity();
    std::size_t consumed = 0;
    while (std::getline(in, line)) {
        ++lineNumber;
        consumed += line.size() + 1;
        if (consumed > text.size()) break;  // no newline: the writer has not finished this line
        if (line.empty()) continue;
        auto cells = splitCsv(line);
        if (header.empty()) {
            if (cells.size() < 6 || cells[0] != "epoch") throw Error(source, "is not a curves.csv file (bad header)");
            header = std::move(cells);
            continue;
        }
        if (cells.size() != header.size())
            throw Error(source, "line " + std::to_string(lineNumber) + " has " + std::to_string(cells.size()) +
                                    " cells, the header " + std::to_string(header.size()));
        EpochReport r;
        r.epoch = int(number(cells[0], source, lineNumber).value_or(0)) - 1;
        r.trainLoss = number(cells[1], source, lineNumber).value_or(NAN);
        r.validationLoss = number(cells[2], source, lineNumber);
        r.learningRate = number(cells[3], source, lineNumber).value_or(0);
        r.seconds = number(cells[4], source, lineNumber).value_or(0);
        r.samplesPerSecond = number(cells[5], source, lineNumber).value_or(0);
        for (std::size_t k = 6; k < cells.size(); ++k)
            if (auto v = number(cells[k], source, lineNumber)) r.metrics[header[k]] = *v;
        r.best = r.validationLoss && *r.validationLoss < bestLoss;
        if (r.best) bestLoss = *r.validationLoss;
        history.push_back(std::move(r));
    }
    for (auto& r : history) r.epochs = int(history.size());
    return history;
}

}  // namespace sonolab::ml
