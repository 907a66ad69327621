#include "core/datasets/SplitMaker.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

namespace sonolab::datasets {

using library::SplitAssignment;
using library::SplitPart;

namespace {

constexpr SplitPart kParts[3] = {SplitPart::Train, SplitPart::Validation, SplitPart::Test};

std::array<double, 3> shares(const SplitFractions& f) {
    const double total = f.train + f.validation + f.test;
    if (!(total > 0) || f.train < 0 || f.validation < 0 || f.test < 0)
        throw Error("split", "fractions must be non-negative and not all zero");
    return {f.train / total, f.validation / total, f.test / total};
}

// Largest-remainder rounding of n into the three shares.
std::array<std::size_t, 3> apportion(std::size_t n, const std::array<double, 3>& share) {
    std::array<std::size_t, 3> counts{};
    std::array<double, 3> remainder{};
    std::size_t given = 0;
    for (int k = 0; k < 3; ++k) {
        const double exact = share[k] * static_cast<double>(n);
        counts[k] = static_cast<std::size_t>(std::floor(exact));
        remainder[k] = exact - std::floor(exact);
        given += counts[k];
    }
    while (given < n) {
        const int k = static_cast<int>(std::max_element(remainder.begin(), remainder.end()) - remainder.begin());
        ++counts[k];
        remainder[k] = -1;
        ++given;
    }
    return counts;
}

struct ItemGroup {
    std::vector<TrackId> tracks;
    std::map<std::string, std::size_t> strata;
};

// Items gathered into their groups (a clip without one is a group of its own) in `groups`, and the groups listed
// under the stratum of their most common class: both group splits and the folds deal whole groups per stratum.
std::map<std::string, std::vector<const ItemGroup*>> groupsByStratum(std::vector<SplitItem>& items,
                                                                   std::map<std::string, ItemGroup>& groups) {
    std::sort(items.begin(), items.end(), [](const SplitItem& a, const SplitItem& b) { return a.track < b.track; });
    for (const auto& item : items) {
        const auto key = item.group.empty() ? "\x01track:" + std::to_string(item.track) : item.group;
        auto& g = groups[key];
        g.tracks.push_back(item.track);
        ++g.strata[item.stratum];
    }
    std::map<std::string, std::vector<const ItemGroup*>> byStratum;
    for (const auto& [key, g] : groups) {
        const auto top = std::max_element(g.strata.begin(), g.strata.end(),
                                          [](const auto& a, const auto& b) { return a.second < b.second; });
        byStratum[top->first].push_back(&g);
    }
    return byStratum;
}

}  // namespace

std::vector<SplitAssignment> stratifiedSplit(std::vector<SplitItem> items, const SplitFractions& fractions,
                                             std::uint64_t seed) {
    const auto share = shares(fractions);
    std::sort(items.begin(), items.end(), [](const SplitItem& a, const SplitItem& b) { return a.track < b.track; });
    std::map<std::string, std::vector<TrackId>> strata;
    for (const auto& item : items) strata[item.stratum].push_back(item.track);
    std::vector<SplitAssignment> out;
    std::uint64_t salt = 0;
    for (auto& [stratum, tracks] : strata) {
        seededShuffle(tracks, seed * 0x9E3779B97F4A7C15ull + salt++);
        const auto counts = apportion(tracks.size(), share);
        std::size_t i = 0;
        for (int k = 0; k < 3; ++k)
            for (std::size_t j = 0; j < counts[k]; ++j) out.push_back({tracks[i++], kParts[k]});
    }
    std::sort(out.begin(), out.end(), [](const SplitAssignment& a, const SplitAssignment& b) { return a.track < b.track; });
    return out;
}

std::vector<SplitAssignment> groupAwareSplit(std::vector<SplitItem> items, const SplitFractions& fractions,
                                             std::uint64_t seed, bool testBeforeValidation) {
    const auto share = shares(fractions);
    std::map<std::string, ItemGroup> groups;
    // Per stratum of groups (their most common class), assign each group to the part furthest below its target.
    auto byStratum = groupsByStratum(items, groups);
    std::vector<SplitAssignment> out;
    std::uint64_t salt = 0;
    for (auto& [stratum, list] : byStratum) {
        seededShuffle(list, seed * 0x9E3779B97F4A7C15ull + salt++);
        std::size_t total = 0;
        for (const auto* g : list) total += g->tracks.size();
        std::array<double, 3> assigned{};
        for (const auto* g : list) {
            int best = 0;
            double bestDeficit = -1e300;
            const std::array<int, 3> order = testBeforeValidation ? std::array{0, 2, 1} : std::array{0, 1, 2};
            for (int k : order) {
                if (share[k] <= 0) continue;
                const double deficit = share[k] * static_cast<double>(total) - assigned[k];
                // Relative deficit: a small part (validation) gets its first group before train is full.
                const double score = deficit / (share[k] * static_cast<double>(total));
                if (score > bestDeficit) {
                    bestDeficit = score;
                    best = k;
                }
            }
            assigned[best] += static_cast<double>(g->tracks.size());
            for (TrackId t : g->tracks) out.push_back({t, kParts[best]});
        }
    }
    std::sort(out.begin(), out.end(), [](const SplitAssignment& a, const SplitAssignment& b) { return a.track < b.track; });
    return out;
}

std::vector<FoldAssignment> groupFolds(std::vector<SplitItem> items, int folds, std::uint64_t seed) {
    if (folds < 2) throw Error("folds", "need at least 2 folds, not " + std::to_string(folds));
    std::map<std::string, ItemGroup> groups;
    auto byStratum = groupsByStratum(items, groups);
    if (groups.size() < std::size_t(folds))
        throw Error("folds", std::to_string(groups.size()) + " groups cannot fill " + std::to_string(folds) + " folds");
    std::vector<std::size_t> total(std::size_t(folds), 0);
    std::vector<FoldAssignment> out;
    std::uint64_t salt = 0;
    for (auto& [stratum, list] : byStratum) {
        seededShuffle(list, seed * 0x9E3779B97F4A7C15ull + salt++);
        // Large groups first, so the small ones even out what they leave (a stable sort keeps the seeded order).
        std::stable_sort(list.begin(), list.end(),
                         [](const ItemGroup* a, const ItemGroup* b) { return a->tracks.size() > b->tracks.size(); });
        std::vector<std::size_t> inStratum(std::size_t(folds), 0);
        for (const auto* g : list) {
            std::size_t best = 0;
            for (std::size_t k = 1; k < inStratum.size(); ++k)
                if (std::pair(inStratum[k], total[k]) < std::pair(inStratum[best], total[best])) best = k;
            inStratum[best] += g->tracks.size();
            total[best] += g->tracks.size();
            for (TrackId t : g->tracks) out.push_back({t, int(best)});
        }
    }
    std::sort(out.begin(), out.end(), [](const FoldAssignment& a, const FoldAssignment& b) { return a.track < b.track; });
    return out;
}

GroupBy groupByFromString(const std::string& text) {
    if (text == "group" || text == "track") return GroupBy::Group;
    if (text == "album") return GroupBy::Album;
    throw Error("group by '" + text + "'", "expected group (source track) or album");
}

std::string groupOf(const library::TrackRecord& track, GroupBy by) {
    if (by == GroupBy::Album && !track.album.empty()) return "album:" + track.album;
    return track.group;
}

SplitRequest::Kind splitKindFromString(const std::string& text) {
    if (text == "stratified") return SplitRequest::Kind::Stratified;
    if (text == "dataset") return SplitRequest::Kind::Dataset;
    if (text == "group") return SplitRequest::Kind::Group;
    if (text == "album") return SplitRequest::Kind::Album;
    throw Error("split", "unknown split kind '" + text + "' (expected stratified, dataset, group or album)");
}

library::SplitSummary makeSplit(library::LibraryDatabase& db, const SplitRequest& request) {
    std::string labelSet = request.labelSet;
    if (labelSet.empty()) {
        const auto sets = db.labelSets();
        if (sets.size() != 1)
            throw Error(db.file().string(), sets.empty() ? "the library has no label set to split"
                                                         : "the library has several label sets: name one");
        labelSet = sets.front().name;
    }
    const auto info = db.labelSet(labelSet);
    if (!info) throw Error(db.file().string(), "no label set called '" + labelSet + "'");
    const char* kindName = request.kind == SplitRequest::Kind::Stratified ? "stratified"
                           : request.kind == SplitRequest::Kind::Dataset  ? "dataset"
                           : request.kind == SplitRequest::Kind::Group    ? "group"
                                                                          : "album";
    const bool grouped = request.kind == SplitRequest::Kind::Group || request.kind == SplitRequest::Kind::Album;
    const std::string name = request.name.empty() ? labelSet + "-" + kindName : request.name;

    std::vector<SplitAssignment> assignments;
    if (request.kind == SplitRequest::Kind::Dataset) {
        assignments = db.split(labelSet);
        if (assignments.empty())
            throw Error(db.file().string(), "label set '" + labelSet + "' came without a split of its own");
    } else {
        // Stratify by the class; for multi-label sets by the track's rarest tag, which keeps rare tags in every part.
        const auto counts = db.labelCounts(labelSet);
        std::map<std::string, std::int64_t> frequency(counts.begin(), counts.end());
        std::vector<SplitItem> items;
        for (const auto& [track, labels] : db.positiveLabels(labelSet)) {
            SplitItem item;
            item.track = track;
            if (!labels.empty())
                item.stratum = *std::min_element(labels.begin(), labels.end(), [&](const auto& a, const auto& b) {
                    return frequency[a] < frequency[b];
                });
            if (grouped)
                item.group = groupOf(*db.track(track), request.kind == SplitRequest::Kind::Album ? GroupBy::Album
                                                                                                 : GroupBy::Group);
            items.push_back(std::move(item));
        }
        if (items.empty()) throw Error(db.file().string(), "label set '" + labelSet + "' has no tracks");
        assignments = grouped ? groupAwareSplit(items, request.fractions, request.seed,
                                                request.kind == SplitRequest::Kind::Album)
                                                                : stratifiedSplit(items, request.fractions, request.seed);
    }
    if (name != labelSet || request.kind != SplitRequest::Kind::Dataset) db.writeSplit(name, assignments);
    for (const auto& s : db.splits())
        if (s.name == name) return s;
    return library::SplitSummary{name};
}

}  // namespace sonolab::datasets
