#pragma once
// A confusion-matrix heat map: rows are true classes, columns predicted ones, each cell coloured by the fraction of
// its row (the class's recall), showing the count. Clicking a cell selects it and emits cellActivated so the
// evaluation view can list the clips in it.
#include <QStringList>
#include <QWidget>

#include <cstddef>
#include <vector>

namespace sonolab::ui {

class ConfusionMatrixView : public QWidget {
    Q_OBJECT
public:
    explicit ConfusionMatrixView(QWidget* parent = nullptr);

    // counts[true][predicted]; a matrix whose size does not match labels is refused (cleared).
    void setMatrix(const QStringList& labels, const std::vector<std::vector<std::size_t>>& counts);
    void clear();
    const QStringList& labels() const { return labels_; }
    std::size_t count(int trueClass, int predictedClass) const;

    // Geometry in widget pixels (for tests and tooltips); empty when out of range.
    QRect cellRect(int trueClass, int predictedClass) const;
    // The cell at a widget position, or {-1,-1}.
    QPoint cellAt(const QPoint& pos) const;
    QPoint selectedCell() const { return selected_; }  // x = predicted, y = true; (-1,-1) when none
    void selectCell(int trueClass, int predictedClass);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void cellActivated(int trueClass, int predictedClass);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    QRect gridRect() const;
    int labelMargin() const;

    QStringList labels_;
    std::vector<std::vector<std::size_t>> counts_;
    QPoint selected_{-1, -1};
};

}  // namespace sonolab::ui
