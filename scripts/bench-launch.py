#!/usr/bin/python3
"""Times Sonolab's launch as a user sees it: screen grabs of an X display from the moment the process starts.

    scripts/bench-launch.py [--runs 3] [--program build/app/sonolab] FILE

For each run it starts a fresh Xvfb (1600x1000), starts `sonolab FILE`, and grabs the whole screen as fast as it can
(XGetImage through ctypes; a few milliseconds a grab). It reports:
  window   the first grab that differs from the empty screen (the main window painted);
  final    the last grab that changed more than --min-pixels pixels over at least --min-rows rows, once the screen
           has stayed still for --quiet seconds (waveform and spectrogram complete; a status line clearing or a
           blinking text cursor is below the threshold);
and, once per run, `sonolab --bench-open FILE` of the same program (its own offscreen timing) for comparison.
Prints each figure and min/median/max over the runs. Needs Xvfb and python3-numpy.
"""
import argparse
import ctypes
import os
import re
import statistics
import subprocess
import sys
import time

import numpy as np

WIDTH, HEIGHT = 1600, 1000


class Screen:
    """Whole-screen grabs of one X display."""

    def __init__(self, display):
        self.x11 = ctypes.cdll.LoadLibrary("libX11.so.6")
        self.x11.XOpenDisplay.restype = ctypes.c_void_p
        self.x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.x11.XDefaultRootWindow.restype = ctypes.c_ulong
        self.x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        self.x11.XGetImage.restype = ctypes.c_void_p
        self.x11.XGetImage.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int, ctypes.c_uint,
                                       ctypes.c_uint, ctypes.c_ulong, ctypes.c_int]
        self.x11.XDestroyImage.argtypes = [ctypes.c_void_p]
        self.x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self.display = None
        deadline = time.monotonic() + 10
        while not self.display and time.monotonic() < deadline:
            self.display = self.x11.XOpenDisplay(display.encode())
            if not self.display:
                time.sleep(0.02)
        if not self.display:
            raise SystemExit(f"cannot open display {display}")
        self.root = self.x11.XDefaultRootWindow(self.display)

    def grab(self):
        image = self.x11.XGetImage(self.display, self.root, 0, 0, WIDTH, HEIGHT, 0xFFFFFFFF, 2)  # ZPixmap
        # struct XImage: width, height, xoffset, format (int), data (char*), ..., bytes_per_line at offset 44.
        data = ctypes.c_void_p.from_address(image + 16).value
        bytes_per_line = ctypes.c_int.from_address(image + 44).value
        pixels = np.frombuffer(ctypes.string_at(data, bytes_per_line * HEIGHT), dtype=np.uint32).copy()
        self.x11.XDestroyImage(image)
        return pixels

    def close(self):
        self.x11.XCloseDisplay(self.display)


def save_ppm(pixels, path):
    rgb = pixels.view(np.uint8).reshape(HEIGHT, WIDTH, 4)[:, :, 2::-1]  # BGRX -> RGB
    with open(path, "wb") as out:
        out.write(f"P6 {WIDTH} {HEIGHT} 255\n".encode())
        out.write(np.ascontiguousarray(rgb).tobytes())


def one_run(program, file, display, quiet, min_pixels, min_rows, timeout, save=None):
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", f"{WIDTH}x{HEIGHT}x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        screen = Screen(display)
        blank = screen.grab()
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
        start = time.monotonic()
        app = subprocess.Popen([program, file], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        window = final = None
        previous = blank
        while time.monotonic() - start < timeout:
            frame = screen.grab()
            now = time.monotonic() - start
            if window is None and not np.array_equal(frame, blank):
                window = now
                if save:
                    save_ppm(frame, save + "-window.ppm")
            if window is not None:
                diff = (frame != previous).reshape(HEIGHT, WIDTH)
                rows = np.flatnonzero(diff.any(axis=1))
                # A view repainting (tiles, waveform) changes a tall area; a status line or a text cursor does not.
                tall = rows.size and rows[-1] - rows[0] >= min_rows
                if tall and int(np.count_nonzero(diff)) > min_pixels:
                    final = now
                    if os.environ.get("BENCH_LAUNCH_TRACE"):
                        cols = np.flatnonzero(diff.any(axis=0))
                        print(f"  {now:.2f} s: {int(np.count_nonzero(diff))} px in rows {rows[0]}-{rows[-1]}, "
                              f"cols {cols[0]}-{cols[-1]}", file=sys.stderr)
                    if save:
                        save_ppm(frame, save + "-final.ppm")
                elif final is not None and now - final >= quiet:
                    break
            previous = frame
            if app.poll() is not None:
                raise SystemExit(f"{program} exited with {app.returncode} during the run")
        app.terminate()
        app.wait(10)
        screen.close()
        return window, final
    finally:
        xvfb.terminate()
        xvfb.wait(10)


def bench_open(program, file):
    """`sonolab --bench-open FILE`: the program's own offscreen figure, 'complete' after the window."""
    out = subprocess.run([program, "--bench-open", file], capture_output=True, text=True, timeout=300).stdout
    match = re.search(r"complete[^0-9]*([0-9.]+)\s*(ms|s)", out)
    if not match:
        return None, out.strip()
    value = float(match.group(1))
    return (value / 1000 if match.group(2) == "ms" else value), out.strip()


def summary(values):
    values = [v for v in values if v is not None]
    if not values:
        return "n/a"
    return f"min {min(values):.2f} s, median {statistics.median(values):.2f} s, max {max(values):.2f} s"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file")
    parser.add_argument("--program", default=os.path.join(os.path.dirname(__file__), "..", "build", "app", "sonolab"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--display", default=":97")
    parser.add_argument("--quiet", type=float, default=3.0, help="seconds without change that end a run")
    parser.add_argument("--min-pixels", type=int, default=400, help="changes smaller than this are not 'final'")
    parser.add_argument("--min-rows", type=int, default=40,
                        help="changes less tall than this (status lines, labels) are not 'final'")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--save", help="write the first-window and final grabs of each run as PREFIX-N-*.ppm")
    args = parser.parse_args()

    windows, finals, opens = [], [], []
    for run in range(args.runs):
        save = f"{args.save}-{run + 1}" if args.save else None
        window, final = one_run(args.program, args.file, args.display, args.quiet, args.min_pixels, args.min_rows,
                                args.timeout, save)
        complete, text = bench_open(args.program, args.file)
        windows.append(window)
        finals.append(final)
        opens.append(complete)
        fmt = lambda v: "n/a" if v is None else f"{v:.2f} s"
        print(f"run {run + 1}: window painted {fmt(window)}, waveform and spectrogram final {fmt(final)}; "
              f"same run's --bench-open complete {fmt(complete)}", flush=True)
        if complete is None:
            print(text, file=sys.stderr)
    print(f"window painted:                     {summary(windows)}")
    print(f"waveform and spectrogram final:     {summary(finals)}")
    print(f"--bench-open complete (offscreen):  {summary(opens)}")


if __name__ == "__main__":
    main()
