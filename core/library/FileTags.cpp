#include "core/library/FileTags.h"

#ifdef SONOLAB_HAVE_TAGLIB
#include <taglib/fileref.h>
#include <taglib/tag.h>
#endif

namespace sonolab::library {

FileTags readFileTags(const std::filesystem::path& file) {
    FileTags tags;
#ifdef SONOLAB_HAVE_TAGLIB
    // readAudioProperties = false: the decoder's probe gives duration and format; TagLib only reads the tag blocks.
    TagLib::FileRef ref(file.c_str(), false);
    if (!ref.isNull() && ref.tag()) {
        const TagLib::Tag* tag = ref.tag();
        tags.title = tag->title().to8Bit(true);
        tags.artist = tag->artist().to8Bit(true);
        tags.album = tag->album().to8Bit(true);
        tags.genre = tag->genre().to8Bit(true);
    }
#else
    (void)file;
#endif
    return tags;
}

}  // namespace sonolab::library
