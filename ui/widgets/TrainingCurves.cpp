#include "ui/widgets/TrainingCurves.h"

#include "ui/widgets/LiveChart.h"

#include <QGridLayout>

namespace sonolab::ui {

TrainingCurves::TrainingCurves(QWidget* parent)
    : QWidget(parent), batch_(new LiveChart), epoch_(new LiveChart), validation_(new LiveChart) {
    batch_->setTitle(tr("Training loss per batch"));
    batch_->setAxisTitles(tr("step"), tr("loss"));
    epoch_->setTitle(tr("Loss per epoch"));
    epoch_->setAxisTitles(tr("epoch"), tr("loss"));
    validation_->setAxisTitles(tr("epoch"), tr("value"));
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(batch_, 0, 0, 1, 2);
    grid->addWidget(epoch_, 1, 0);
    grid->addWidget(validation_, 1, 1);
    grid->setRowStretch(0, 1);
    grid->setRowStretch(1, 1);
}

}  // namespace sonolab::ui
