#include "ui/player/OnsetBar.h"

#include "core/util/Error.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalBlocker>
#include <QToolButton>

namespace sonolab::ui {

namespace {
constexpr auto kChooseRun = "choose";
}

OnsetBar::OnsetBar(QWidget* parent) : QWidget(parent) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 2);
    show_ = new QCheckBox(tr("Onsets"), this);
    show_->setToolTip(tr("Detect note onsets and draw them over the waveform and spectrogram (. and , jump between them)"));
    show_->setFocusPolicy(Qt::NoFocus);
    method_ = new QComboBox(this);
    method_->setFocusPolicy(Qt::NoFocus);
    method_->setToolTip(tr("Detection method: spectral flux with peak picking, or a trained recurrent network run"));
    method_->addItem(tr("Spectral flux"), QStringLiteral("flux"));
    method_->addItem(tr("Trained RNN run…"), QString::fromLatin1(kChooseRun));
    detect_ = new QPushButton(tr("Detect"), this);
    detect_->setFocusPolicy(Qt::NoFocus);
    detect_->setToolTip(tr("Detect onsets in the open track with the chosen method"));
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setMaximumWidth(110);
    progress_->setMaximumHeight(16);
    progress_->setTextVisible(false);
    progress_->hide();
    cancel_ = new QToolButton(this);
    cancel_->setText(tr("Cancel"));
    cancel_->setFocusPolicy(Qt::NoFocus);
    cancel_->hide();
    curve_ = new QCheckBox(tr("Curve"), this);
    curve_->setChecked(true);
    curve_->setFocusPolicy(Qt::NoFocus);
    curve_->setToolTip(tr("Draw the detection function (orange) and the peak-picking threshold (dashed) over the waveform"));
    click_ = new QCheckBox(tr("Click"), this);
    click_->setFocusPolicy(Qt::NoFocus);
    click_->setToolTip(tr("Play a short click at each onset, to hear whether they are right"));
    export_ = new QToolButton(this);
    export_->setText(tr("Export…"));
    export_->setFocusPolicy(Qt::NoFocus);
    export_->setToolTip(tr("Save the detected onsets as a .onsets file (one time in seconds per line)"));
    summary_ = new QLabel(this);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    layout->addWidget(show_);
    layout->addWidget(method_);
    layout->addWidget(detect_);
    layout->addWidget(progress_);
    layout->addWidget(cancel_);
    layout->addSpacing(8);
    layout->addWidget(curve_);
    layout->addWidget(click_);
    layout->addWidget(export_);
    layout->addSpacing(8);
    layout->addWidget(summary_, 1);

    connect(show_, &QCheckBox::toggled, this, &OnsetBar::showToggled);
    connect(curve_, &QCheckBox::toggled, this, &OnsetBar::curveToggled);
    connect(click_, &QCheckBox::toggled, this, &OnsetBar::clicksToggled);
    connect(detect_, &QPushButton::clicked, this, &OnsetBar::detectClicked);
    connect(cancel_, &QToolButton::clicked, this, &OnsetBar::cancelClicked);
    connect(export_, &QToolButton::clicked, this, &OnsetBar::exportClicked);
    connect(method_, &QComboBox::activated, this, &OnsetBar::methodActivated);
}

void OnsetBar::methodActivated(int index) {
    if (method_->itemData(index).toString() != QLatin1String(kChooseRun)) {
        lastMethod_ = index;
        emit methodChanged();
        return;
    }
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Choose a trained onset run folder"));
    if (dir.isEmpty()) {
        method_->setCurrentIndex(lastMethod_);
        return;
    }
    setMethod(QStringLiteral("rnn:") + dir);
    emit methodChanged();
}

onsets::OnsetMethod OnsetBar::method() const {
    return onsets::OnsetMethod::parse(method_->currentData().toString().toStdString());
}

void OnsetBar::setMethod(const QString& text) {
    const auto parsed = onsets::OnsetMethod::parse(text.toStdString());  // throws for anything else
    const QString data = QString::fromStdString(parsed.toString());
    int i = method_->findData(data);
    if (i < 0) {
        const QString run = QString::fromStdString(parsed.run.string());
        i = method_->count() - 1;  // before "Trained RNN run…"
        method_->insertItem(i, tr("RNN: %1").arg(QDir(run).dirName()), data);
        method_->setItemData(i, run, Qt::ToolTipRole);
    }
    QSignalBlocker block(method_);
    method_->setCurrentIndex(i);
    lastMethod_ = i;
}

bool OnsetBar::showOnsets() const { return show_->isChecked(); }
void OnsetBar::setShowOnsets(bool on) { show_->setChecked(on); }
bool OnsetBar::curve() const { return curve_->isChecked(); }
bool OnsetBar::clicks() const { return click_->isChecked(); }
void OnsetBar::setClicks(bool on) { click_->setChecked(on); }

void OnsetBar::setRunning(bool running) {
    progress_->setVisible(running);
    cancel_->setVisible(running);
    detect_->setEnabled(!running);
    if (running) progress_->setValue(0);
}

void OnsetBar::setProgress(double fraction, const QString& message) {
    progress_->setValue(int(fraction * 1000));
    progress_->setToolTip(message);
}

void OnsetBar::setSummary(const QString& text, bool error) {
    summary_->setText(text);
    summary_->setStyleSheet(error ? QStringLiteral("color: #e05050;") : QString());
}

QString OnsetBar::summary() const { return summary_->text(); }

}  // namespace sonolab::ui
