#include "core/ml/Task.h"

#include "core/util/Error.h"

#include <algorithm>
#include <set>

namespace sonolab::ml {
namespace {

std::string trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

}  // namespace

std::string_view toString(TaskKind kind) {
    switch (kind) {
        case TaskKind::Binary: return "binary";
        case TaskKind::SingleLabel: return "single";
        case TaskKind::MultiLabel: return "multi";
    }
    return "binary";
}

TaskSpec TaskSpec::parse(std::string_view text) {
    const std::string whole(text);
    auto colon = text.find(':');
    if (colon == std::string_view::npos)
        throw Error("task '" + whole + "'", "expected KIND:LABELS, e.g. binary:speech or single:a,b,c");
    const std::string kindText = trim(text.substr(0, colon));
    TaskSpec spec;
    if (kindText == "binary") spec.kind = TaskKind::Binary;
    else if (kindText == "single" || kindText == "single-label" || kindText == "single_label") spec.kind = TaskKind::SingleLabel;
    else if (kindText == "multi" || kindText == "multi-label" || kindText == "multi_label") spec.kind = TaskKind::MultiLabel;
    else throw Error("task '" + whole + "'", "unknown kind '" + kindText + "' (binary, single or multi)");

    std::set<std::string> seen;
    std::string_view rest = text.substr(colon + 1);
    while (true) {
        auto comma = rest.find(',');
        std::string label = trim(rest.substr(0, comma));
        if (label.empty()) throw Error("task '" + whole + "'", "empty label name");
        if (!seen.insert(label).second) throw Error("task '" + whole + "'", "label '" + label + "' appears twice");
        spec.labels.push_back(label);
        if (comma == std::string_view::npos) break;
        rest = rest.substr(comma + 1);
    }
    if (spec.kind == TaskKind::Binary && spec.labels.size() != 1)
        throw Error("task '" + whole + "'", "a binary task has exactly one label (use single: or multi: for more)");
    if (spec.kind == TaskKind::SingleLabel && spec.labels.size() < 2)
        throw Error("task '" + whole + "'", "a single-label task needs at least two classes");
    return spec;
}

std::string TaskSpec::toString() const {
    std::string s(ml::toString(kind));
    s += ':';
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (i) s += ',';
        s += labels[i];
    }
    return s;
}

}  // namespace sonolab::ml
