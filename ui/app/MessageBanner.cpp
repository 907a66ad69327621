#include "ui/app/MessageBanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace sonolab::ui {

MessageBanner::MessageBanner(QWidget* parent) : QFrame(parent) {
    setFrameShape(QFrame::StyledPanel);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    label_ = new QLabel(this);
    label_->setWordWrap(true);
    label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* close = new QToolButton(this);
    close->setText(QStringLiteral("✕"));
    close->setAutoRaise(true);
    close->setFocusPolicy(Qt::NoFocus);
    close->setToolTip(tr("Dismiss"));
    layout->addWidget(label_, 1);
    layout->addWidget(close);
    connect(close, &QToolButton::clicked, this, &QWidget::hide);
    hide();
}

void MessageBanner::showMessage(const QString& text, Kind kind) {
    const char* style = kind == Kind::Error   ? "background: #5c1f1f; color: #ffdede;"
                        : kind == Kind::Warning ? "background: #5a4a14; color: #fff2c8;"
                                                : "background: #1f3b5c; color: #deeeff;";
    setStyleSheet(QStringLiteral("sonolab--ui--MessageBanner { %1 } QLabel { %1 }").arg(QLatin1String(style)));
    label_->setText(text);
    show();
}

QString MessageBanner::text() const { return isVisible() ? label_->text() : QString(); }

}  // namespace sonolab::ui
