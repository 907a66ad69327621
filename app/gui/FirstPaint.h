#pragma once
// Work that must not compete with the window's first paint. On a 2-core machine, decoder threads, the codec module
// loading and the library read that start while the window is being laid out and painted for the first time delay
// that paint by ~0.1 s (issue 13); started right after it, they cost the user nothing they can see.
#include <functional>

class QWidget;

namespace sonolab::app {

// GUI thread: runs `work` on the GUI thread once `window` has been painted (and flushed to the screen) for the
// first time, at once if it already was, and after a second at the latest (a window never exposed is never painted).
void whenFirstPainted(QWidget& window, std::function<void()> work);

}  // namespace sonolab::app
