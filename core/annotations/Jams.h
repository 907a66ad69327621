#pragma once
// JAMS (JSON Annotated Music Specification, jams 0.3) files: one document per audio file holding annotations, each
// of one namespace. Read: the onset, beat, tag_* (tag_open, tag_gtzan, ...) and segment_* (segment_open,
// segment_salami_*, ...) namespaces, sparse or dense data; other namespaces (chords, pitch ...) are skipped.
// Written: what the JAMS schema requires (file_metadata with duration; per annotation namespace, data with time,
// duration, value and confidence per observation, annotation_metadata and sandbox; a top-level sandbox), laid out as
// the jams Python package writes it, so jams.load() and mir_eval read it.
//
// Event <-> observation: onset: value = the label (text) or the number, else null; beat: value = the number
// (metrical position) or null; tag and segment: value = the label, confidence = the number or null.
#include "core/annotations/Annotation.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace sonolab::annotations {

struct JamsDocument {
    double duration = 0;  // file_metadata.duration: of the audio, seconds
    std::string title;    // file_metadata.title
    std::vector<Annotation> annotations;
};

// Throws Error naming the file (and the JSON line, or the annotation and observation index) when the text is not a
// JAMS document or holds none of the namespaces above.
JamsDocument parseJams(std::string_view text, const std::filesystem::path& file);

// The JAMS namespace an annotation of `kind` is written in.
std::string_view jamsNamespace(Kind kind);

// `annotationTools` goes to every annotation_metadata.annotation_tools (e.g. "sonolab-cli onsets --method flux").
// A zero duration is replaced by the end of the last event, since the schema's readers need one.
std::string formatJams(const JamsDocument& document, const std::string& annotationTools = "Sonolab");

}  // namespace sonolab::annotations
