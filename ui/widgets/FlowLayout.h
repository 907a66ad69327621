#pragma once
// A tool row that wraps: items left to right, continued on the next line when the width runs out (Qt's flow
// layout example). Rows of settings use it so a narrow window shows them on two lines instead of cutting them off
// or forcing the window wider than the screen.
#include <QLayout>

#include <initializer_list>
#include <vector>

namespace sonolab::ui {

class FlowLayout : public QLayout {
public:
    explicit FlowLayout(QWidget* parent = nullptr, int spacing = 6);
    ~FlowLayout() override;

    // A label and its controls as one item: they wrap together.
    void addGroup(const QString& label, std::initializer_list<QWidget*> controls);

    void addItem(QLayoutItem* item) override;
    int count() const override { return int(items_.size()); }
    QLayoutItem* itemAt(int index) const override;
    QLayoutItem* takeAt(int index) override;
    Qt::Orientations expandingDirections() const override { return {}; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override { return arrange(QRect(0, 0, width, 0), false); }
    void setGeometry(const QRect& rect) override;
    QSize sizeHint() const override;
    QSize minimumSize() const override;

private:
    // Places the items in rect (when apply) and returns the height they take.
    int arrange(const QRect& rect, bool apply) const;

    std::vector<QLayoutItem*> items_;  // owned: a QLayout deletes its items (see the destructor)
    int spacing_;
};

}  // namespace sonolab::ui
