#pragma once
// The one in-memory form of time annotations that Sonolab reads from and writes to the tools MIR people use
// (Audacity label tracks, Sonic Visualiser CSV, JAMS, plain .onsets): a list of events, each an instant or a segment,
// with an optional label and an optional number. Every reader produces it and every writer takes it, so a file in
// one format converts to any other through it.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonolab::annotations {

struct Event {
    double time = 0;              // seconds from the start of the audio
    double duration = 0;          // seconds; 0 = an instant (an Audacity point label, an SV time instant)
    std::string label;            // may be empty
    std::optional<double> value;  // the number an event carries: SV's value column, a JAMS beat's metrical position
                                  // or a JAMS tag/segment's confidence (a class probability)

    bool operator==(const Event&) const = default;
};

// What the events mean. It picks the JAMS namespace on writing; the plain-text formats do not record it, so their
// readers guess it (instants -> Onset, any duration -> Segment).
enum class Kind {
    Onset,    // JAMS "onset"
    Beat,     // JAMS "beat" (value = metrical position)
    Tag,      // JAMS "tag_open" (label = tag, value = confidence)
    Segment,  // JAMS "segment_open" (label = section name, value = confidence)
};

std::string_view kindName(Kind kind);

struct Annotation {
    Kind kind = Kind::Onset;
    std::vector<Event> events;  // in time order

    bool operator==(const Annotation&) const = default;
};

// Event times only (e.g. an onset ground truth from any annotation file), ascending.
std::vector<double> eventTimes(const Annotation& annotation);

// Instants at `times` (no label, no value): detected onsets.
Annotation instants(const std::vector<double>& times, Kind kind = Kind::Onset);

// Guesses the kind of events read from a format that does not say (instants -> Onset, else Segment).
Kind guessKind(const std::vector<Event>& events);

}  // namespace sonolab::annotations
