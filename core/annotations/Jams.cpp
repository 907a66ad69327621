#include "core/annotations/Jams.h"

#include "core/util/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>

namespace sonolab::annotations {
namespace {

using nlohmann::json;

constexpr const char* kJamsVersion = "0.3.4";  // the jams release whose layout formatJams() follows

std::optional<Kind> kindOfNamespace(const std::string& ns) {
    if (ns == "onset") return Kind::Onset;
    if (ns == "beat") return Kind::Beat;
    if (ns.rfind("tag_", 0) == 0) return Kind::Tag;
    if (ns.rfind("segment_", 0) == 0) return Kind::Segment;
    return std::nullopt;
}

struct Where {
    const std::filesystem::path& file;
    std::string path;  // "annotations[2].data[5]"
    [[noreturn]] void fail(const std::string& problem) const { throw fileError(file, path + ": " + problem); }
};

double nonNegativeNumber(const json& j, const char* field, const Where& where) {
    if (!j.is_number()) where.fail(std::string("'") + field + "' must be a number of seconds");
    const double v = j.get<double>();
    if (v < 0) where.fail(std::string("'") + field + "' is negative");
    return v;
}

Event eventOf(Kind kind, double time, double duration, const json& value, const json& confidence, const Where& where) {
    Event e{.time = time, .duration = duration};
    if (kind == Kind::Tag || kind == Kind::Segment) {
        if (!value.is_string()) where.fail("the value of a " + std::string(kindName(kind)) + " must be a string");
        e.label = value.get<std::string>();
        if (confidence.is_number()) e.value = confidence.get<double>();
        return e;
    }
    if (value.is_string()) e.label = value.get<std::string>();
    else if (value.is_number()) e.value = value.get<double>();
    else if (!value.is_null()) where.fail("the value of an " + std::string(kindName(kind)) + " must be a number, text or null");
    return e;
}

Annotation readAnnotation(const json& a, Kind kind, const Where& where) {
    Annotation out{.kind = kind, .events = {}};
    const json& data = a.at("data");
    if (data.is_array()) {
        for (std::size_t i = 0; i < data.size(); ++i) {
            const Where at{where.file, where.path + ".data[" + std::to_string(i) + "]"};
            const json& o = data[i];
            if (!o.is_object()) at.fail("an observation must be an object");
            for (const char* field : {"time", "duration"})
                if (!o.contains(field)) at.fail(std::string("'") + field + "' is missing");
            out.events.push_back(eventOf(kind, nonNegativeNumber(o["time"], "time", at),
                                         nonNegativeNumber(o["duration"], "duration", at), o.value("value", json()),
                                         o.value("confidence", json()), at));
        }
    } else if (data.is_object()) {  // the dense layout of jams < 0.3: parallel arrays
        const json& times = data.value("time", json::array());
        const json& durations = data.value("duration", json::array());
        const json& values = data.value("value", json::array());
        const json& confidences = data.value("confidence", json::array());
        if (!times.is_array() || !durations.is_array() || durations.size() != times.size())
            where.fail("dense data needs 'time' and 'duration' arrays of one length");
        for (std::size_t i = 0; i < times.size(); ++i) {
            const Where at{where.file, where.path + ".data.time[" + std::to_string(i) + "]"};
            out.events.push_back(eventOf(kind, nonNegativeNumber(times[i], "time", at),
                                         nonNegativeNumber(durations[i], "duration", at),
                                         values.is_array() && i < values.size() ? values[i] : json(),
                                         confidences.is_array() && i < confidences.size() ? confidences[i] : json(), at));
        }
    } else {
        where.fail("'data' must be a list of observations");
    }
    std::stable_sort(out.events.begin(), out.events.end(), [](const Event& x, const Event& y) { return x.time < y.time; });
    return out;
}

json observation(Kind kind, const Event& e) {
    json value, confidence;
    switch (kind) {
        case Kind::Tag:
        case Kind::Segment:
            value = e.label;
            if (e.value) confidence = *e.value;
            break;
        case Kind::Beat:
            if (e.value) value = *e.value;
            break;
        case Kind::Onset:
            if (!e.label.empty()) value = e.label;
            else if (e.value) value = *e.value;
            break;
    }
    return {{"time", e.time}, {"duration", e.duration}, {"value", value}, {"confidence", confidence}};
}

}  // namespace

std::string_view jamsNamespace(Kind kind) {
    switch (kind) {
        case Kind::Onset: return "onset";
        case Kind::Beat: return "beat";
        case Kind::Tag: return "tag_open";
        case Kind::Segment: return "segment_open";
    }
    return "onset";
}

JamsDocument parseJams(std::string_view text, const std::filesystem::path& file) {
    json root;
    try {
        root = json::parse(text);
    } catch (const json::exception& e) {  // parse_error, and out_of_range for a number beyond double (fuzz_jams)
        throw fileError(file, std::string("is not JSON: ") + e.what());
    }
    if (!root.is_object() || !root.contains("annotations") || !root["annotations"].is_array())
        throw fileError(file, "is not a JAMS document (no 'annotations' list)");
    JamsDocument doc;
    if (const auto meta = root.find("file_metadata"); meta != root.end() && meta->is_object()) {
        if (const auto d = meta->find("duration"); d != meta->end() && d->is_number()) doc.duration = d->get<double>();
        if (const auto t = meta->find("title"); t != meta->end() && t->is_string()) doc.title = t->get<std::string>();
    }
    const json& annotations = root["annotations"];
    for (std::size_t i = 0; i < annotations.size(); ++i) {
        const Where where{file, "annotations[" + std::to_string(i) + "]"};
        const json& a = annotations[i];
        if (!a.is_object() || !a.contains("namespace") || !a["namespace"].is_string()) where.fail("has no 'namespace'");
        if (!a.contains("data")) where.fail("has no 'data'");
        const auto kind = kindOfNamespace(a["namespace"].get<std::string>());
        if (!kind) continue;
        doc.annotations.push_back(readAnnotation(a, *kind, where));
    }
    if (doc.annotations.empty())
        throw fileError(file, "holds no onset, beat, tag_* or segment_* annotation");
    return doc;
}

std::string formatJams(const JamsDocument& document, const std::string& annotationTools) {
    double duration = document.duration;
    if (duration <= 0)
        for (const auto& a : document.annotations)
            for (const auto& e : a.events) duration = std::max(duration, e.time + e.duration);
    json annotations = json::array();
    for (const auto& a : document.annotations) {
        json data = json::array();
        for (const auto& e : a.events) data.push_back(observation(a.kind, e));
        annotations.push_back({
            {"annotation_metadata",
             {{"curator", {{"name", ""}, {"email", ""}}},
              {"annotator", json::object()},
              {"version", ""},
              {"corpus", ""},
              {"annotation_tools", annotationTools},
              {"annotation_rules", ""},
              {"validation", ""},
              {"data_source", "Sonolab"}}},
            {"namespace", jamsNamespace(a.kind)},
            {"data", std::move(data)},
            {"sandbox", json::object()},
            {"time", 0},
            {"duration", duration},
        });
    }
    const json root = {
        {"annotations", std::move(annotations)},
        {"file_metadata",
         {{"title", document.title},
          {"artist", ""},
          {"release", ""},
          {"duration", duration},
          {"identifiers", json::object()},
          {"jams_version", kJamsVersion}}},
        {"sandbox", json::object()},
    };
    return root.dump(1) + "\n";
}

}  // namespace sonolab::annotations
