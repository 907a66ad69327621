#include "core/annotations/AnnotationFile.h"

#include "core/annotations/AnnotationText.h"
#include "core/annotations/AudacityLabels.h"
#include "core/annotations/Jams.h"
#include "core/annotations/OnsetsFile.h"
#include "core/annotations/SvCsv.h"
#include "core/util/AtomicFile.h"
#include "core/util/Error.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace sonolab::annotations {
namespace {

struct FormatInfo {
    Format format;
    std::string_view name, extension;
};
constexpr std::array<FormatInfo, 4> kFormats{{{Format::Audacity, "audacity", ".txt"},
                                             {Format::SvCsv, "sv-csv", ".csv"},
                                             {Format::Jams, "jams", ".jams"},
                                             {Format::Onsets, "onsets", ".onsets"}}};

const FormatInfo& info(Format format) {
    return *std::find_if(kFormats.begin(), kFormats.end(), [&](const FormatInfo& f) { return f.format == format; });
}

Annotation merged(const std::vector<Annotation>& annotations) {
    if (annotations.size() == 1) return annotations[0];
    Annotation all;
    for (const auto& a : annotations) all.events.insert(all.events.end(), a.events.begin(), a.events.end());
    std::stable_sort(all.events.begin(), all.events.end(), [](const Event& x, const Event& y) { return x.time < y.time; });
    all.kind = annotations.empty() ? Kind::Onset : annotations[0].kind;
    return all;
}

}  // namespace

std::optional<Format> parseFormat(std::string_view name) {
    for (const auto& f : kFormats)
        if (f.name == name) return f.format;
    return std::nullopt;
}

std::string_view formatName(Format format) { return info(format).name; }

std::vector<std::string> formatNames() {
    std::vector<std::string> names;
    for (const auto& f : kFormats) names.emplace_back(f.name);
    return names;
}

std::string_view fileExtension(Format format) { return info(format).extension; }

std::optional<Format> formatOfFile(const std::filesystem::path& file) {
    std::string ext = file.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (ext == ".tsv") return Format::SvCsv;
    for (const auto& f : kFormats)
        if (f.extension == ext) return f.format;
    return std::nullopt;
}

std::vector<Annotation> readAnnotationFile(const std::filesystem::path& file, std::optional<Format> format) {
    if (!format) format = formatOfFile(file);
    if (!format)
        throw fileError(file, "is not an annotation file (expected .txt, .csv, .tsv, .jams or .onsets)");
    const std::string text = readTextFile(file);
    switch (*format) {
        case Format::Audacity: return {parseAudacityLabels(text, file)};
        case Format::SvCsv: return {parseSvCsv(text, file)};
        case Format::Jams: return parseJams(text, file).annotations;
        case Format::Onsets: return {instants(parseOnsets(text, file))};
    }
    return {};
}

std::vector<double> readOnsetTimes(const std::filesystem::path& file) {
    const auto annotations = readAnnotationFile(file);
    for (Kind preferred : {Kind::Onset, Kind::Beat})
        for (const auto& a : annotations)
            if (a.kind == preferred) return eventTimes(a);
    if (formatOfFile(file) == Format::Jams) throw fileError(file, "holds no onset or beat annotation");
    return eventTimes(annotations.at(0));
}

std::string formatAnnotations(const std::vector<Annotation>& annotations, Format format, const WriteOptions& options) {
    switch (format) {
        case Format::Audacity: return formatAudacityLabels(merged(annotations));
        case Format::SvCsv: return formatSvCsv(merged(annotations), options.delimiter);
        case Format::Jams: return formatJams({options.duration, options.title, annotations}, options.tools);
        case Format::Onsets: return formatOnsets(eventTimes(merged(annotations)));
    }
    return {};
}

void writeAnnotationFile(const std::filesystem::path& file, const std::vector<Annotation>& annotations, Format format,
                         const WriteOptions& options) {
    writeFileAtomically(file, formatAnnotations(annotations, format, options));
}

namespace {
// A layer name as part of a file name: letters, digits, '-', '_' and '.' kept, anything else '_'.
std::string fileNamePart(const std::string& name) {
    std::string out;
    for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ? c : '_';
    return out.empty() ? std::string("layer") : out;
}
}  // namespace

std::vector<std::filesystem::path> writeAnnotationLayers(const std::filesystem::path& file,
                                                         const std::vector<NamedLayer>& layers, Format format,
                                                         const WriteOptions& options) {
    if (layers.empty()) throw fileError(file, "nothing to write: no annotation layers");
    if (format == Format::Jams) {
        std::vector<Annotation> all;
        for (const auto& l : layers) all.push_back(l.annotation);
        writeAnnotationFile(file, all, format, options);
        return {file};
    }
    std::vector<std::filesystem::path> written{file};
    writeAnnotationFile(file, {layers[0].annotation}, format, options);
    if (format == Format::Onsets) return written;
    for (std::size_t i = 1; i < layers.size(); ++i) {
        auto sibling = file;
        sibling.replace_filename(file.stem().string() + "." + fileNamePart(layers[i].name) + file.extension().string());
        writeAnnotationFile(sibling, {layers[i].annotation}, format, options);
        written.push_back(sibling);
    }
    return written;
}

}  // namespace sonolab::annotations
