#pragma once
// The run form's starting point for a classifier: from scratch, or the encoder of a pretrained run
// (`sonolab-cli pretrain`, or the dashboard's "Pretrain on the library"), fine-tuned or frozen (a linear probe) —
// TrainingConfig::initRun / freezeEncoder, as `train --init RUN [--freeze]`.
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
    bool freeze() const;
    void load(const std::filesystem::path& runFolder, bool freeze);

    QComboBox* runBox() const { return run_; }
    QCheckBox* freezeBox() const { return freeze_; }

signals:
    void changed();

private:
    QComboBox* run_;
    QCheckBox* freeze_;
};

}  // namespace sonolab::ui
