// SimilarityBrowser: the query and its neighbours written as "similarity marks" (core/annotations/SimilarityMarks.h).
#include "ui/similarity/SimilarityBrowser.h"

#include "core/annotations/AnnotationFile.h"
#include "core/annotations/SimilarityMarks.h"
#include "core/util/Error.h"
#include "ui/similarity/MatchedSegments.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>

namespace sonolab::ui {

bool SimilarityBrowser::exportMarks(const QString& path) {
    const auto query = tracks_.find(query_);
    if (query == tracks_.end() || !space_) {
        status_->setText(tr("No query to export marks for: pick a track first."));
        return false;
    }
    std::vector<annotations::NeighbourMark> marks;
    for (const auto& n : neighbours_) {
        annotations::NeighbourMark mark{.name = describe(n.id).toStdString(), .distance = n.distance};
        if (const auto band = matchSegments(*space_, query_, n.id).query) {
            mark.matchStart = band->startSeconds;
            mark.matchDuration = band->durationSeconds;
        }
        marks.push_back(std::move(mark));
    }
    const double duration = query->second.durationSeconds;
    try {
        const std::filesystem::path file(path.toStdU16String());
        const auto format = annotations::formatOfFile(file);
        if (!format || *format == annotations::Format::Onsets)
            throw fileError(file, "has no label file extension (.txt, .csv, .jams)");
        annotations::writeAnnotationFile(
            file, {annotations::similarityMarks(describe(query_).toStdString(), marks, duration)}, *format,
            {.duration = duration, .title = QFileInfo(query->second.path).fileName().toStdString(),
             .tools = "Sonolab similarity (" + currentSpace().toStdString() + ")"});
    } catch (const std::exception& e) {
        status_->setText(tr("Marks not exported: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
    status_->setText(tr("%1 neighbours of %2 written to %3").arg(marks.size()).arg(describe(query_), path));
    return true;
}

void SimilarityBrowser::exportMarksWithDialog() {
    const auto query = tracks_.find(query_);
    if (query == tracks_.end()) {
        exportMarks({});  // says why
        return;
    }
    const QFileInfo audio(query->second.path);
    const QString suggestion = audio.dir().filePath(audio.completeBaseName() + QStringLiteral(".neighbours.txt"));
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Similarity Marks"), suggestion,
        tr("Audacity labels (*.txt);;Sonic Visualiser CSV (*.csv);;JAMS (*.jams)"));
    if (!path.isEmpty()) exportMarks(path);
}

}  // namespace sonolab::ui
