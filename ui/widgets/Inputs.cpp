#include "ui/widgets/Inputs.h"

#include <QComboBox>
#include <QSpinBox>

namespace sonolab::ui {

QSpinBox* spinBox(int lowest, int highest, int value, const QString& toolTip) {
    auto* box = new QSpinBox;
    box->setRange(lowest, highest);
    box->setValue(value);
    box->setToolTip(toolTip);
    return box;
}

QComboBox* choiceBox(std::initializer_list<Choice> choices, const QString& toolTip) {
    auto* box = new QComboBox;
    for (const Choice& c : choices) box->addItem(c.text, c.data);
    box->setToolTip(toolTip);
    return box;
}

}  // namespace sonolab::ui
