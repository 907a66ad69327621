#pragma once
// SONOLAB_TRACE_STARTUP=1 prints, on stderr, the seconds since the process started (and the CPU time used so far,
// all threads) at each phase of start-up: where the time before the window is painted goes (issue 13).
class QWidget;

namespace sonolab::app {

// GUI thread. A no-op unless SONOLAB_TRACE_STARTUP is set.
void traceStartup(const char* phase);
// Traces "first paint" when `window` is painted for the first time.
void traceFirstPaint(QWidget& window);

}  // namespace sonolab::app
