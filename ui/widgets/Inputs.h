#pragma once
// The form inputs every settings panel builds the same way (range, start value, tooltip; labelled choices with the
// value each stands for), so a form reads as the list of its settings.
#include <QString>
#include <QVariant>

#include <initializer_list>

class QComboBox;
class QSpinBox;

namespace sonolab::ui {

struct Choice {
    QString text;   // what the user reads
    QVariant data;  // what the settings store
};

QSpinBox* spinBox(int lowest, int highest, int value, const QString& toolTip);
QComboBox* choiceBox(std::initializer_list<Choice> choices, const QString& toolTip);

}  // namespace sonolab::ui
