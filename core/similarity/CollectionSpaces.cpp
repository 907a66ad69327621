#include "core/similarity/CollectionSpaces.h"

#include "core/extraction/Extractor.h"
#include "core/extraction/FeatureKinds.h"
#include "core/features/FeatureCache.h"
#include "core/features/RowSummary.h"
#include "core/library/LibraryDatabase.h"
#include "core/library/TrackProbe.h"
#include "core/ml/Predictor.h"
#include "core/ml/Siamese.h"
#include "core/similarity/ZScore.h"
#include "core/util/Error.h"
#include "core/util/Progress.h"

#include <cmath>
#include <limits>

namespace sonolab::similarity {

namespace {

constexpr const char* kSummaryPrefix = "summary:";

std::filesystem::path cacheFor(const library::LibraryDatabase& db, const SpaceOptions& options) {
    return options.featureCache.empty() ? features::defaultCacheFor(db.file()) : options.featureCache;
}

// Windows of `length` frames every `hop` frames (one window for a short track), each summarised like the track.
EmbeddingMatrix windowSummaries(const Matrix& m, std::size_t length, std::size_t hop) {
    const std::size_t rows = m.rows(), cols = m.cols();
    EmbeddingMatrix out(rows * 2);
    std::size_t index = 0;
    for (std::size_t start = 0; start == 0 || start + length <= cols; start += hop) {
        const std::size_t end = std::min(cols, start + length);
        out.append(std::int64_t(index++), features::rowMeanAndStd(m, start, end));
        if (end == cols) break;
    }
    return out;
}

// rp_extract's vectors are the (bands, x) arrays flattened in Fortran order.
std::vector<float> fortranOrder(const Matrix& m) {
    const std::size_t rows = m.rows(), cols = m.cols();
    std::vector<float> v(rows * cols);
    for (std::size_t c = 0; c < cols; ++c)
        for (std::size_t r = 0; r < rows; ++r) v[c * rows + r] = m.at(r, c);
    return v;
}

// Extracts what is missing (in parallel), then hands each track's features to `use`.
template <typename Use>
void forEachTrack(const library::LibraryDatabase& db, const std::vector<features::FeatureSpec>& specs,
                  const SpaceOptions& options, const Progress* progress, CollectionSpace& out, Use use) {
    const auto tracks = db.tracks();
    const features::FeatureCache cache(cacheFor(db, options));
    std::vector<extraction::Extractor> extractors;
    // Keyed by the library's content hashes: a track whose features are cached is not opened.
    std::vector<extraction::ExtractionItem> items;
    for (const auto& t : tracks) {
        std::optional<std::uint64_t> hash;
        try {
            hash = library::currentContentHash(t);
        } catch (const Error&) {
            // unreadable and never hashed: extraction reports it by name
        }
        items.push_back({t.path, hash});
    }
    for (const auto& spec : specs) {
        extractors.emplace_back(cache, spec);
        extractors.back().run(items, {.threads = options.threads}, progress);
        if (progress) progress->throwIfCancelled();
    }
    for (std::size_t i = 0; i < tracks.size(); ++i) {
        if (progress) {
            (*progress)(double(i), double(tracks.size()), "building the " + out.name + " space");
            progress->throwIfCancelled();
        }
        try {
            std::vector<Matrix> matrices;
            for (const auto& e : extractors) matrices.push_back(e.extract(items[i]));
            use(tracks[i].id, matrices);
        } catch (const Cancelled&) {
            throw;
        } catch (const std::exception& e) {
            out.failures[tracks[i].id] = e.what();
        }
    }
}

CollectionSpace learnedSpace(const library::LibraryDatabase& db, const std::filesystem::path& runDir,
                             const SpaceOptions& options, const Progress* progress) {
    ml::Predictor predictor = ml::Predictor::load(runDir);
    std::string specText = predictor.info().featureSpec;
    const bool summary = specText.rfind(kSummaryPrefix, 0) == 0;
    if (summary) specText = specText.substr(std::string(kSummaryPrefix).size());
    if (specText.empty()) throw fileError(runDir, "the run does not say which features it was trained on");
    CollectionSpace space;
    space.name = "run:" + runDir.string();
    forEachTrack(db, {features::FeatureSpec::parse(specText)}, options, progress, space,
                 [&](std::int64_t id, const std::vector<Matrix>& m) {
                     space.vectors.append(id, ml::siameseEmbed(predictor, features::modelInput(m[0], summary)));
                 });
    return space;
}

}  // namespace

std::vector<std::string> handcraftedSpaceNames() { return {"mfcc", "rp", "rp:scaled", "rp:weighted"}; }

std::vector<features::FeatureSpec> spaceFeatureSpecs(const std::string& space) {
    if (space == "mfcc") return {extraction::specFor({.kind = "mfcc", .nMfcc = 20})};
    if (space == "rp" || space == "rp:scaled" || space == "rp:weighted")
        return {extraction::specFor({.kind = "rp"}), extraction::specFor({.kind = "ssd"})};
    throw Error("space '" + space + "'", "unknown space (mfcc, rp, rp:scaled, rp:weighted, run:RUN_DIR)");
}

CollectionSpace buildCollectionSpace(const library::LibraryDatabase& db, const std::string& space,
                                     const SpaceOptions& options, const Progress* progress) {
    if (space.rfind("run:", 0) == 0) return learnedSpace(db, space.substr(4), options, progress);
    CollectionSpace out;
    out.name = space;
    const auto specs = spaceFeatureSpecs(space);
    if (space == "mfcc") {
        const auto& spec = specs[0];
        const double framesPerSecond = spec.number("sr", 22050) / spec.number("hop", 512);
        const auto length = std::size_t(3.0 * framesPerSecond), hop = std::size_t(1.5 * framesPerSecond);
        forEachTrack(db, specs, options, progress, out, [&](std::int64_t id, const auto& m) {
            out.vectors.append(id, features::rowMeanAndStd(m[0]));
            out.segments[id] = {double(hop) / framesPerSecond, double(length) / framesPerSecond,
                                windowSummaries(m[0], length, hop)};
        });
    } else {  // rp, rp:scaled, rp:weighted: RP then SSD
        forEachTrack(db, specs, options, progress, out, [&](std::int64_t id, const auto& m) {
            auto v = fortranOrder(m[0]);
            auto s = fortranOrder(m[1]);
            if (v.size() != 1440 || s.size() != 168)
                throw Error("track " + std::to_string(id), "unexpected RP/SSD sizes " + std::to_string(v.size()) + "/" +
                                                               std::to_string(s.size()));
            v.insert(v.end(), s.begin(), s.end());
            out.vectors.append(id, v);
        });
        if (space != "rp") out.groups = FeatureGroups::rpSsd(space == "rp:weighted");
    }
    // Handcrafted dimensions have unrelated units: z-score so each counts alike (IS 2a), NaN -> 0.
    if (!out.vectors.empty()) {
        const ZScore z = ZScore::fit(out.vectors);
        z.apply(out.vectors);
        for (auto& [id, seg] : out.segments) z.apply(seg.vectors);
    }
    return out;
}

SegmentMatch mostSimilarSegment(const CollectionSpace& space, std::int64_t query, std::int64_t neighbour) {
    const auto row = space.vectors.rowOf(query);
    const auto seg = space.segments.find(neighbour);
    if (row < 0 || seg == space.segments.end() || seg->second.vectors.empty()) return {};
    const auto q = space.vectors.row(std::size_t(row));
    SegmentMatch best{0, seg->second.lengthSeconds, std::numeric_limits<float>::infinity()};
    for (std::size_t w = 0; w < seg->second.vectors.rows(); ++w) {
        const float d = distance(space.metric, q, seg->second.vectors.row(w));
        if (d < best.distance) best = {double(w) * seg->second.hopSeconds, seg->second.lengthSeconds, d};
    }
    return best;
}

}  // namespace sonolab::similarity
