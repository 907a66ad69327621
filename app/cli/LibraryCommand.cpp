// `sonolab-cli library ...`: the music library from the command line.
//   library scan DIR --db LIB                      add/refresh a folder of audio files (incremental)
//   library import (--mtat F | --folders D | --csv F) [--audio-root D] [--group-column N] --db LIB
//   library stats --db LIB [--json]                tracks, labels per class, splits
//   library split --db LIB --kind stratified|dataset|group|album --seed S [--name NAME] [--labels SET]
//   library derive --db LIB --from SET --name NEW [--synonyms tutorial|FILE] [--top N] [--min-tracks N]
//                  [--exclusive POS,...:NEG,...] [--single A,B,...] [--max-per-class N]
//   library list --db LIB [--labels SET] [--limit N] [--json]
#include "Commands.h"

#include "core/datasets/CollectionStore.h"
#include "core/datasets/SplitMaker.h"
#include "core/datasets/TagTools.h"
#include "core/library/LibraryDatabase.h"
#include "core/library/Scanner.h"
#include "core/pipeline/NeighbourLabelling.h"
#include "core/util/Progress.h"
#include "core/util/ContentHash.h"
#include "core/util/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <map>
#include <set>
#include <sstream>

namespace sonolab::cli {
namespace {

using library::LibraryDatabase;

// Progress on stderr, at most every whole percent, so logs of long imports stay short.
Progress stderrProgress(bool quiet) {
    Progress progress;
    if (quiet) return progress;
    auto last = std::make_shared<int>(-1);
    progress.report = [last](double done, double total, const std::string& message) {
        if (total <= 0) return;
        const int percent = static_cast<int>(100.0 * done / total);
        if (percent == *last) return;
        *last = percent;
        std::fprintf(stderr, "\r%s: %3d%% (%.0f/%.0f)%s", message.c_str(), percent, done, total,
                     percent >= 100 ? "\n" : "");
    };
    return progress;
}

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        const auto b = item.find_first_not_of(' ');
        if (b != std::string::npos) out.push_back(item.substr(b, item.find_last_not_of(' ') - b + 1));
    }
    return out;
}

double seconds(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

void printImportProblems(const datasets::ImportReport& r) {
    const auto text = r.describeProblems(50);
    if (!text.empty()) std::cerr << text;
}

nlohmann::json importJson(const datasets::ImportReport& r) {
    nlohmann::json malformed = nlohmann::json::array();
    for (const auto& m : r.malformed)
        malformed.push_back({{"file", m.file}, {"line", m.line}, {"content", m.content}, {"problem", m.problem}});
    nlohmann::json unreadable = nlohmann::json::array();
    for (const auto& u : r.unreadable) unreadable.push_back({{"path", u.path}, {"reason", u.reason}});
    return {{"label_set", r.labelSet}, {"source", r.source},        {"clips", r.clips},
            {"tracks_added", r.tracksAdded}, {"tracks_reused", r.tracksReused}, {"positives", r.positives},
            {"split", r.splitName}, {"malformed", malformed},       {"missing_files", r.missingFiles},
            {"duplicates", r.duplicates}, {"unreadable", unreadable}, {"skipped", r.skipped}};
}

nlohmann::json statsJson(LibraryDatabase& db) {
    nlohmann::json out;
    const auto tracks = db.tracks();
    double duration = 0;
    std::map<std::string, int> formats;
    for (const auto& t : tracks) {
        duration += t.durationSeconds;
        ++formats[t.format];
    }
    out["library"] = db.file().string();
    out["tracks"] = tracks.size();
    out["total_duration_seconds"] = duration;
    out["formats"] = formats;
    out["groups"] = db.groups().size();
    out["label_sets"] = nlohmann::json::array();
    for (const auto& set : db.labelSets()) {
        nlohmann::json classes = nlohmann::json::object();
        nlohmann::json order = nlohmann::json::array();
        for (const auto& [name, count] : db.labelCounts(set.name)) {
            classes[name] = count;
            order.push_back(name);
        }
        out["label_sets"].push_back({{"name", set.name}, {"kind", library::toString(set.kind)}, {"source", set.source},
                                     {"tracks", set.trackCount}, {"class_order", order}, {"classes", classes}});
    }
    out["splits"] = nlohmann::json::array();
    for (const auto& s : db.splits())
        out["splits"].push_back({{"name", s.name}, {"train", s.train}, {"validation", s.validation}, {"test", s.test}});
    out["runs"] = db.runs().size();
    return out;
}

void printStats(const nlohmann::json& s) {
    std::printf("%s\n  %lld tracks, %.1f minutes, %lld groups\n", s["library"].get<std::string>().c_str(),
                s["tracks"].get<long long>(), s["total_duration_seconds"].get<double>() / 60,
                s["groups"].get<long long>());
    for (const auto& set : s["label_sets"]) {
        std::printf("  label set %s (%s, %lld tracks, from %s)\n", set["name"].get<std::string>().c_str(),
                    set["kind"].get<std::string>().c_str(), set["tracks"].get<long long>(),
                    set["source"].get<std::string>().c_str());
        for (const auto& name : set["class_order"])
            std::printf("    %-24s %lld\n", name.get<std::string>().c_str(),
                        set["classes"][name.get<std::string>()].get<long long>());
    }
    for (const auto& split : s["splits"])
        std::printf("  split %s: train %lld, validation %lld, test %lld\n", split["name"].get<std::string>().c_str(),
                    split["train"].get<long long>(), split["validation"].get<long long>(),
                    split["test"].get<long long>());
    if (s["runs"].get<long long>() > 0) std::printf("  %lld training runs\n", s["runs"].get<long long>());
}

}  // namespace

void addLibraryCommand(CLI::App& app) {
    auto* library = app.add_subcommand("library", "Manage the music library: scan folders, import data sets, split");
    library->require_subcommand(1);

    // ---- scan ----
    struct ScanArgs {
        std::string dir, db;
        bool json = false, noTags = false, keepVanished = false, quiet = false;
        unsigned threads = 0;
    };
    auto scanArgs = std::make_shared<ScanArgs>();
    auto* scan = library->add_subcommand("scan", "Add a folder of audio files recursively; a rescan adds new, updates "
                                                 "changed and removes vanished files");
    scan->add_option("DIR", scanArgs->dir, "Folder to scan")->required();
    scan->add_option("--db", scanArgs->db, "Library file (created if missing)")->required();
    scan->add_option("--threads", scanArgs->threads, "Probe threads (0 = one per core)");
    scan->add_flag("--no-tags", scanArgs->noTags, "Do not read title/artist/album tags");
    scan->add_flag("--keep-vanished", scanArgs->keepVanished, "Keep tracks whose file is gone");
    scan->add_flag("--json", scanArgs->json, "Print the report as JSON");
    scan->add_flag("-q,--quiet", scanArgs->quiet, "No progress on stderr");
    scan->callback([scanArgs] {
        const auto start = std::chrono::steady_clock::now();
        LibraryDatabase db(scanArgs->db);
        auto progress = stderrProgress(scanArgs->quiet || scanArgs->json);
        const auto r = library::scanFolder(db, scanArgs->dir,
                                           {.readTags = !scanArgs->noTags, .threads = scanArgs->threads,
                                            .removeVanished = !scanArgs->keepVanished},
                                           &progress);
        const double elapsed = seconds(start);
        if (scanArgs->json) {
            nlohmann::json unreadable = nlohmann::json::array();
            for (const auto& p : r.unreadable) unreadable.push_back({{"path", p.path}, {"reason", p.reason}});
            std::cout << nlohmann::json{{"files", r.filesSeen},       {"added", r.added},
                                        {"changed", r.changed},       {"touched", r.touched},
                                        {"unchanged", r.unchanged},   {"rehashed", r.rehashed},
                                        {"vanished", r.vanished},
                                        {"vanished_paths", r.vanishedPaths}, {"unreadable", unreadable},
                                        {"seconds", elapsed},         {"tracks", db.trackCount()}}
                             .dump(2)
                      << "\n";
        } else {
            std::printf("%zu audio files: %zu added, %zu changed, %zu touched, %zu unchanged, %zu vanished, "
                        "%zu unreadable (%.2f s); library has %lld tracks\n",
                        r.filesSeen, r.added, r.changed, r.touched, r.unchanged, r.vanished, r.unreadable.size(),
                        elapsed, static_cast<long long>(db.trackCount()));
            if (r.rehashed > 0)
                std::printf("%zu tracks from an older library hashed again (whole file, the feature-cache key)\n",
                            r.rehashed);
            for (const auto& p : r.unreadable) std::fprintf(stderr, "unreadable: %s: %s\n", p.path.c_str(), p.reason.c_str());
        }
    });

    // ---- import ----
    struct ImportArgs {
        std::string mtat, folders, csv, audioRoot, groupColumn, db, name, clipInfo, pathColumn, labelColumn;
        bool replace = false, skipMissing = false, json = false, noTags = false, quiet = false, noHeader = false;
        unsigned threads = 0;
    };
    auto importArgs = std::make_shared<ImportArgs>();
    auto* import = library->add_subcommand("import", "Import a labelled data set (one transaction: all or nothing)");
    auto* mtat = import->add_option("--mtat", importArgs->mtat, "MagnaTagAtune annotations_final.csv");
    auto* folders = import->add_option("--folders", importArgs->folders,
                                       "Folder with one sub-folder per class (GTZAN), or of audio files with label "
                                       "files beside them (song.wav + song.jams / song.txt Audacity labels / song.csv "
                                       "Sonic Visualiser)");
    auto* csv = import->add_option("--csv", importArgs->csv, "CSV/TSV with a path column and a label or tag columns");
    mtat->excludes(folders)->excludes(csv);
    folders->excludes(csv);
    import->add_option("--audio-root", importArgs->audioRoot, "Folder the paths in the file are relative to");
    import->add_option("--group-column", importArgs->groupColumn, "Column naming each clip's group (source track)");
    import->add_option("--name", importArgs->name, "Label set name (default: mtat, the folder or file name)");
    import->add_option("--clip-info", importArgs->clipInfo, "MagnaTagAtune clip_info_final.csv (default: beside it)");
    import->add_option("--path-column", importArgs->pathColumn, "CSV: the path column");
    import->add_option("--label-column", importArgs->labelColumn, "CSV: the label column");
    import->add_flag("--no-header", importArgs->noHeader, "CSV: the file has no header (path, label)");
    import->add_option("--db", importArgs->db, "Library file (created if missing)")->required();
    import->add_option("--threads", importArgs->threads, "Probe threads (0 = one per core)");
    import->add_flag("--replace", importArgs->replace, "Replace a label set of the same name");
    import->add_flag("--skip-missing", importArgs->skipMissing, "Import what exists; list missing/unreadable audio");
    import->add_flag("--no-tags", importArgs->noTags, "Do not read tags from the audio files");
    import->add_flag("--json", importArgs->json, "Print the report as JSON");
    import->add_flag("-q,--quiet", importArgs->quiet, "No progress on stderr");
    import->callback([importArgs] {
        const auto& a = *importArgs;
        if (a.mtat.empty() && a.folders.empty() && a.csv.empty()) {
            std::cerr << "sonolab-cli library import: give one of --mtat, --folders or --csv\n";
            throw CommandFailed{2};
        }
        const auto start = std::chrono::steady_clock::now();
        LibraryDatabase db(a.db);
        auto progress = stderrProgress(a.quiet || a.json);
        const datasets::StoreOptions store{.replace = a.replace, .skipMissing = a.skipMissing, .readTags = !a.noTags,
                                           .threads = a.threads};
        datasets::ImportReport report;
        try {
            if (!a.mtat.empty()) {
                datasets::MtatOptions o{.audioRoot = a.audioRoot, .clipInfo = a.clipInfo, .groupColumn = a.groupColumn};
                if (!a.name.empty()) o.labelSetName = a.name;
                report = datasets::importMtat(db, a.mtat, o, store, &progress);
            } else if (!a.folders.empty()) {
                report = datasets::importClassFolders(db, a.folders, {.labelSetName = a.name}, store, &progress);
            } else {
                report = datasets::importCsv(db, a.csv,
                                             {.audioRoot = a.audioRoot, .pathColumn = a.pathColumn,
                                              .labelColumn = a.labelColumn, .groupColumn = a.groupColumn,
                                              .labelSetName = a.name, .header = !a.noHeader},
                                             store, &progress);
            }
        } catch (const datasets::ImportError& e) {
            if (a.json) std::cout << importJson(e.report()).dump(2) << "\n";
            std::cerr << "sonolab-cli library import: " << e.what();
            throw CommandFailed{1};
        }
        if (a.json) {
            auto j = importJson(report);
            j["seconds"] = seconds(start);
            std::cout << j.dump(2) << "\n";
        } else {
            std::printf("imported %zu clips into label set '%s' (%zu new tracks, %zu already known, %zu labels)%s "
                        "in %.2f s\n",
                        report.clips, report.labelSet.c_str(), report.tracksAdded, report.tracksReused,
                        report.positives, report.splitName.empty() ? "" : (", with split '" + report.splitName + "'").c_str(),
                        seconds(start));
            printImportProblems(report);
            for (const auto& s : report.skipped) std::cerr << "skipped: " << s << "\n";
        }
    });

    // ---- stats ----
    struct StatsArgs {
        std::string db;
        bool json = false;
    };
    auto statsArgs = std::make_shared<StatsArgs>();
    auto* stats = library->add_subcommand("stats", "Tracks, labels per class and splits of a library");
    stats->add_option("--db", statsArgs->db, "Library file")->required()->check(CLI::ExistingFile);
    stats->add_flag("--json", statsArgs->json, "Print as JSON");
    stats->callback([statsArgs] {
        LibraryDatabase db(statsArgs->db);
        const auto s = statsJson(db);
        if (statsArgs->json)
            std::cout << s.dump(2) << "\n";
        else
            printStats(s);
    });

    // ---- split ----
    struct SplitArgs {
        std::string db, kind = "stratified", name, labels, fractions = "0.7,0.15,0.15";
        std::uint64_t seed = 0;
    };
    auto splitArgs = std::make_shared<SplitArgs>();
    auto* split = library->add_subcommand("split", "Write a train/validation/test split of a label set's tracks");
    split->add_option("--db", splitArgs->db, "Library file")->required()->check(CLI::ExistingFile);
    split->add_option("--kind", splitArgs->kind,
                      "stratified | dataset | group (whole source tracks on one side) | album (whole albums)")
        ->check(CLI::IsMember({"stratified", "dataset", "group", "album"}));
    split->add_option("--seed", splitArgs->seed, "Random seed");
    split->add_option("--name", splitArgs->name, "Split name (default LABELSET-KIND)");
    split->add_option("--labels", splitArgs->labels, "Label set to split (default: the only one)");
    split->add_option("--fractions", splitArgs->fractions, "train,validation,test shares")->capture_default_str();
    split->callback([splitArgs] {
        LibraryDatabase db(splitArgs->db);
        const auto parts = splitList(splitArgs->fractions);
        if (parts.size() != 3) throw Error("--fractions", "expected three numbers: train,validation,test");
        datasets::SplitRequest request{.kind = datasets::splitKindFromString(splitArgs->kind),
                                       .labelSet = splitArgs->labels,
                                       .name = splitArgs->name,
                                       .seed = splitArgs->seed,
                                       .fractions = {std::stod(parts[0]), std::stod(parts[1]), std::stod(parts[2])}};
        const auto s = datasets::makeSplit(db, request);
        std::printf("split %s: train %lld, validation %lld, test %lld\n", s.name.c_str(),
                    static_cast<long long>(s.train), static_cast<long long>(s.validation),
                    static_cast<long long>(s.test));
    });

    // ---- derive ----
    struct DeriveArgs {
        std::string db, from, name, synonyms, exclusive, single;
        std::size_t top = 0, minTracks = 0, maxPerClass = 0;
        std::uint64_t seed = 0;
        bool replace = false;
    };
    auto deriveArgs = std::make_shared<DeriveArgs>();
    auto* derive = library->add_subcommand(
        "derive", "Make a new label set from another with the tutorial's tag tools (applied in the order of the options "
                  "below: synonyms, top, min-tracks, then exclusive or single)");
    derive->add_option("--db", deriveArgs->db, "Library file")->required()->check(CLI::ExistingFile);
    derive->add_option("--from", deriveArgs->from, "Source label set")->required();
    derive->add_option("--name", deriveArgs->name, "New label set")->required();
    derive->add_option("--synonyms", deriveArgs->synonyms, "'tutorial' (its 29 groups) or a file: one group per line");
    derive->add_option("--top", deriveArgs->top, "Keep the N most frequent tags");
    derive->add_option("--min-tracks", deriveArgs->minTracks, "Keep classes with at least N tracks");
    auto* exclusive = derive->add_option("--exclusive", deriveArgs->exclusive,
                                         "Binary task POS,...:NEG,... (e.g. 'no singer:vocal,singer')");
    auto* single = derive->add_option("--single", deriveArgs->single, "Single-label subset over A,B,...");
    exclusive->excludes(single);
    derive->add_option("--max-per-class", deriveArgs->maxPerClass, "With --single: at most N per class");
    derive->add_option("--seed", deriveArgs->seed, "With --max-per-class: random seed");
    derive->add_flag("--replace", deriveArgs->replace, "Replace a label set of the same name");
    derive->callback([deriveArgs] {
        const auto& a = *deriveArgs;
        LibraryDatabase db(a.db);
        auto c = datasets::loadCollection(db, a.from);
        if (!a.synonyms.empty())
            c = datasets::mergeSynonyms(c, a.synonyms == "tutorial" ? datasets::tutorialSynonyms()
                                                                     : datasets::readSynonyms(a.synonyms));
        if (a.top > 0) c = datasets::keepTopTags(c, a.top);
        if (a.minTracks > 0) c = datasets::keepClassesWithAtLeast(c, a.minTracks);
        if (!a.exclusive.empty()) {
            const auto colon = a.exclusive.find(':');
            if (colon == std::string::npos) throw Error("--exclusive", "expected POS,...:NEG,...");
            const auto pos = splitList(a.exclusive.substr(0, colon)), neg = splitList(a.exclusive.substr(colon + 1));
            if (pos.empty() || neg.empty()) throw Error("--exclusive", "expected POS,...:NEG,...");
            c = datasets::deriveExclusiveBinary(c, pos, neg, pos.front());
        } else if (!a.single.empty()) {
            c = datasets::deriveSingleLabel(c, splitList(a.single), a.maxPerClass, a.seed);
        }
        c.name = a.name;
        c.source = "derived:" + a.from;
        const auto report = datasets::storeDerived(db, c, a.replace);
        std::printf("label set '%s': %zu tracks, %zu classes, %zu labels\n", a.name.c_str(), report.clips,
                    c.classes.size(), report.positives);
    });

    // ---- label-by-neighbours ----
    struct NeighbourArgs {
        pipeline::NeighbourLabellingRequest request;
        bool json = false;
    };
    auto neighbourArgs = std::make_shared<NeighbourArgs>();
    auto* byNeighbours = library->add_subcommand(
        "label-by-neighbours", "Label every track without a label in a label set by the vote of its K nearest "
                               "labelled tracks in a space (5-NN, as evaluate-similarity --folds --knn scores it; in a "
                               "multi-label set, each label at least half of them carry), into a new label set");
    auto& nr = neighbourArgs->request;
    byNeighbours->add_option("--db", nr.library, "Library file")->required()->check(CLI::ExistingFile);
    byNeighbours->add_option("--labels", nr.labelSet, "Single- or multi-label set whose labelled tracks vote")->required();
    byNeighbours->add_option("--into", nr.into, "New label set for the votes (the voting set is never written)")
        ->required();
    byNeighbours->add_option("--space", nr.space, "mfcc, rp, run:RUN (e.g. a `pretrain` run), ...")->capture_default_str();
    byNeighbours->add_option("--k", nr.rule.k,
                             "Voters per track (5 measured best on the demo's styles with most clips labelled; README). "
                             "0: chosen from your labels (each labelled track voted on by the other recordings' "
                             "labelled tracks; the best macro-F1 among 1, 3, 5, 7, 10)")
        ->capture_default_str();
    byNeighbours->add_option("--reach", nr.rule.reach,
                             "Leave a track unlabelled (none of these) when it is more isolated from the labelled tracks "
                             "(its nearest labelled against its nearest track, both of other recordings) than this "
                             "quantile of the labelled tracks are (0 = always vote)")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1.0));
    byNeighbours->add_option("--min-share", nr.rule.minShare,
                             "Leave a track unlabelled when its winning class has a smaller share of the K votes")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1.0));
    byNeighbours->add_option("--metric", nr.metric, "euclidean | cosine | manhattan")->capture_default_str();
    byNeighbours->add_option("--cache", nr.featureCache, "Feature cache folder (default: beside the library)");
    byNeighbours->add_option("--threads", nr.threads, "Feature extraction threads (0 = all cores)");
    byNeighbours->add_flag("--replace", nr.replace, "Write over an existing --into set");
    byNeighbours->add_flag("--json", neighbourArgs->json, "Counts and every labelled track as JSON");
    byNeighbours->callback([neighbourArgs] {
        const auto& a = *neighbourArgs;
        Progress progress = stderrProgress();
        const auto r = pipeline::labelByNeighbours(a.request, &progress);
        for (const auto& [id, why] : r.failures) std::fprintf(stderr, "track %lld left unlabelled: %s\n",
                                                              static_cast<long long>(id), why.c_str());
        nlohmann::json left = nlohmann::json::array();
        for (const auto& [id, why] : r.abstained)
            left.push_back({{"id", id}, {"why", why}, {"isolation", r.isolationOf.at(id)}});
        if (a.json) {
            nlohmann::json tracks = nlohmann::json::array();
            for (const auto& [id, labels] : r.labelsOf) {
                nlohmann::json all = nlohmann::json::array();
                for (const auto& l : labels) all.push_back({{"label", l.label}, {"share", l.share}});
                tracks.push_back({{"id", id},
                                  {"label", labels.front().label},  // the strongest (a single-label set's only)
                                  {"share", labels.front().share},
                                  {"labels", all},
                                  {"isolation", r.isolationOf.at(id)}});
            }
            nlohmann::json out{{"into", a.request.into}, {"voters", r.voters}, {"k", r.k},
                               {"reach", a.request.rule.reach}, {"min_share", a.request.rule.minShare},
                               {"per_class", r.perClass}, {"tracks", tracks}, {"left_unlabelled", left}};
            if (std::isfinite(r.reach)) out["reach_isolation"] = r.reach;
            if (!r.macroF1OfK.empty()) {
                nlohmann::json choice = nlohmann::json::object();
                for (const auto& [k, f1] : r.macroF1OfK) choice[std::to_string(k)] = f1;
                out["macro_f1_of_k"] = choice;  // leave-one-recording-out over the labelled tracks
            }
            std::cout << out.dump(2) << "\n";
            return;
        }
        std::string counts;
        for (const auto& [label, n] : r.perClass) counts += (counts.empty() ? "" : ", ") + label + " " + std::to_string(n);
        std::printf("label set '%s': %zu tracks labelled by their %zu nearest of %zu labelled in %s (%s)\n",
                    a.request.into.c_str(), r.labelsOf.size(), std::min(r.k, r.voters), r.voters,
                    a.request.space.c_str(), counts.empty() ? "none" : counts.c_str());
        if (!r.macroF1OfK.empty()) {
            std::printf("k = %zu chosen: the labelled tracks voted on by other recordings' scored macro-F1", r.k);
            for (const auto& [k, f1] : r.macroF1OfK)
                std::printf("%s %zu: %.3f", k == r.macroF1OfK.begin()->first ? "" : ",", k, f1);
            std::printf("\n");
        }
        if (!r.abstained.empty())
            std::printf("%zu tracks left unlabelled: none of the classes is near enough, or the vote was split "
                        "(--reach, --min-share; --json lists them)\n",
                        r.abstained.size());
    });

    // ---- list ----
    struct ListArgs {
        std::string db, labels;
        std::size_t limit = 0;
        bool json = false;
    };
    auto listArgs = std::make_shared<ListArgs>();
    auto* list = library->add_subcommand("list", "List tracks with their labels");
    list->add_option("--db", listArgs->db, "Library file")->required()->check(CLI::ExistingFile);
    list->add_option("--labels", listArgs->labels, "Only members of this label set");
    list->add_option("--limit", listArgs->limit, "At most N tracks");
    list->add_flag("--json", listArgs->json, "Print as JSON");
    list->callback([listArgs] {
        LibraryDatabase db(listArgs->db);
        std::set<library::TrackId> members;
        if (!listArgs->labels.empty())
            for (const auto& [track, labels] : db.positiveLabels(listArgs->labels)) members.insert(track);
        nlohmann::json all = nlohmann::json::array();
        std::size_t shown = 0;
        for (const auto& t : db.tracks()) {
            if (!listArgs->labels.empty() && !members.count(t.id)) continue;
            if (listArgs->limit && shown++ >= listArgs->limit) break;
            std::string labels;
            nlohmann::json jl = nlohmann::json::array();
            for (const auto& l : db.labelsOfTrack(t.id)) {
                if (l.value <= 0.5) continue;
                labels += (labels.empty() ? "" : ", ") + l.labelSet + ":" + l.label;
                jl.push_back({{"set", l.labelSet}, {"label", l.label}, {"source", l.source}});
            }
            if (listArgs->json)
                all.push_back({{"id", t.id}, {"path", t.path}, {"title", t.title}, {"artist", t.artist},
                               {"duration_seconds", t.durationSeconds}, {"format", t.format},
                               {"sample_rate", t.sampleRate}, {"channels", t.channels}, {"group", t.group},
                               {"content_hash", t.contentHash ? hashHex(*t.contentHash) : std::string()},
                               {"labels", jl}});
            else
                std::printf("%6lld  %6.1fs  %-40s  %s\n", static_cast<long long>(t.id), t.durationSeconds,
                            t.path.c_str(), labels.c_str());
        }
        if (listArgs->json) std::cout << all.dump(2) << "\n";
    });
}

}  // namespace sonolab::cli
