#include "core/util/TaskSpec.h"

#include "core/util/Error.h"
#include "core/util/Text.h"

#include <algorithm>

namespace sonolab {

std::string_view toString(TaskKind kind) {
    switch (kind) {
        case TaskKind::Binary: return "binary";
        case TaskKind::SingleLabel: return "single";
        case TaskKind::MultiLabel: return "multi";
    }
    return "binary";
}

TaskSpec TaskSpec::parse(std::string_view text) {
    const std::string subject = "task '" + std::string(text) + "'";
    auto colon = text.find(':');
    if (colon == std::string_view::npos)
        throw Error(subject, "expected KIND:LABELS, e.g. binary:speech, single:a,b,c or multi:a,b (optionally @labelset)");
    const std::string kindText = trim(text.substr(0, colon));
    TaskSpec spec;
    if (kindText == "binary") spec.kind = TaskKind::Binary;
    else if (kindText == "single" || kindText == "single-label" || kindText == "single_label") spec.kind = TaskKind::SingleLabel;
    else if (kindText == "multi" || kindText == "multi-label" || kindText == "multi_label") spec.kind = TaskKind::MultiLabel;
    else throw Error(subject, "unknown kind '" + kindText + "' (binary, single or multi)");

    std::string_view rest = text.substr(colon + 1);
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
        spec.labelSet = trim(rest.substr(at + 1));
        if (spec.labelSet.empty()) throw Error(subject, "no label set name after '@'");
        rest = rest.substr(0, at);
    }
    if (trim(rest).empty()) throw Error(subject, "no labels after '" + kindText + ":'");
    while (true) {
        const auto comma = rest.find(',');
        std::string label = trim(rest.substr(0, comma));
        if (label.empty()) throw Error(subject, "empty label name");
        if (std::find(spec.labels.begin(), spec.labels.end(), label) != spec.labels.end())
            throw Error(subject, "label '" + label + "' appears twice");
        spec.labels.push_back(std::move(label));
        if (comma == std::string_view::npos) break;
        rest = rest.substr(comma + 1);
    }
    if (spec.kind == TaskKind::Binary && spec.labels.size() != 1)
        throw Error(subject, "a binary task has exactly one label (use single: or multi: for more)");
    if (spec.kind == TaskKind::SingleLabel && spec.labels.size() < 2)
        throw Error(subject, "a single-label task needs at least two classes");
    return spec;
}

std::string TaskSpec::toString() const {
    std::string s(sonolab::toString(kind));
    s += ':';
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (i) s += ',';
        s += labels[i];
    }
    if (!labelSet.empty()) s += "@" + labelSet;
    return s;
}

TaskSpec TaskSpec::withoutLabelSet() const {
    TaskSpec t = *this;
    t.labelSet.clear();
    return t;
}

}  // namespace sonolab
