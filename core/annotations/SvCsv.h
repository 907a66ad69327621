#pragma once
// Sonic Visualiser annotation layers as File > Export Annotation Layer writes them (SV 4.5) and its CSV import reads
// them: one event per line, comma- or tab-separated, columns in SV's order
//     TIME[,VALUE][,DURATION][,LEVEL][,LABEL]
// (time instants: TIME[,LABEL]; time-value points: TIME,VALUE[,LABEL]; regions: TIME,VALUE,DURATION[,LABEL]; notes
// add LEVEL, which is skipped here). Times and durations in seconds (SV writes 9 decimals); an empty label is left
// out; a field holding the delimiter or a quote is double-quoted. SV 4.5 can also write a header row (TIME, VALUE,
// DURATION, LEVEL, LABEL): when the first line does not start with a number it names the columns.
//
// Without a header the columns are found per file: the leading numeric columns of the lines that have a label
// (time, then value, then duration, then level), the rest is the label. A file whose only labels are numbers is
// therefore read as time-value points, as SV's own import guesses it; the writer adds a header where its columns
// would otherwise be ambiguous (segments without values, events missing a value, numeric labels).
#include "core/annotations/Annotation.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace sonolab::annotations {

// Kind guessed (see guessKind). Throws Error naming the file and line of a line that does not fit the columns, and
// for times in sample frames (a FRAME header), which need the audio's sample rate.
Annotation parseSvCsv(std::string_view text, const std::filesystem::path& file);

// `delimiter` ',' (SV's .csv) or '\t'.
std::string formatSvCsv(const Annotation& annotation, char delimiter = ',');

}  // namespace sonolab::annotations
