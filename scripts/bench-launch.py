#!/usr/bin/python3
"""Times Sonolab's launch as a user sees it: screen grabs of an X display from the moment the process starts.

    scripts/bench-launch.py [--runs 3] [--program build/app/sonolab] FILE

For each run it starts a fresh Xvfb (1600x1000), starts `sonolab FILE`, and grabs the whole screen. Two grabbers:
  damage (default)  grabs through shared memory (MIT-SHM) whenever the X server reports drawing (DAMAGE), and sleeps
                    otherwise: the program under test keeps the machine. It reproduces issue 13's anchor for
                    Sonic Visualiser's window (0.22-0.25 s here against the issue's 0.22-0.24 s).
  poll              grabs over the X socket as fast as it can (XGetImage, a few milliseconds a grab). It and the X
                    server serving it take ~1.3 of a 2-core machine's cores, which slows what it measures (Sonic
                    Visualiser's window: 0.36-0.46 s).
It reports:
  window   the first grab that differs from the empty screen (the main window painted);
  final    the last grab that changed more than --min-pixels pixels over at least --min-rows rows, once the screen
           has stayed still for --quiet seconds (waveform and spectrogram complete; a status line clearing or a
           blinking text cursor is below the threshold);
and, once per run, `sonolab --bench-open FILE` of the same program (its own offscreen timing) for comparison
(--no-bench-open skips it, for timing other programs: --program /usr/bin/sonic-visualiser).
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


class QuietScreen(Screen):
    """Grabs only when the X server reports that something was drawn (DAMAGE), through shared memory (MIT-SHM).

    The polling Screen grabs 6 MB over the socket as fast as it can: it and the X server serving it take about 1.3 of
    this machine's 2 cores away from the program being timed. This one sleeps until the server says the screen
    changed, then copies the screen in one memcpy on the server side, so the program under test keeps the machine.
    """

    def __init__(self, display):
        super().__init__(display)
        x11, dpy = self.x11, self.display
        self.xext = ctypes.cdll.LoadLibrary("libXext.so.6")
        self.damage_lib = ctypes.cdll.LoadLibrary("libXdamage.so.1")
        libc = ctypes.CDLL(None, use_errno=True)
        x11.XDefaultScreen.argtypes = [ctypes.c_void_p]
        x11.XDefaultVisual.restype = ctypes.c_void_p
        x11.XDefaultVisual.argtypes = [ctypes.c_void_p, ctypes.c_int]
        x11.XDefaultDepth.argtypes = [ctypes.c_void_p, ctypes.c_int]
        x11.XConnectionNumber.argtypes = [ctypes.c_void_p]
        x11.XPending.argtypes = [ctypes.c_void_p]
        x11.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        x11.XFlush.argtypes = [ctypes.c_void_p]
        x11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        self.xext.XShmCreateImage.restype = ctypes.c_void_p
        self.xext.XShmCreateImage.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_uint, ctypes.c_int,
                                              ctypes.c_void_p, ctypes.c_void_p, ctypes.c_uint, ctypes.c_uint]
        self.xext.XShmAttach.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        self.xext.XShmDetach.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        self.xext.XShmGetImage.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_int,
                                           ctypes.c_int, ctypes.c_ulong]
        self.damage_lib.XDamageQueryExtension.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int),
                                                          ctypes.POINTER(ctypes.c_int)]
        self.damage_lib.XDamageCreate.restype = ctypes.c_ulong
        self.damage_lib.XDamageCreate.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int]
        self.damage_lib.XDamageSubtract.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
        libc.shmget.argtypes = [ctypes.c_int, ctypes.c_size_t, ctypes.c_int]
        libc.shmat.restype = ctypes.c_void_p
        libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
        libc.shmdt.argtypes = [ctypes.c_void_p]
        libc.shmctl.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_void_p]
        self.libc = libc

        screen = x11.XDefaultScreen(dpy)
        # struct XShmSegmentInfo { ShmSeg shmseg; int shmid; char *shmaddr; Bool readOnly; }
        self.shminfo = (ctypes.c_ubyte * 32)()
        size = WIDTH * HEIGHT * 4
        shmid = libc.shmget(0, size, 0o1600)  # IPC_PRIVATE, IPC_CREAT | 0600
        if shmid < 0:
            raise SystemExit("shmget failed")
        address = libc.shmat(shmid, None, 0)
        ctypes.c_int.from_buffer(self.shminfo, 8).value = shmid
        ctypes.c_void_p.from_buffer(self.shminfo, 16).value = address
        self.image = self.xext.XShmCreateImage(dpy, x11.XDefaultVisual(dpy, screen), x11.XDefaultDepth(dpy, screen),
                                               2, None, ctypes.byref(self.shminfo), WIDTH, HEIGHT)
        ctypes.c_void_p.from_address(self.image + 16).value = address  # XImage.data
        if not self.xext.XShmAttach(dpy, ctypes.byref(self.shminfo)):
            raise SystemExit("XShmAttach failed")
        x11.XSync(dpy, 0)
        libc.shmctl(shmid, 0, None)  # IPC_RMID: gone once both sides detach
        self.address = address
        self.pixels = np.frombuffer((ctypes.c_uint32 * (WIDTH * HEIGHT)).from_address(address), dtype=np.uint32)

        event_base, error_base = ctypes.c_int(), ctypes.c_int()
        if not self.damage_lib.XDamageQueryExtension(dpy, ctypes.byref(event_base), ctypes.byref(error_base)):
            raise SystemExit("the X server has no DAMAGE extension")
        self.damage = self.damage_lib.XDamageCreate(dpy, self.root, 3)  # XDamageReportNonEmpty
        x11.XFlush(dpy)
        self.fd = x11.XConnectionNumber(dpy)
        self.event = ctypes.create_string_buffer(192)

    def wait(self, seconds):
        """True when something was drawn within `seconds` (and re-arms the report)."""
        import select
        x11, dpy = self.x11, self.display
        if not x11.XPending(dpy):
            ready, _, _ = select.select([self.fd], [], [], seconds)
            if not ready and not x11.XPending(dpy):
                return False
        drawn = False
        while x11.XPending(dpy):
            x11.XNextEvent(dpy, self.event)
            drawn = True
        self.damage_lib.XDamageSubtract(dpy, self.damage, 0, 0)
        x11.XFlush(dpy)
        return drawn

    def grab(self):
        self.xext.XShmGetImage(self.display, self.root, self.image, 0, 0, 0xFFFFFFFF)
        return self.pixels.copy()

    def close(self):
        self.xext.XShmDetach(self.display, ctypes.byref(self.shminfo))
        self.x11.XSync(self.display, 0)
        self.libc.shmdt(ctypes.c_void_p(self.address))
        super().close()


def save_ppm(pixels, path):
    rgb = pixels.view(np.uint8).reshape(HEIGHT, WIDTH, 4)[:, :, 2::-1]  # BGRX -> RGB
    with open(path, "wb") as out:
        out.write(f"P6 {WIDTH} {HEIGHT} 255\n".encode())
        out.write(np.ascontiguousarray(rgb).tobytes())


def forget_audacity_sessions():
    """A run ends by killing the program; Audacity then keeps the unsaved project and opens on its recovery dialog at
    the next start instead of importing the file. Its default temporary folder is /var/tmp/audacity-$USER."""
    import getpass
    import glob
    for leftover in glob.glob(f"/var/tmp/audacity-{getpass.getuser()}/*.aup3unsaved*"):
        os.remove(leftover)


def one_run(program, file, display, quiet, min_pixels, min_rows, timeout, save=None, grabber="damage"):
    if os.path.basename(program) == "audacity":
        forget_audacity_sessions()
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", f"{WIDTH}x{HEIGHT}x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        screen = QuietScreen(display) if grabber == "damage" else Screen(display)
        blank = screen.grab()
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
        start = time.monotonic()
        cpu_start, grabs = time.process_time(), 0
        app = subprocess.Popen([program, file], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        window = final = None
        previous = blank
        while time.monotonic() - start < timeout:
            if grabber == "damage" and not screen.wait(0.05):
                if final is not None and time.monotonic() - start - final >= quiet:
                    break
                if app.poll() is not None:
                    raise SystemExit(f"{program} exited with {app.returncode} during the run")
                continue
            frame = screen.grab()
            grabs += 1
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
        if os.environ.get("BENCH_LAUNCH_TRACE"):
            print(f"  {grabs} grabs, {time.process_time() - cpu_start:.2f} s of the grabber's CPU", file=sys.stderr)
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
    parser.add_argument("--grabber", choices=["poll", "damage"], default="damage",
                        help="how the screen is watched (see above)")
    parser.add_argument("--no-bench-open", dest="bench_open", action="store_false",
                        help="skip `PROGRAM --bench-open FILE` (for timing other programs, e.g. sonic-visualiser)")
    args = parser.parse_args()

    windows, finals, opens = [], [], []
    for run in range(args.runs):
        save = f"{args.save}-{run + 1}" if args.save else None
        window, final = one_run(args.program, args.file, args.display, args.quiet, args.min_pixels, args.min_rows,
                                args.timeout, save, args.grabber)
        complete, text = bench_open(args.program, args.file) if args.bench_open else (None, "")
        windows.append(window)
        finals.append(final)
        opens.append(complete)
        fmt = lambda v: "n/a" if v is None else f"{v:.2f} s"
        print(f"run {run + 1}: window painted {fmt(window)}, waveform and spectrogram final {fmt(final)}; "
              f"same run's --bench-open complete {fmt(complete)}", flush=True)
        if complete is None and args.bench_open:
            print(text, file=sys.stderr)
    print(f"window painted:                     {summary(windows)}")
    print(f"waveform and spectrogram final:     {summary(finals)}")
    print(f"--bench-open complete (offscreen):  {summary(opens)}")


if __name__ == "__main__":
    main()
