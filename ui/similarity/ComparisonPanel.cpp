#include "ui/similarity/ComparisonPanel.h"

#include "ui/player/AudioDocument.h"
#include "ui/player/TimeRuler.h"
#include "ui/player/TimeViewport.h"
#include "ui/similarity/MatchSpectrogramView.h"

#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>

namespace sonolab::ui {

ComparisonPanel::ComparisonPanel(QWidget* parent) : QWidget(parent), viewport_(new TimeViewport(this)) {
    ruler_ = new TimeRuler(viewport_, this);
    caption_ = new QLabel(this);
    caption_->setObjectName("comparisonCaption");
    caption_->setWordWrap(true);
    caption_->setText(tr("Select a neighbour to compare its spectrogram with the query's."));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(caption_);
    layout->addWidget(ruler_);
    const char* names[] = {"querySpectrogram", "neighbourSpectrogram"};
    for (int side : {Query, Neighbour}) {
        documents_[side] = std::make_unique<AudioDocument>();
        titles_[side] = new QLabel(this);
        titles_[side]->setTextFormat(Qt::PlainText);
        QFont bold = titles_[side]->font();
        bold.setBold(true);
        titles_[side]->setFont(bold);
        views_[side] = new MatchSpectrogramView(viewport_, this);
        views_[side]->setObjectName(names[side]);
        views_[side]->setDocument(documents_[side].get());
        views_[side]->setSettings(settings_);
        views_[side]->setCursorSeconds(-1);
        layout->addWidget(titles_[side]);
        layout->addWidget(views_[side], 1);
        auto* doc = documents_[side].get();
        connect(doc, &AudioDocument::opened, this, &ComparisonPanel::documentsChanged);
        connect(doc, &AudioDocument::finished, this, &ComparisonPanel::documentsChanged);
        connect(doc, &AudioDocument::failed, this, [this, side](const QString& message) {
            titles_[side]->setText(tracks_[side].title + "  —  " + tr("cannot decode: %1").arg(message));
        });
        connect(views_[side], &TimelineView::seekRequested, this, [this, side](double seconds) {
            if (tracks_[side].id >= 0) emit playRequested(tracks_[side].id, seconds);
        });
        connect(views_[side], &SpectrogramView::completed, this, [this] {
            if (complete()) emit completed();
        });
    }
    ruler_->setCursorSeconds(-1);
}

ComparisonPanel::~ComparisonPanel() {
    // Views hold the documents by QPointer; drop them before the documents go.
    for (auto* view : views_) view->setDocument(nullptr);
}

void ComparisonPanel::open(Side side, const ComparedTrack& track) {
    const bool reopen = track.path != documents_[side]->path() || documents_[side]->hasFailed();
    tracks_[side] = track;
    const QString role = side == Query ? tr("Query") : tr("Neighbour");
    titles_[side]->setText(role + ": " + track.title);
    views_[side]->setBand(track.band);
    if (reopen && !track.path.isEmpty()) documents_[side]->open(track.path);
}

void ComparisonPanel::setTracks(const ComparedTrack& query, const ComparedTrack& neighbour, const QString& caption) {
    open(Query, query);
    open(Neighbour, neighbour);
    caption_->setText(caption);
    documentsChanged();
}

void ComparisonPanel::clear() {
    for (int side : {Query, Neighbour}) {
        tracks_[side] = {};
        titles_[side]->clear();
        views_[side]->setBand(std::nullopt);
    }
    caption_->setText(tr("Select a neighbour to compare its spectrogram with the query's."));
}

void ComparisonPanel::setSettings(const SpectrogramSettings& settings) {
    settings_ = settings;
    documentsChanged();
}

void ComparisonPanel::documentsChanged() {
    // One time scale (the longer track fills the width) and one frequency axis (up to the lower Nyquist frequency).
    double duration = 0;
    int rate = 0;
    for (const auto& doc : documents_) {
        if (!doc->isOpen()) continue;
        duration = std::max(duration, doc->durationSeconds());
        rate = rate == 0 ? doc->sampleRate() : std::min(rate, doc->sampleRate());
    }
    viewport_->setDuration(duration);
    ruler_->setDuration(duration);
    SpectrogramSettings s = settings_;
    if (rate > 0) s.maxHz = s.maxHz > 0 ? std::min(s.maxHz, rate / 2.0) : rate / 2.0;
    for (auto* view : views_)
        if (!(view->settings() == s)) view->setSettings(s);
}

bool ComparisonPanel::complete() const {
    for (int side : {Query, Neighbour}) {
        const auto& doc = documents_[side];
        if (!doc->isOpen() || doc->loading() || !views_[side]->complete()) return false;
    }
    return true;
}

void ComparisonPanel::setPlayhead(qint64 id, double seconds) {
    bool any = false;
    for (int side : {Query, Neighbour}) {
        const bool here = id >= 0 && tracks_[side].id == id;
        views_[side]->setCursorSeconds(here ? seconds : -1);
        any |= here;
    }
    ruler_->setCursorSeconds(any ? seconds : -1);
}

}  // namespace sonolab::ui
