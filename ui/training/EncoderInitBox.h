#pragma once
// The run form's starting point for a classifier: from scratch, or the encoder of a pretrained run
// (`sonolab-cli pretrain`, or the dashboard's "Pretrain on the library…"), fine-tuned or frozen (a linear probe) —
// TrainingConfig::initRun / freezeEncoder, as `train --init RUN [--freeze]`. Picking a run after "from scratch" checks
// "freeze": on the default encoder a linear probe scored macro-F1 0.720 against 0.666 fine-tuned (mean of three seeds,
// 4 source-track folds, the last epoch kept; README); the user may uncheck it.
#include <QList>
#include <QPair>
#include <QWidget>

#include <filesystem>

class QCheckBox;
class QComboBox;

namespace sonolab::ui {

class EncoderInitBox : public QWidget {
    Q_OBJECT
public:
    explicit EncoderInitBox(QWidget* parent = nullptr);

    // The pretrained runs to offer: (label, run folder). The box stays editable for any other run folder.
    void setRuns(const QList<QPair<QString, QString>>& runs);
    std::filesystem::path runFolder() const;  // empty = from scratch
    bool freeze() const;  // false while not freezable
    // Whether the encoder may be kept fixed: yes for a classifier (a linear probe), no where the encoder itself is what
    // learns (a similarity space); then "freeze" is hidden.
    void setFreezable(bool freezable);
    void load(const std::filesystem::path& runFolder, bool freeze);

    QComboBox* runBox() const { return run_; }
    QCheckBox* freezeBox() const { return freeze_; }

signals:
    void changed();

private:
    QComboBox* run_;
    QCheckBox* freeze_;
    bool fromScratch_ = true;  // what the run box said before its last change
    bool freezable_ = true;
};

}  // namespace sonolab::ui
