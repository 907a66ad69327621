#pragma once
// Which split of the library a training or evaluation job uses, shared by the classifier and siamese pipelines.
#include <string>

namespace sonolab::library {
class LibraryDatabase;
}

namespace sonolab::pipeline {

// `requested` when given, else the library's only split. Throws sonolab::Error naming the library when there is
// none, or several and none was named.
std::string chooseSplit(library::LibraryDatabase& db, const std::string& requested);

}  // namespace sonolab::pipeline
