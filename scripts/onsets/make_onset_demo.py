#!/usr/bin/env python3
"""Writes random multi-instrument MIDI files with exactly known note-on times (no third-party modules).

Used by scripts/make-onset-demo.sh, which renders them with fluidsynth. The demo style (the default): each piece
has 1-3 parts on different General MIDI programs (plucked, struck, bowed, blown and drums), random tempo-free
rhythms, chords and velocities. --style varied: tempo grids, polyphony, dynamics and band mixtures on one of two
disjoint program sets (varied_pieces.py), for bigger training sets and an unseen evaluation set.
The ground truth is every note-on time, merged within 30 ms (the earliest of a group is kept), one per line.
Prints one line per file: its name, and with --style varied also its render flags (dry | mix).
"""
import argparse
import random
import struct
from pathlib import Path

from varied_pieces import DRUMS, Part, make_varied_piece, program_set

TICKS_PER_QUARTER = 480
TEMPO_US = 500000            # 120 bpm: one tick = 1/960 s
TICKS_PER_SECOND = TICKS_PER_QUARTER * 1e6 / TEMPO_US

# (program, low note, high note, kind); kind decides note lengths
PROGRAMS = [
    (0, 40, 84, "struck"), (4, 40, 80, "struck"), (6, 45, 84, "plucked"), (11, 52, 88, "struck"),
    (12, 50, 86, "struck"), (24, 40, 76, "plucked"), (25, 40, 76, "plucked"), (33, 28, 52, "plucked"),
    (45, 40, 80, "plucked"), (48, 40, 80, "bowed"), (56, 55, 82, "blown"), (65, 49, 80, "blown"),
    (73, 60, 96, "blown"), (19, 36, 84, "bowed"), (40, 55, 88, "bowed"), (71, 50, 85, "blown"),
]


def varlen(value):
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    return bytes(reversed(out))


def track_chunk(events):
    """events: (tick, order, bytes) absolute; returns an MTrk chunk."""
    data = bytearray()
    last = 0
    for tick, _, payload in sorted(events, key=lambda e: (e[0], e[1])):
        data += varlen(tick - last) + payload
        last = tick
    data += varlen(0) + b"\xff\x2f\x00"
    return b"MTrk" + struct.pack(">I", len(data)) + bytes(data)


def make_piece(rng, seconds):
    parts = []
    n_parts = rng.choice([1, 1, 2, 2, 3])
    programs = rng.sample(PROGRAMS, n_parts)
    if rng.random() < 0.3:
        programs[-1] = ("drums", 0, 0, "drums")
    for index, (program, low, high, kind) in enumerate(programs):
        channel = 9 if program == "drums" else index
        notes = []  # (start s, end s, pitch, velocity)
        t = rng.uniform(0.1, 0.6)
        mean_gap = rng.uniform(0.18, 0.6)
        while t < seconds - 0.5:
            chord = 1 if kind == "drums" else rng.choice([1, 1, 1, 2, 3])
            if kind == "drums":
                length = 0.1
            elif kind in ("bowed", "blown"):
                length = rng.uniform(0.2, 0.9)
            else:
                length = rng.uniform(0.1, 0.6)
            root = rng.randint(low, high)
            for k in range(chord):
                pitch = rng.choice(DRUMS) if kind == "drums" else min(127, root + [0, 4, 7, 12][k])
                notes.append((t, t + length, pitch, rng.randint(55, 120)))
            gap = max(0.06, rng.expovariate(1.0 / mean_gap))
            t += gap
        parts.append((program, channel, notes))
    return parts


def demo_parts(parts):
    """The demo style's (program | "drums", channel, notes) as Parts: standard kit, volume 110, no pan."""
    out = []
    for program, channel, notes in parts:
        part = Part(None if program == "drums" else program, channel, volume=110, pan=None)
        part.notes = notes
        out.append(part)
    return out


def write_midi(path, parts):
    tracks = [track_chunk([(0, 0, b"\xff\x51\x03" + TEMPO_US.to_bytes(3, "big"))])]
    onsets = []
    for part in parts:
        channel = part.channel
        events = []
        if part.program is not None:
            events.append((0, 0, bytes([0xC0 | channel, part.program])))
        elif part.kit is not None:  # channel 10: the program change picks the drum kit
            events.append((0, 0, bytes([0xC0 | channel, part.kit])))
        events.append((0, 1, bytes([0xB0 | channel, 7, part.volume])))
        if part.pan is not None:
            events.append((0, 1, bytes([0xB0 | channel, 10, part.pan])))
        for start, end, pitch, velocity in part.notes:
            on, off = round(start * TICKS_PER_SECOND), round(end * TICKS_PER_SECOND)
            # note-offs sort before note-ons at the same tick so a repeated pitch restarts cleanly
            events.append((on, 3, bytes([0x90 | channel, pitch, velocity])))
            events.append((off, 2, bytes([0x80 | channel, pitch, 0])))
            onsets.append(on / TICKS_PER_SECOND)
        tracks.append(track_chunk(events))
    header = b"MThd" + struct.pack(">IHHH", 6, 1, len(tracks), TICKS_PER_QUARTER)
    path.write_bytes(header + b"".join(tracks))
    return onsets


def merge(onsets, delta=0.03):
    merged = []
    for t in sorted(onsets):
        if not merged or t - merged[-1][0] > delta + 1e-9:
            merged.append([t])
        else:
            merged[-1].append(t)
    return [group[0] for group in merged]


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("outdir")
    ap.add_argument("--files", type=int, default=48)
    ap.add_argument("--seconds", type=float, default=12.0)
    ap.add_argument("--seed", type=int, default=2018)
    ap.add_argument("--style", choices=["demo", "varied"], default="demo")
    ap.add_argument("--programs", choices=["train", "heldout"], default="train",
                    help="varied style: the program set (heldout: only for the unseen evaluation set)")
    ap.add_argument("--prefix", default="demo", help="file names are PREFIX_NNN")
    args = ap.parse_args()
    out = Path(args.outdir)
    (out / "midi").mkdir(parents=True, exist_ok=True)
    (out / "annotations" / "onsets").mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    programs, kits = program_set(args.programs, PROGRAMS)
    for i in range(args.files):
        name = f"{args.prefix}_{i:03d}"
        if args.style == "demo":
            parts, flags = demo_parts(make_piece(rng, args.seconds)), None
        else:
            parts, flags = make_varied_piece(rng, args.seconds, i, programs, kits)
        onsets = merge(write_midi(out / "midi" / f"{name}.mid", parts))
        (out / "annotations" / "onsets" / f"{name}.onsets").write_text("".join(f"{t:.6f}\n" for t in onsets))
        print(name if flags is None else f"{name} {flags}")


if __name__ == "__main__":
    main()
