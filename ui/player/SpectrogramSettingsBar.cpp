#include "ui/player/SpectrogramSettingsBar.h"

#include "ui/widgets/FlowLayout.h"

#include <QComboBox>
#include <QSignalBlocker>
#include <QSpinBox>

namespace sonolab::ui {

namespace {
QComboBox* combo(QWidget* parent, const QString& tip) {
    auto* c = new QComboBox(parent);
    c->setToolTip(tip);
    c->setFocusPolicy(Qt::NoFocus);
    return c;
}
void select(QComboBox* c, int value) {
    int i = c->findData(value);
    if (i < 0) {
        c->addItem(QString::number(value), value);
        i = c->count() - 1;
    }
    c->setCurrentIndex(i);
}
}  // namespace

SpectrogramSettingsBar::SpectrogramSettingsBar(QWidget* parent) : QWidget(parent) {
    // Wraps onto a second line in a narrow window (or beside the training form) instead of widening it.
    auto* layout = new FlowLayout(this, 8);
    layout->setContentsMargins(4, 2, 4, 2);
    nFft_ = combo(this, tr("FFT window size (frequency resolution)"));
    for (int n : {256, 512, 1024, 2048, 4096, 8192, 16384}) nFft_->addItem(QString::number(n), n);
    hop_ = combo(this, tr("Hop between frames when zoomed in (time resolution)"));
    for (int h : {64, 128, 256, 512, 1024, 2048, 4096}) hop_->addItem(QString::number(h), h);
    window_ = combo(this, tr("Window function"));
    window_->addItem(tr("Hann"), int(dsp::WindowType::Hann));
    window_->addItem(tr("Hamming"), int(dsp::WindowType::Hamming));
    window_->addItem(tr("Blackman"), int(dsp::WindowType::Blackman));
    window_->addItem(tr("Rectangular"), int(dsp::WindowType::Rectangular));
    scale_ = combo(this, tr("Frequency axis"));
    for (auto k : {FrequencyScaleKind::Linear, FrequencyScaleKind::Log, FrequencyScaleKind::Mel})
        scale_->addItem(FrequencyScale::name(k), int(k));
    range_ = new QSpinBox(this);
    range_->setRange(20, 160);
    range_->setSingleStep(10);
    range_->setSuffix(tr(" dB"));
    range_->setToolTip(tr("Dynamic range: levels this far below the top are black"));
    range_->setFocusPolicy(Qt::ClickFocus);
    top_ = new QSpinBox(this);
    top_->setRange(-100, 20);
    top_->setSingleStep(5);
    top_->setSuffix(tr(" dB"));
    top_->setToolTip(tr("Level of the brightest colour (0 dB = a full-scale sine); lower it to brighten quiet recordings"));
    top_->setFocusPolicy(Qt::ClickFocus);
    colours_ = combo(this, tr("Colour map"));
    for (auto k : ColourMap::all()) colours_->addItem(ColourMap::name(k), int(k));

    layout->addGroup(tr("Window"), {nFft_, window_});
    layout->addGroup(tr("Hop"), {hop_});
    layout->addGroup(tr("Axis"), {scale_});
    layout->addGroup(tr("Top"), {top_});
    layout->addGroup(tr("Range"), {range_});
    layout->addGroup(tr("Colours"), {colours_});

    setSettings(SpectrogramSettings{});
    for (auto* c : {nFft_, hop_, window_, scale_, colours_})
        connect(c, &QComboBox::currentIndexChanged, this, &SpectrogramSettingsBar::changed);
    connect(range_, &QSpinBox::valueChanged, this, &SpectrogramSettingsBar::changed);
    connect(top_, &QSpinBox::valueChanged, this, &SpectrogramSettingsBar::changed);
}

SpectrogramSettings SpectrogramSettingsBar::settings() const {
    SpectrogramSettings s = base_;
    s.nFft = nFft_->currentData().toInt();
    s.hop = hop_->currentData().toInt();
    s.window = static_cast<dsp::WindowType>(window_->currentData().toInt());
    s.scale = static_cast<FrequencyScaleKind>(scale_->currentData().toInt());
    s.rangeDb = static_cast<float>(range_->value());
    s.topDb = static_cast<float>(top_->value());
    s.colours = static_cast<ColourMapKind>(colours_->currentData().toInt());
    return s;
}

void SpectrogramSettingsBar::setSettings(const SpectrogramSettings& settings) {
    updating_ = true;
    base_ = settings;
    select(nFft_, settings.nFft);
    select(hop_, settings.hop);
    select(window_, int(settings.window));
    select(scale_, int(settings.scale));
    range_->setValue(static_cast<int>(settings.rangeDb));
    top_->setValue(static_cast<int>(settings.topDb));
    select(colours_, int(settings.colours));
    updating_ = false;
}

void SpectrogramSettingsBar::changed() {
    if (updating_) return;
    base_ = settings();
    emit settingsChanged(base_);
}

}  // namespace sonolab::ui
