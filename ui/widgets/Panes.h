#pragma once
// How every panel lays itself out: panes (widgets and layouts stacked top to bottom without margins: the inside of
// a splitter or a tab) and splitters over panes with their stretch factors. One place for what each panel spelled
// out again.
#include <Qt>

#include <initializer_list>
#include <utility>

class QLayout;
class QSplitter;
class QWidget;

namespace sonolab::ui {

// Empty space that takes what the other items leave.
struct Stretch {
    int factor = 1;
};

struct PaneItem {
    PaneItem(QWidget* widget, int stretch = 0) : widget(widget), stretch(stretch) {}
    PaneItem(QLayout* layout, int stretch = 0) : layout(layout), stretch(stretch) {}
    PaneItem(Stretch space) : stretch(space.factor) {}
    QWidget* widget = nullptr;
    QLayout* layout = nullptr;
    int stretch = 0;
};

// A new widget holding the items top to bottom, without margins.
QWidget* pane(std::initializer_list<PaneItem> items);
// A new splitter over the widgets, each with its stretch factor.
QSplitter* splitPanes(Qt::Orientation orientation, std::initializer_list<std::pair<QWidget*, int>> panes);

}  // namespace sonolab::ui
