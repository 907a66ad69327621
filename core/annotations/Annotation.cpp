#include "core/annotations/Annotation.h"

#include <algorithm>

namespace sonolab::annotations {

std::string_view kindName(Kind kind) {
    switch (kind) {
        case Kind::Onset: return "onset";
        case Kind::Beat: return "beat";
        case Kind::Tag: return "tag";
        case Kind::Segment: return "segment";
    }
    return "onset";
}

std::vector<double> eventTimes(const Annotation& annotation) {
    std::vector<double> times;
    times.reserve(annotation.events.size());
    for (const auto& e : annotation.events) times.push_back(e.time);
    std::sort(times.begin(), times.end());
    return times;
}

Annotation instants(const std::vector<double>& times, Kind kind) {
    Annotation a{.kind = kind, .events = {}};
    a.events.reserve(times.size());
    for (double t : times) a.events.push_back({.time = t});
    return a;
}

Kind guessKind(const std::vector<Event>& events) {
    const bool anyDuration = std::any_of(events.begin(), events.end(), [](const Event& e) { return e.duration > 0; });
    return anyDuration ? Kind::Segment : Kind::Onset;
}

}  // namespace sonolab::annotations
