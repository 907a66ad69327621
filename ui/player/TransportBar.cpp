#include "ui/player/TransportBar.h"

#include "ui/player/TimelineView.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace sonolab::ui {

TransportBar::TransportBar(QWidget* parent) : QWidget(parent) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    playButton_ = new QToolButton(this);
    playButton_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    playButton_->setToolTip(tr("Play / pause (Space)"));
    stopButton_ = new QToolButton(this);
    stopButton_->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
    stopButton_->setToolTip(tr("Stop and return to the start"));
    // Keyboard focus stays in the views, so Space and the arrow keys always drive playback.
    for (auto* b : {playButton_, stopButton_}) b->setFocusPolicy(Qt::NoFocus);
    position_ = new QLabel(this);
    position_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont mono = position_->font();
    mono.setFamily(QStringLiteral("DejaVu Sans Mono"));
    position_->setFont(mono);
    loading_ = new QLabel(this);
    unavailable_ = new QLabel(this);
    unavailable_->setStyleSheet(QStringLiteral("color: #c86400;"));
    unavailable_->hide();
    follow_ = new QComboBox(this);
    follow_->setFocusPolicy(Qt::NoFocus);
    follow_->addItem(tr("Follow: off"), int(FollowMode::Off));
    follow_->addItem(tr("Follow: page"), int(FollowMode::Page));
    follow_->addItem(tr("Follow: continuous"), int(FollowMode::Continuous));
    follow_->setCurrentIndex(1);
    follow_->setToolTip(tr("How the view follows the playback cursor"));

    layout->addWidget(playButton_);
    layout->addWidget(stopButton_);
    layout->addWidget(position_);
    layout->addSpacing(12);
    layout->addWidget(unavailable_);
    layout->addWidget(loading_);
    layout->addStretch(1);
    layout->addWidget(follow_);

    connect(playButton_, &QToolButton::clicked, this, &TransportBar::playPauseClicked);
    connect(stopButton_, &QToolButton::clicked, this, &TransportBar::stopClicked);
    connect(follow_, &QComboBox::currentIndexChanged, this, [this] { emit followModeChanged(followMode()); });
    setPosition(0, 0);
}

void TransportBar::setPlaying(bool playing) {
    playing_ = playing;
    playButton_->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
}

void TransportBar::setPosition(double seconds, double duration) {
    position_->setText(QStringLiteral("%1 / %2").arg(formatTime(seconds), formatTime(duration)));
}

QString TransportBar::positionText() const { return position_->text(); }

void TransportBar::setPlaybackUnavailable(const QString& reason) {
    playButton_->setEnabled(reason.isEmpty());
    stopButton_->setEnabled(reason.isEmpty());
    unavailable_->setText(tr("Playback unavailable"));
    unavailable_->setToolTip(reason);
    unavailable_->setVisible(!reason.isEmpty());
}

void TransportBar::setLoadingText(const QString& text) { loading_->setText(text); }

FollowMode TransportBar::followMode() const { return static_cast<FollowMode>(follow_->currentData().toInt()); }

void TransportBar::setFollowMode(FollowMode mode) { follow_->setCurrentIndex(follow_->findData(int(mode))); }

}  // namespace sonolab::ui
