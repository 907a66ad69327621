#pragma once
// Audacity label tracks as File > Export > Export Labels writes them (Audacity 3.2): one label per line,
// "START\tEND\tTEXT" with times in seconds to 6 decimals; a point label has START == END. A line starting with
// "\\\t" after a label holds that label's frequency range (spectral selection); it is skipped. Import also accepts
// "START\tTEXT" (a point label) as Audacity does, and a decimal comma in times.
#include "core/annotations/Annotation.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace sonolab::annotations {

// Events in file order (point labels -> instants, others -> segments); kind guessed (see guessKind). Throws Error
// naming the file and line of a line that does not start with a time.
Annotation parseAudacityLabels(std::string_view text, const std::filesystem::path& file);

// One line per event. Tabs and line breaks inside labels become spaces (Audacity reads a tab as the end of the text).
// Times are rounded to the format's 1 microsecond.
std::string formatAudacityLabels(const Annotation& annotation);

}  // namespace sonolab::annotations
