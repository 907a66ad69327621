// `sonolab-cli embed --space mfcc|rp|rp:scaled|rp:weighted|run:RUN (or --run RUN) --db LIB --out DIR`: a library's
// tracks as vectors in one of the similarity spaces, for numpy users and the TensorBoard projector:
//   DIR/vectors.npy            float32 [n, d], row i = track i of metadata.tsv
//   DIR/metadata.tsv           header "track_id<TAB>path", then one row per vector
//   DIR/vectors.tsv            the same vectors as TSV (what the projector's "Load" dialog and plugin read)
//   DIR/projector_config.pbtxt so `tensorboard --logdir DIR` shows them in its Projector tab
// The vectors are exactly those `similar` searches (core/similarity's buildCollectionSpace).
#include "Commands.h"

#include "core/library/LibraryDatabase.h"
#include "core/similarity/CollectionSpaces.h"
#include "core/util/AtomicFile.h"
#include "core/util/Error.h"
#include "core/util/Npy.h"
#include "core/util/Progress.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

namespace sonolab::cli {
namespace {

namespace fs = std::filesystem;

struct EmbedOptions {
    std::string db, space, run, out, featureCache;
};

// Tabs and line breaks would break the TSV's rows and columns.
std::string tsvField(std::string s) {
    std::replace_if(s.begin(), s.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
    return s;
}

std::string vectorsTsv(const similarity::EmbeddingMatrix& m) {
    std::string text;
    std::array<char, 32> buf;
    for (std::size_t r = 0; r < m.rows(); ++r) {
        const auto row = m.row(r);
        for (std::size_t c = 0; c < row.size(); ++c) {
            const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), row[c]);
            if (c) text += '\t';
            text.append(buf.data(), ec == std::errc() ? end : buf.data());
        }
        text += '\n';
    }
    return text;
}

void runEmbed(const EmbedOptions& o) {
    const std::string space = o.run.empty() ? (o.space.empty() ? std::string("mfcc") : o.space) : "run:" + o.run;
    library::LibraryDatabase db(o.db);
    Progress progress = stderrProgress();
    const auto built = similarity::buildCollectionSpace(db, space, {.featureCache = o.featureCache}, &progress);
    for (const auto& [id, why] : built.failures) std::cerr << "track " << id << " skipped: " << why << "\n";
    const auto& vectors = built.vectors;
    if (vectors.empty()) throw Error(o.db, "no track could be placed in the space '" + space + "'");

    std::map<std::int64_t, std::string> paths;
    for (const auto& t : db.tracks()) paths[t.id] = t.path;
    std::string metadata = "track_id\tpath\n";
    for (std::size_t r = 0; r < vectors.rows(); ++r)
        metadata += std::to_string(vectors.id(r)) + "\t" + tsvField(paths[vectors.id(r)]) + "\n";

    const fs::path out(o.out);
    fs::create_directories(out);
    const std::array<std::size_t, 2> shape{vectors.rows(), vectors.dim()};
    writeNpy(out / "vectors.npy", vectors.values(), shape);
    writeFileAtomically(out / "metadata.tsv", metadata);
    writeFileAtomically(out / "vectors.tsv", vectorsTsv(vectors));
    writeFileAtomically(out / "projector_config.pbtxt",
                        "embeddings {\n  tensor_name: \"" + tsvField(space) +
                            "\"\n  tensor_path: \"vectors.tsv\"\n  metadata_path: \"metadata.tsv\"\n}\n");
    std::cout << vectors.rows() << " tracks x " << vectors.dim() << " dimensions (" << space << ") -> "
              << (out / "vectors.npy").string() << ", " << (out / "metadata.tsv").string() << "\n";
}

}  // namespace

void addEmbedCommand(CLI::App& app) {
    auto o = std::make_shared<EmbedOptions>();
    auto* cmd = app.add_subcommand(
        "embed", "Write a library's track vectors in a similarity space as .npy + TSV (numpy, TensorBoard projector)");
    cmd->add_option("--db", o->db, "Library file")->required();
    auto* space = cmd->add_option("--space", o->space, "mfcc (default), rp, rp:scaled, rp:weighted or run:RUN_DIR");
    auto* run = cmd->add_option("--run", o->run, "A trained run's learned space (same as --space run:RUN)")
                    ->check(CLI::ExistingDirectory);
    run->excludes(space);
    cmd->add_option("--out", o->out, "Folder to write vectors.npy, metadata.tsv, vectors.tsv, projector_config.pbtxt")
        ->required();
    cmd->add_option("--features", o->featureCache, "Feature cache folder (default: beside the library)");
    cmd->callback([o] { runEmbed(*o); });
}

}  // namespace sonolab::cli
