#include "ui/widgets/FlowLayout.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QWidget>

#include <algorithm>

namespace sonolab::ui {

FlowLayout::FlowLayout(QWidget* parent, int spacing) : QLayout(parent), spacing_(spacing) {}

FlowLayout::~FlowLayout() {
    // QLayout's contract: the layout owns the items handed to addItem().
    for (QLayoutItem* item : items_) delete item;
}

void FlowLayout::addItem(QLayoutItem* item) { items_.push_back(item); }

void FlowLayout::addGroup(const QString& label, std::initializer_list<QWidget*> controls) {
    auto* group = new QWidget;  // reparented to the layout's widget by addWidget
    auto* row = new QHBoxLayout(group);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(new QLabel(label, group));
    for (QWidget* c : controls) row->addWidget(c);
    addWidget(group);
}

QLayoutItem* FlowLayout::itemAt(int index) const {
    return index >= 0 && index < count() ? items_[std::size_t(index)] : nullptr;
}

QLayoutItem* FlowLayout::takeAt(int index) {
    if (index < 0 || index >= count()) return nullptr;
    QLayoutItem* item = items_[std::size_t(index)];
    items_.erase(items_.begin() + index);
    return item;
}

void FlowLayout::setGeometry(const QRect& rect) {
    QLayout::setGeometry(rect);
    arrange(rect, true);
}

QSize FlowLayout::sizeHint() const {
    // Everything on one line.
    int width = 0, height = 0;
    for (const QLayoutItem* item : items_) {
        if (item->isEmpty()) continue;
        width += item->sizeHint().width() + (width > 0 ? spacing_ : 0);
        height = std::max(height, item->sizeHint().height());
    }
    const QMargins m = contentsMargins();
    return {width + m.left() + m.right(), height + m.top() + m.bottom()};
}

QSize FlowLayout::minimumSize() const {
    // The widest single item: the rest wraps.
    QSize size;
    for (const QLayoutItem* item : items_)
        if (!item->isEmpty()) size = size.expandedTo(item->minimumSize());
    const QMargins m = contentsMargins();
    return size + QSize(m.left() + m.right(), m.top() + m.bottom());
}

int FlowLayout::arrange(const QRect& rect, bool apply) const {
    const QMargins m = contentsMargins();
    const QRect area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom());
    int x = area.x(), y = area.y(), lineHeight = 0;
    std::vector<std::pair<QLayoutItem*, QPoint>> line;
    // Items of one line share its height and sit centred in it (a label beside a taller box).
    auto place = [&] {
        if (apply)
            for (auto& [item, at] : line) {
                const QSize hint = item->sizeHint();
                item->setGeometry(QRect(QPoint(at.x(), at.y() + (lineHeight - hint.height()) / 2), hint));
            }
        line.clear();
    };
    for (QLayoutItem* item : items_) {
        if (item->isEmpty()) continue;
        const QSize hint = item->sizeHint();
        if (x + hint.width() > area.right() + 1 && !line.empty()) {
            place();
            x = area.x();
            y += lineHeight + spacing_;
            lineHeight = 0;
        }
        line.emplace_back(item, QPoint(x, y));
        x += hint.width() + spacing_;
        lineHeight = std::max(lineHeight, hint.height());
    }
    place();
    return y + lineHeight - rect.y() + m.bottom();
}

}  // namespace sonolab::ui
