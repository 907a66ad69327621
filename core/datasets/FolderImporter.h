#pragma once
// GTZAN-style collections: one folder per class (genres/blues/blues.00000.wav, music_speech/speech/greek1.wav).
// Every audio file below a class folder (at any depth) gets that class; files directly in the root are skipped.
#include "core/datasets/LabelledCollection.h"

#include <filesystem>
#include <string>

namespace sonolab::datasets {

struct FolderOptions {
    std::string labelSetName;  // empty = the root folder's name
};

LabelledCollection readClassFolders(const std::filesystem::path& root, const FolderOptions& options,
                                    ImportReport& report);

bool isAudioFileName(const std::filesystem::path& file);

}  // namespace sonolab::datasets
