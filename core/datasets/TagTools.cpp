#include "core/datasets/TagTools.h"

#include "core/datasets/DelimitedText.h"
#include "core/datasets/SplitMaker.h"

#include <algorithm>
#include <fstream>
#include <numeric>
#include <set>

namespace sonolab::datasets {

const SynonymGroups& tutorialSynonyms() {
    static const SynonymGroups groups = {
        {"beat", "beats"},
        {"chant", "chanting"},
        {"choir", "choral"},
        {"classical", "clasical", "classic"},
        {"drum", "drums"},
        {"electro", "electronic", "electronica", "electric"},
        {"fast", "fast beat", "quick"},
        {"female", "female singer", "female singing", "female vocals", "female vocal", "female voice", "woman",
         "woman singing", "women"},
        {"flute", "flutes"},
        {"guitar", "guitars"},
        {"hard", "hard rock"},
        {"harpsichord", "harpsicord"},
        {"heavy", "heavy metal", "metal"},
        {"horn", "horns"},
        {"india", "indian"},
        {"jazz", "jazzy"},
        {"male", "male singer", "male vocal", "male vocals", "male voice", "man", "man singing", "men"},
        {"no beat", "no drums"},
        {"no singer", "no singing", "no vocal", "no vocals", "no voice", "no voices", "instrumental"},
        {"opera", "operatic"},
        {"orchestra", "orchestral"},
        {"quiet", "silence"},
        {"singer", "singing"},
        {"space", "spacey"},
        {"string", "strings"},
        {"synth", "synthesizer"},
        {"violin", "violins"},
        {"vocal", "vocals", "voice", "voices"},
        {"strange", "weird"},
    };
    return groups;
}

SynonymGroups readSynonyms(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw fileError(file, "cannot open the synonym table");
    SynonymGroups groups;
    std::string line;
    std::size_t number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        auto fields = splitDelimitedLine(line, line.find('\t') != std::string::npos ? '\t' : ',');
        std::vector<std::string> group;
        for (auto& f : fields) {
            const auto b = f.find_first_not_of(' ');
            if (b == std::string::npos) continue;
            group.push_back(f.substr(b, f.find_last_not_of(' ') - b + 1));
        }
        if (group.size() < 2)
            throw fileError(file, "line " + std::to_string(number) + ": a synonym group needs at least two tags: " + line);
        groups.push_back(std::move(group));
    }
    return groups;
}

namespace {

// Builds a collection with the given output columns, each the OR of some input columns.
LabelledCollection project(const LabelledCollection& in, const std::vector<std::string>& names,
                           const std::vector<std::vector<std::size_t>>& sources) {
    LabelledCollection out = in;
    out.classes = names;
    for (auto& clip : out.clips) {
        const auto old = clip.values;
        clip.values.assign(names.size(), 0);
        for (std::size_t k = 0; k < names.size(); ++k)
            for (std::size_t s : sources[k])
                if (s < old.size() && old[s]) clip.values[k] = 1;
    }
    return out;
}

}  // namespace

LabelledCollection mergeSynonyms(const LabelledCollection& in, const SynonymGroups& groups) {
    std::vector<std::size_t> target(in.classes.size());
    std::iota(target.begin(), target.end(), 0);
    std::vector<std::string> name = in.classes;
    for (const auto& group : groups) {
        std::size_t first = in.classes.size();
        for (const auto& tag : group) {
            const auto c = in.classIndex(tag);
            if (c == in.classes.size()) continue;
            if (first == in.classes.size()) {
                first = c;
                name[c] = group.front();
            }
            target[c] = first;
        }
    }
    std::vector<std::string> names;
    std::vector<std::vector<std::size_t>> sources;
    std::vector<std::size_t> slot(in.classes.size(), SIZE_MAX);
    for (std::size_t c = 0; c < in.classes.size(); ++c) {
        const auto t = target[c];
        if (slot[t] == SIZE_MAX) {
            // A canonical name may already be a column of its own (e.g. "beat" in the group beat/beats).
            const auto existing = std::find(names.begin(), names.end(), name[t]);
            if (existing != names.end()) {
                slot[t] = static_cast<std::size_t>(existing - names.begin());
            } else {
                slot[t] = names.size();
                names.push_back(name[t]);
                sources.emplace_back();
            }
        }
        sources[slot[t]].push_back(c);
    }
    return project(in, names, sources);
}

LabelledCollection keepTopTags(const LabelledCollection& in, std::size_t n) {
    const auto counts = in.classCounts();
    std::vector<std::size_t> order(in.classes.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return counts[a] > counts[b]; });
    order.resize(std::min(n, order.size()));
    std::sort(order.begin(), order.end());
    std::vector<std::string> names;
    std::vector<std::vector<std::size_t>> sources;
    for (auto c : order) {
        names.push_back(in.classes[c]);
        sources.push_back({c});
    }
    return project(in, names, sources);
}

LabelledCollection keepClassesWithAtLeast(const LabelledCollection& in, std::size_t minTracks) {
    const auto counts = in.classCounts();
    std::vector<std::string> names;
    std::vector<std::vector<std::size_t>> sources;
    for (std::size_t c = 0; c < in.classes.size(); ++c)
        if (counts[c] >= minTracks) {
            names.push_back(in.classes[c]);
            sources.push_back({c});
        }
    auto out = project(in, names, sources);
    std::erase_if(out.clips, [](const LabelledClip& clip) {
        return std::none_of(clip.values.begin(), clip.values.end(), [](std::uint8_t v) { return v != 0; });
    });
    return out;
}

LabelledCollection deriveExclusiveBinary(const LabelledCollection& in, const std::vector<std::string>& positiveTags,
                                         const std::vector<std::string>& negativeTags, const std::string& positiveName) {
    auto indices = [&](const std::vector<std::string>& tags) {
        std::vector<std::size_t> out;
        for (const auto& t : tags) {
            const auto c = in.classIndex(t);
            if (c == in.classes.size()) throw Error(in.name, "no tag called '" + t + "'");
            out.push_back(c);
        }
        return out;
    };
    const auto pos = indices(positiveTags), neg = indices(negativeTags);
    LabelledCollection out = in;
    out.kind = LabelKind::Binary;
    out.classes = {positiveName};
    out.clips.clear();
    for (const auto& clip : in.clips) {
        auto any = [&](const std::vector<std::size_t>& idx) {
            return std::any_of(idx.begin(), idx.end(), [&](std::size_t c) { return c < clip.values.size() && clip.values[c]; });
        };
        const bool p = any(pos), n = any(neg);
        if (p == n) continue;
        auto copy = clip;
        copy.values = {static_cast<std::uint8_t>(p ? 1 : 0)};
        out.clips.push_back(std::move(copy));
    }
    return out;
}

LabelledCollection deriveSingleLabel(const LabelledCollection& in, const std::vector<std::string>& classes,
                                     std::size_t maxPerClass, std::uint64_t seed) {
    std::vector<std::size_t> idx;
    for (const auto& c : classes) {
        const auto i = in.classIndex(c);
        if (i == in.classes.size()) throw Error(in.name, "no class called '" + c + "'");
        idx.push_back(i);
    }
    LabelledCollection out = in;
    out.kind = LabelKind::Single;
    out.classes = classes;
    out.clips.clear();
    std::vector<std::vector<LabelledClip>> perClass(classes.size());
    for (const auto& clip : in.clips) {
        std::size_t hit = classes.size(), count = 0;
        for (std::size_t k = 0; k < idx.size(); ++k)
            if (idx[k] < clip.values.size() && clip.values[idx[k]]) {
                hit = k;
                ++count;
            }
        if (count != 1) continue;
        auto copy = clip;
        copy.values.assign(classes.size(), 0);
        copy.values[hit] = 1;
        perClass[hit].push_back(std::move(copy));
    }
    for (auto& clips : perClass) {
        if (maxPerClass > 0 && clips.size() > maxPerClass) {
            seededShuffle(clips, seed);
            clips.resize(maxPerClass);
            std::sort(clips.begin(), clips.end(), [](const LabelledClip& a, const LabelledClip& b) {
                return a.line != b.line ? a.line < b.line : a.key < b.key;
            });
        }
        for (auto& clip : clips) out.clips.push_back(std::move(clip));
    }
    return out;
}

}  // namespace sonolab::datasets
