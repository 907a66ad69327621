#pragma once
// Labelled collections from a folder, in one of two layouts:
//   class folders   GTZAN-style: one folder per class (genres/blues/blues.00000.wav, music_speech/speech/greek1.wav).
//                   Every audio file below a class folder (at any depth) gets that class; files directly in the root
//                   are skipped.
//   label files     audio with an annotation file beside it, same name (song.wav + song.jams / song.txt Audacity
//                   labels / song.csv Sonic Visualiser layer; core/annotations reads them): the track's labels are
//                   the distinct labels of its events (JAMS: of its tag_* and segment_* annotations). Single-label
//                   when every track has one label, else multi-label. Audio without a label file is skipped.
// Auto (the default) picks label files when any audio file below the root has one beside it. (A single file listing
// files and their labels is the CSV importer's.)
#include "core/datasets/LabelledCollection.h"

#include <filesystem>
#include <string>

namespace sonolab::datasets {

enum class FolderLayout { Auto, ClassFolders, LabelFiles };

struct FolderOptions {
    std::string labelSetName;  // empty = the root folder's name
    FolderLayout layout = FolderLayout::Auto;
};

LabelledCollection readClassFolders(const std::filesystem::path& root, const FolderOptions& options,
                                    ImportReport& report);

bool isAudioFileName(const std::filesystem::path& file);

// The label file beside an audio file (STEM.jams, STEM.txt, STEM.csv, in that order); empty when there is none.
std::filesystem::path labelFileBeside(const std::filesystem::path& audio);

}  // namespace sonolab::datasets
