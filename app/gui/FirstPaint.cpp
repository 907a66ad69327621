#include "FirstPaint.h"

#include <QEvent>
#include <QObject>
#include <QTimer>
#include <QWidget>

#include <utility>

namespace sonolab::app {

namespace {

// Sees the top-level's first Paint event, which comes at the start of the repaint that also paints every child and
// flushes the backing store: a zero-time timer posted then runs after that whole repaint.
class FirstPaintFilter : public QObject {
public:
    FirstPaintFilter(QWidget* window, std::function<void()> work) : QObject(window), work_(std::move(work)) {}

    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() == QEvent::Paint) {
            watched->removeEventFilter(this);
            QTimer::singleShot(0, parent(), std::move(work_));
            deleteLater();
        }
        return false;
    }

private:
    std::function<void()> work_;
};

}  // namespace

void whenFirstPainted(QWidget& window, std::function<void()> work) {
    if (window.testAttribute(Qt::WA_Mapped)) {  // on screen already: its first paint is behind it
        QTimer::singleShot(0, &window, std::move(work));
        return;
    }
    window.installEventFilter(new FirstPaintFilter(&window, std::move(work)));
}

}  // namespace sonolab::app
