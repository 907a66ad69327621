// LibraryDatabase: label sets, splits and the feature-cache index.
#include "core/library/LibraryDatabase.h"
#include "core/library/Sqlite.h"
#include "core/util/Error.h"

#include <map>

namespace sonolab::library {

std::int64_t LibraryDatabase::labelSetId(const std::string& name) const {
    sql::Statement s(*connection_, "SELECT id FROM label_sets WHERE name = ?");
    s.bind(1, name);
    if (!s.step()) throw Error(file_.string(), "no label set called '" + name + "'");
    return s.int64(0);
}

std::int64_t LibraryDatabase::createLabelSet(const std::string& name, LabelKind kind,
                                             const std::vector<std::string>& classes, const std::string& source) {
    auto guard = lock();
    if (name.empty()) throw Error(file_.string(), "a label set needs a name");
    sql::Transaction transaction(*connection_);
    {
        sql::Statement exists(*connection_, "SELECT 1 FROM label_sets WHERE name = ?");
        exists.bind(1, name);
        if (exists.step()) throw Error(file_.string(), "a label set called '" + name + "' already exists");
    }
    sql::Statement insert(*connection_, "INSERT INTO label_sets(name, kind, source) VALUES(?,?,?)");
    insert.bind(1, name).bind(2, toString(kind)).bind(3, source).run();
    const std::int64_t id = connection_->lastInsertId();
    sql::Statement cls(*connection_, "INSERT OR IGNORE INTO label_classes(label_set_id, position, name) VALUES(?,?,?)");
    for (std::size_t i = 0; i < classes.size(); ++i) {
        cls.bind(1, id).bind(2, static_cast<std::int64_t>(i)).bind(3, classes[i]).run();
    }
    transaction.commit();
    return id;
}

std::optional<LabelSetInfo> LibraryDatabase::labelSet(const std::string& name) const {
    for (auto& info : labelSets())
        if (info.name == name) return info;
    return std::nullopt;
}

std::vector<LabelSetInfo> LibraryDatabase::labelSets() const {
    auto guard = lock();
    std::vector<LabelSetInfo> out;
    sql::Statement s(*connection_,
                     "SELECT id, name, kind, source, (SELECT COUNT(*) FROM label_members m WHERE m.label_set_id = "
                     "label_sets.id) FROM label_sets ORDER BY name");
    sql::Statement cls(*connection_, "SELECT name FROM label_classes WHERE label_set_id = ? ORDER BY position");
    while (s.step()) {
        LabelSetInfo info;
        info.id = s.int64(0);
        info.name = s.text(1);
        info.kind = labelKindFromString(s.text(2));
        info.source = s.text(3);
        info.trackCount = s.int64(4);
        cls.bind(1, info.id);
        while (cls.step()) info.classes.push_back(cls.text(0));
        cls.reset();
        out.push_back(std::move(info));
    }
    return out;
}

void LibraryDatabase::deleteLabelSet(const std::string& name) {
    auto guard = lock();
    sql::Statement s(*connection_, "DELETE FROM label_sets WHERE name = ?");
    s.bind(1, name).run();
}

void LibraryDatabase::addLabelClass(const std::string& labelSet, const std::string& className) {
    auto guard = lock();
    const auto id = labelSetId(labelSet);
    sql::Statement s(*connection_,
                     "INSERT OR IGNORE INTO label_classes(label_set_id, position, name) VALUES(?1, "
                     "(SELECT COALESCE(MAX(position) + 1, 0) FROM label_classes WHERE label_set_id = ?1), ?2)");
    s.bind(1, id).bind(2, className).run();
}

void LibraryDatabase::addLabelSetMember(const std::string& labelSet, TrackId track) {
    auto guard = lock();
    sql::Statement s(*connection_, "INSERT OR IGNORE INTO label_members(label_set_id, track_id) VALUES(?,?)");
    s.bind(1, labelSetId(labelSet)).bind(2, track).run();
}

void LibraryDatabase::setLabel(const std::string& labelSet, TrackId track, const std::string& label, double value,
                               const std::string& source) {
    auto guard = lock();
    sql::Transaction transaction(*connection_);
    const auto id = labelSetId(labelSet);
    addLabelClass(labelSet, label);
    sql::Statement member(*connection_, "INSERT OR IGNORE INTO label_members(label_set_id, track_id) VALUES(?,?)");
    member.bind(1, id).bind(2, track).run();
    sql::Statement kind(*connection_, "SELECT kind FROM label_sets WHERE id = ?");
    kind.bind(1, id);
    kind.step();
    if (kind.text(0) == "single" && value > 0.5) {
        sql::Statement clear(*connection_, "DELETE FROM track_labels WHERE label_set_id = ? AND track_id = ? AND label <> ?");
        clear.bind(1, id).bind(2, track).bind(3, label).run();
    }
    sql::Statement s(*connection_,
                     "INSERT INTO track_labels(label_set_id, track_id, label, value, source) VALUES(?,?,?,?,?)"
                     " ON CONFLICT(label_set_id, track_id, label) DO UPDATE SET value=excluded.value,"
                     " source=excluded.source");
    s.bind(1, id).bind(2, track).bind(3, label).bind(4, value).bind(5, source).run();
    transaction.commit();
}

void LibraryDatabase::removeLabel(const std::string& labelSet, TrackId track, const std::string& label) {
    auto guard = lock();
    sql::Statement s(*connection_, "DELETE FROM track_labels WHERE label_set_id = ? AND track_id = ? AND label = ?");
    s.bind(1, labelSetId(labelSet)).bind(2, track).bind(3, label).run();
}

void LibraryDatabase::addLabels(const std::string& labelSet, const std::vector<TrackId>& members,
                                const std::vector<LabelValue>& values, const std::string& source) {
    auto guard = lock();
    sql::Transaction transaction(*connection_);
    const auto id = labelSetId(labelSet);
    std::map<std::string, bool> known;
    for (const auto& info : labelSets())
        if (info.id == id)
            for (const auto& c : info.classes) known[c] = true;
    sql::Statement member(*connection_, "INSERT OR IGNORE INTO label_members(label_set_id, track_id) VALUES(?,?)");
    for (TrackId track : members) member.bind(1, id).bind(2, track).run();
    sql::Statement s(*connection_,
                     "INSERT INTO track_labels(label_set_id, track_id, label, value, source) VALUES(?,?,?,?,?)"
                     " ON CONFLICT(label_set_id, track_id, label) DO UPDATE SET value=excluded.value,"
                     " source=excluded.source");
    for (const auto& v : values) {
        if (!known.count(v.label)) {
            addLabelClass(labelSet, v.label);
            known[v.label] = true;
        }
        member.bind(1, id).bind(2, v.track).run();
        s.bind(1, id).bind(2, v.track).bind(3, v.label).bind(4, v.value).bind(5, source).run();
    }
    transaction.commit();
}

std::vector<TrackLabel> LibraryDatabase::labelsOfTrack(TrackId track) const {
    auto guard = lock();
    sql::Statement s(*connection_,
                     "SELECT ls.name, tl.label, tl.value, tl.source FROM track_labels tl JOIN label_sets ls ON ls.id = "
                     "tl.label_set_id LEFT JOIN label_classes c ON c.label_set_id = tl.label_set_id AND c.name = tl.label"
                     " WHERE tl.track_id = ? ORDER BY ls.name, c.position");
    s.bind(1, track);
    std::vector<TrackLabel> out;
    while (s.step()) out.push_back(TrackLabel{s.text(0), s.text(1), s.real(2), s.text(3)});
    return out;
}

std::map<TrackId, std::vector<std::string>> LibraryDatabase::positiveLabels(const std::string& labelSet) const {
    auto guard = lock();
    const auto id = labelSetId(labelSet);
    std::map<TrackId, std::vector<std::string>> out;
    sql::Statement members(*connection_, "SELECT track_id FROM label_members WHERE label_set_id = ?");
    members.bind(1, id);
    while (members.step()) out[members.int64(0)];
    sql::Statement s(*connection_,
                     "SELECT tl.track_id, tl.label FROM track_labels tl LEFT JOIN label_classes c ON c.label_set_id = "
                     "tl.label_set_id AND c.name = tl.label WHERE tl.label_set_id = ? AND tl.value > 0.5"
                     " ORDER BY tl.track_id, c.position");
    s.bind(1, id);
    while (s.step()) out[s.int64(0)].push_back(s.text(1));
    return out;
}

std::vector<std::pair<std::string, std::int64_t>> LibraryDatabase::labelCounts(const std::string& labelSet) const {
    auto guard = lock();
    const auto id = labelSetId(labelSet);
    sql::Statement s(*connection_,
                     "SELECT c.name, (SELECT COUNT(*) FROM track_labels tl WHERE tl.label_set_id = c.label_set_id AND "
                     "tl.label = c.name AND tl.value > 0.5) FROM label_classes c WHERE c.label_set_id = ? ORDER BY "
                     "c.position");
    s.bind(1, id);
    std::vector<std::pair<std::string, std::int64_t>> out;
    while (s.step()) out.emplace_back(s.text(0), s.int64(1));
    return out;
}

void LibraryDatabase::writeSplit(const std::string& name, const std::vector<SplitAssignment>& assignments) {
    auto guard = lock();
    if (name.empty()) throw Error(file_.string(), "a split needs a name");
    sql::Transaction transaction(*connection_);
    sql::Statement clear(*connection_, "DELETE FROM splits WHERE name = ?");
    clear.bind(1, name).run();
    sql::Statement s(*connection_, "INSERT OR REPLACE INTO splits(name, track_id, part) VALUES(?,?,?)");
    for (const auto& a : assignments) s.bind(1, name).bind(2, a.track).bind(3, toString(a.part)).run();
    transaction.commit();
}

std::vector<SplitAssignment> LibraryDatabase::split(const std::string& name) const {
    auto guard = lock();
    sql::Statement s(*connection_, "SELECT track_id, part FROM splits WHERE name = ? ORDER BY track_id");
    s.bind(1, name);
    std::vector<SplitAssignment> out;
    while (s.step()) out.push_back(SplitAssignment{s.int64(0), splitPartFromString(s.text(1))});
    return out;
}

std::vector<SplitSummary> LibraryDatabase::splits() const {
    auto guard = lock();
    sql::Statement s(*connection_, "SELECT name, part, COUNT(*) FROM splits GROUP BY name, part ORDER BY name");
    std::vector<SplitSummary> out;
    while (s.step()) {
        const std::string name = s.text(0);
        if (out.empty() || out.back().name != name) out.push_back(SplitSummary{name});
        const auto part = splitPartFromString(s.text(1));
        (part == SplitPart::Train ? out.back().train
                                  : part == SplitPart::Validation ? out.back().validation : out.back().test) = s.int64(2);
    }
    return out;
}

void LibraryDatabase::deleteSplit(const std::string& name) {
    auto guard = lock();
    sql::Statement s(*connection_, "DELETE FROM splits WHERE name = ?");
    s.bind(1, name).run();
}

void LibraryDatabase::setCachedFeature(TrackId track, const std::string& specHash, const std::string& path) {
    auto guard = lock();
    sql::Statement s(*connection_, "INSERT OR REPLACE INTO feature_cache(track_id, spec_hash, path) VALUES(?,?,?)");
    s.bind(1, track).bind(2, specHash).bind(3, path).run();
}

std::optional<std::string> LibraryDatabase::cachedFeature(TrackId track, const std::string& specHash) const {
    auto guard = lock();
    sql::Statement s(*connection_, "SELECT path FROM feature_cache WHERE track_id = ? AND spec_hash = ?");
    s.bind(1, track).bind(2, specHash);
    if (!s.step()) return std::nullopt;
    return s.text(0);
}

void LibraryDatabase::removeCachedFeatures(TrackId track) {
    auto guard = lock();
    sql::Statement s(*connection_, "DELETE FROM feature_cache WHERE track_id = ?");
    s.bind(1, track).run();
}

}  // namespace sonolab::library
