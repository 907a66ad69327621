#pragma once
// "Similarity marks": what the similarity browser (and `sonolab-cli similar`) found for a query track, as an
// annotation of the query's audio, so an editor shows it on the query's timeline:
//   - one segment for the query itself over the whole track, labelled "query: NAME", value 0;
//   - one segment per neighbour, nearest first, labelled "RANK: NAME", valued with its distance (the SV value, the
//     JAMS confidence: read it as a distance, smaller = nearer). Where the space compares windows, the segment is the
//     query's window that matches that neighbour best (where to listen for the likeness); otherwise the whole track.
// Written as tags (JAMS tag_open): the neighbour is a label of a stretch of the query, not a section of its form.
#include "core/annotations/Annotation.h"

#include <optional>
#include <string>
#include <vector>

namespace sonolab::annotations {

struct NeighbourMark {
    std::string name;                     // what a user recognises: "artist - title", else the file name
    double distance = 0;
    std::optional<double> matchStart;     // the query's best-matching window, seconds (spaces with windows)
    double matchDuration = 0;
};

// `trackSeconds`: the query's duration (the whole-track segments' length). Neighbours keep their order.
Annotation similarityMarks(const std::string& queryName, const std::vector<NeighbourMark>& neighbours,
                           double trackSeconds);

}  // namespace sonolab::annotations
