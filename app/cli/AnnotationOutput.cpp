#include "AnnotationOutput.h"

#include "core/util/Error.h"

#include <cstdio>

namespace sonolab::cli {

CLI::Option* addAnnotationFormatOption(CLI::App* cmd, std::string& format, const std::string& what) {
    return cmd
        ->add_option("--format", format,
                     what + ": audacity (label track .txt), sv-csv (Sonic Visualiser layer .csv), jams, onsets "
                            "(one time per line)")
        ->check(CLI::IsMember(annotations::formatNames()));
}

annotations::Format chosenFormat(const std::string& format, const std::filesystem::path& out) {
    if (!format.empty()) {
        if (const auto f = annotations::parseFormat(format)) return *f;
        throw Error(format, "is not an annotation format");
    }
    if (const auto f = annotations::formatOfFile(out)) return *f;
    throw fileError(out, "has no annotation extension (.txt, .csv, .jams, .onsets); name one with --format");
}

void emitAnnotations(const std::vector<annotations::Annotation>& annotations, const std::string& format,
                     const std::filesystem::path& out, const annotations::WriteOptions& options) {
    const auto f = chosenFormat(format, out);
    if (out.empty()) {
        const std::string text = annotations::formatAnnotations(annotations, f, options);
        std::fwrite(text.data(), 1, text.size(), stdout);
        return;
    }
    annotations::writeAnnotationFile(out, annotations, f, options);
}

}  // namespace sonolab::cli
