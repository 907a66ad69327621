#include "FirstPaint.h"

#include <QEvent>
#include <QObject>
#include <QTimer>
#include <QWidget>

#include <functional>
#include <memory>
#include <utility>

namespace sonolab::app {

namespace {

// A window that is never exposed (started minimised, or on another desktop without a compositor) is never painted;
// its work still runs after this long.
constexpr int kLatestMs = 1000;

// Runs the work once, from whichever comes first: the first paint or the time limit.
struct Once {
    std::function<void()> work;
    void operator()() {
        if (auto w = std::exchange(work, nullptr)) w();
    }
};

// Sees the top-level's first Paint event, which comes at the start of the repaint that also paints every child and
// flushes the backing store: a zero-time timer posted then runs after that whole repaint.
class FirstPaintFilter : public QObject {
public:
    FirstPaintFilter(QWidget* window, std::shared_ptr<Once> once) : QObject(window), once_(std::move(once)) {}

    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() == QEvent::Paint) {
            watched->removeEventFilter(this);
            QTimer::singleShot(0, parent(), [once = once_] { (*once)(); });
            deleteLater();
        }
        return false;
    }

private:
    std::shared_ptr<Once> once_;
};

}  // namespace

void whenFirstPainted(QWidget& window, std::function<void()> work) {
    auto once = std::make_shared<Once>(Once{std::move(work)});
    if (window.testAttribute(Qt::WA_Mapped)) {  // on screen already: its first paint is behind it
        QTimer::singleShot(0, &window, [once] { (*once)(); });
        return;
    }
    window.installEventFilter(new FirstPaintFilter(&window, once));
    QTimer::singleShot(kLatestMs, &window, [once] { (*once)(); });
}

}  // namespace sonolab::app
