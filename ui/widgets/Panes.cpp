#include "ui/widgets/Panes.h"

#include <QSplitter>
#include <QVBoxLayout>
#include <QWidget>

namespace sonolab::ui {

QWidget* pane(std::initializer_list<PaneItem> items) {
    auto* widget = new QWidget;
    auto* layout = new QVBoxLayout(widget);
    layout->setContentsMargins(0, 0, 0, 0);
    for (const PaneItem& item : items) {
        if (item.widget) layout->addWidget(item.widget, item.stretch);
        else if (item.layout) layout->addLayout(item.layout, item.stretch);
        else layout->addStretch(item.stretch);
    }
    return widget;
}

QSplitter* splitPanes(Qt::Orientation orientation, std::initializer_list<std::pair<QWidget*, int>> panes) {
    auto* splitter = new QSplitter(orientation);
    int index = 0;
    for (const auto& [widget, stretch] : panes) {
        splitter->addWidget(widget);
        splitter->setStretchFactor(index++, stretch);
    }
    return splitter;
}

}  // namespace sonolab::ui
