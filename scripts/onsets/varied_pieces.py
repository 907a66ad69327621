"""Varied pieces for onset training and evaluation sets (used by make_onset_demo.py --style varied).

The demo set's pieces (make_onset_demo.make_piece) are tempo-free rhythms on 16 General MIDI programs. These add what
real music has and the demo set lacks, so a detector can be trained on more and tested on what it never saw:
  - three kinds of piece, in turn by file index: free (the demo's tempo-free rhythms), grid (a tempo of 60-190 bpm,
    notes on a 4/8/16/triplet grid with swing and a few ms of human timing, 1-4 parts) and mixture (a band: a drum
    groove, a bass line, chords and a melody, with chorus and reverb when rendered);
  - velocities from pp to ff (each part its own level and spread), part volumes and pans;
  - chords of up to 4 notes, repeated notes, legato for bowed and blown parts;
  - two disjoint program sets: the demo set's programs with EXTRA_TRAIN_PROGRAMS and TRAIN_KITS for training,
    HELDOUT_PROGRAMS/HELDOUT_KITS only in the unseen evaluation set (none of them is a demo set's program).
Pads, sound effects and tremolo programs are left out: their onsets are not defined by their note-ons.
"""

# (program, low note, high note, kind)
HELDOUT_PROGRAMS = [
    (1, 36, 90, "struck"), (2, 36, 88, "struck"), (8, 60, 96, "struck"), (13, 60, 96, "struck"),
    (15, 48, 84, "struck"), (26, 40, 80, "plucked"), (27, 40, 80, "plucked"), (34, 28, 55, "plucked"),
    (46, 36, 91, "plucked"), (105, 48, 81, "plucked"), (107, 48, 84, "plucked"), (41, 48, 84, "bowed"),
    (42, 36, 72, "bowed"), (57, 40, 72, "blown"), (66, 44, 76, "blown"), (68, 58, 91, "blown"),
    (74, 60, 96, "blown"), (17, 36, 84, "bowed"), (81, 48, 84, "blown"), (114, 52, 88, "struck"),
]
HELDOUT_KITS = [25, 40]  # TR-808, brush

# Added to the demo set's programs (make_onset_demo.PROGRAMS) for training: more of the same families.
EXTRA_TRAIN_PROGRAMS = [
    (3, 36, 88, "struck"), (5, 36, 84, "struck"), (7, 40, 84, "plucked"), (9, 60, 96, "struck"),
    (10, 60, 96, "struck"), (14, 48, 84, "struck"), (16, 36, 84, "bowed"), (18, 36, 84, "bowed"),
    (28, 40, 80, "plucked"), (29, 40, 80, "plucked"), (30, 40, 80, "plucked"), (32, 28, 55, "plucked"),
    (35, 28, 55, "plucked"), (36, 28, 55, "plucked"), (38, 28, 55, "plucked"), (43, 28, 55, "bowed"),
    (47, 36, 60, "struck"), (55, 48, 72, "struck"), (58, 28, 55, "blown"), (60, 41, 77, "blown"),
    (61, 48, 80, "blown"), (62, 48, 80, "blown"), (64, 49, 80, "blown"), (69, 52, 81, "blown"),
    (70, 34, 72, "blown"), (72, 74, 102, "blown"), (75, 60, 96, "blown"), (80, 48, 84, "blown"),
    (84, 48, 84, "plucked"), (104, 48, 77, "plucked"), (106, 50, 79, "plucked"), (108, 60, 84, "struck"),
    (110, 55, 88, "bowed"), (112, 60, 96, "struck"), (113, 60, 84, "struck"), (115, 60, 84, "struck"),
    (116, 36, 60, "struck"), (117, 40, 72, "struck"), (118, 40, 72, "struck"),
]
TRAIN_KITS = [0, 8, 16, 24, 32]  # standard, room, power, electronic, jazz

DRUMS = [35, 36, 38, 40, 42, 44, 46, 49, 51, 45, 48]
KINDS = ["free", "grid", "grid", "mixture"]

assert not set(HELDOUT_KITS) & set(TRAIN_KITS)


def program_set(name, demo_programs):
    """(programs, drum kits) of the named set; train = the demo set's programs and EXTRA_TRAIN_PROGRAMS."""
    train = demo_programs + EXTRA_TRAIN_PROGRAMS
    assert not {p[0] for p in HELDOUT_PROGRAMS} & {p[0] for p in train}, "held-out programs must stay unseen"
    return {"train": (train, TRAIN_KITS), "heldout": (HELDOUT_PROGRAMS, HELDOUT_KITS)}[name]


class Part:
    """One MIDI part: program (or drum kit), channel, mixer settings and notes (start s, end s, pitch, velocity)."""

    def __init__(self, program, channel, kit=None, volume=110, pan=64):
        self.program, self.channel, self.kit, self.volume, self.pan = program, channel, kit, volume, pan
        self.notes = []


def _velocity(rng, level, spread):
    return max(1, min(127, int(round(rng.gauss(level, spread)))))


def _length(rng, kind, gap):
    if kind == "drums":
        return 0.1
    if kind in ("bowed", "blown"):
        return max(0.08, gap * rng.uniform(0.6, 1.0))  # legato-ish: up to the next note
    return rng.uniform(0.1, 0.6)


def _free_part(rng, seconds, part, low, high, kind):
    level, spread = rng.uniform(45, 115), rng.uniform(5, 20)
    mean_gap = rng.uniform(0.15, 0.6)
    t = rng.uniform(0.1, 0.6)
    while t < seconds - 0.5:
        gap = max(0.06, rng.expovariate(1.0 / mean_gap))
        _add(rng, part, t, gap, low, high, kind, _velocity(rng, level, spread), max_chord=3)
        t += gap


def _add(rng, part, t, gap, low, high, kind, velocity, max_chord):
    length = _length(rng, kind, gap)
    if kind == "drums":
        for pitch in rng.sample(DRUMS, rng.choice([1, 1, 1, 2])):
            part.notes.append((t, t + length, pitch, velocity))
        return
    chord = rng.choice([c for c in (1, 1, 1, 2, 3, 4) if c <= max_chord])
    root = rng.randint(low, high)
    shape = rng.choice([[0, 4, 7, 12], [0, 3, 7, 10], [0, 7, 12, 16], [0, 5, 7, 12]])
    for k in range(chord):
        part.notes.append((t, t + length, min(127, root + shape[k]), velocity))


class Grid:
    """A tempo, a subdivision and swing: the time of step n."""

    def __init__(self, rng, bpm=None):
        self.bpm = bpm or rng.uniform(60, 190)
        self.beat = 60.0 / self.bpm
        self.swing = rng.choice([0.0, 0.0, 0.0, rng.uniform(0.05, 0.2)])

    def time(self, step, per_beat):
        t = step * self.beat / per_beat
        if per_beat == 2 and step % 2 == 1:
            t += self.swing * self.beat / 2
        return t


def _grid_part(rng, seconds, part, low, high, kind, grid, per_beat=None, density=None, max_chord=3):
    per_beat = per_beat or rng.choice([1, 2, 2, 3, 4])
    if per_beat == 4 and grid.bpm > 140:
        per_beat = 2
    density = density if density is not None else rng.uniform(0.25, 0.9)
    level, spread = rng.uniform(40, 120), rng.uniform(4, 18)
    crescendo = rng.choice([0.0, 0.0, rng.uniform(-4, 4)])  # velocity change per second
    jitter = rng.uniform(0.0, 0.012)
    starts = []
    step = 0
    while True:
        t = 0.25 + grid.time(step, per_beat)
        if t >= seconds - 0.5:
            break
        if rng.random() < density:
            starts.append(max(0.05, t + rng.uniform(-jitter, jitter)))
        step += 1
    for i, t in enumerate(starts):
        gap = (starts[i + 1] - t) if i + 1 < len(starts) else 0.5
        velocity = _velocity(rng, level + crescendo * t, spread)
        _add(rng, part, t, gap, low, high, kind, velocity, max_chord)


def _mixture(rng, seconds, programs, kits):
    """A band: groove, bass, chords, melody."""
    grid = Grid(rng, rng.uniform(75, 170))
    by_kind = {k: [p for p in programs if p[3] == k] for k in ("struck", "plucked", "bowed", "blown")}
    basses = [p for p in programs if p[2] <= 55] or programs
    parts = []

    drums = Part(None, 9, kit=rng.choice(kits), volume=rng.randint(85, 115))
    per_beat = 4 if grid.bpm < 120 else 2
    hat, kick, snare = rng.choice([42, 44, 46]), rng.choice([35, 36]), rng.choice([38, 40])
    for step in range(int((seconds - 0.75) / (grid.beat / per_beat))):
        t = 0.25 + grid.time(step, per_beat)
        beat_pos = step % (4 * per_beat)
        if rng.random() < 0.85:
            drums.notes.append((t, t + 0.1, hat, _velocity(rng, 70, 15)))
        if beat_pos in (0, 2 * per_beat) or (beat_pos == 3 * per_beat + per_beat // 2 and rng.random() < 0.4):
            drums.notes.append((t, t + 0.1, kick, _velocity(rng, 105, 8)))
        if beat_pos in (per_beat, 3 * per_beat):
            drums.notes.append((t, t + 0.1, snare, _velocity(rng, 100, 10)))
        if step > 0 and beat_pos == 0 and rng.random() < 0.3:
            drums.notes.append((t, t + 0.1, rng.choice([49, 57]), _velocity(rng, 95, 10)))
    parts.append(drums)

    bass_program = rng.choice(basses)
    bass = Part(bass_program[0], 0, volume=rng.randint(90, 120), pan=64)
    _grid_part(rng, seconds, bass, bass_program[1], min(bass_program[2], 55), bass_program[3], grid,
               per_beat=rng.choice([1, 2]), density=rng.uniform(0.6, 0.95), max_chord=1)
    parts.append(bass)

    comp_program = rng.choice(by_kind["struck"] + by_kind["plucked"] or programs)
    comp = Part(comp_program[0], 1, volume=rng.randint(70, 105), pan=rng.randint(30, 98))
    _grid_part(rng, seconds, comp, max(comp_program[1], 48), comp_program[2], comp_program[3], grid,
               per_beat=rng.choice([1, 2]), density=rng.uniform(0.3, 0.7), max_chord=4)
    parts.append(comp)

    lead_program = rng.choice([p for p in programs if p is not comp_program and p[2] > 60])
    lead = Part(lead_program[0], 2, volume=rng.randint(85, 120), pan=rng.randint(40, 88))
    _grid_part(rng, seconds, lead, max(lead_program[1], 55), lead_program[2], lead_program[3], grid,
               per_beat=rng.choice([2, 2, 3, 4]), density=rng.uniform(0.35, 0.75), max_chord=1)
    parts.append(lead)
    return parts


def make_varied_piece(rng, seconds, index, programs, kits):
    """Returns (parts, render flags): the kind of piece follows the file index (KINDS)."""
    # (index + index // 8): folds take every 8th file, so each fold still mixes all kinds
    kind = KINDS[(index + index // 8) % len(KINDS)]
    if kind == "mixture":
        return _mixture(rng, seconds, programs, kits), "mix"
    n_parts = rng.choice([1, 1, 2, 2, 3]) if kind == "free" else rng.choice([1, 2, 2, 3, 3, 4])
    chosen = rng.sample(programs, n_parts)
    grid = Grid(rng) if kind == "grid" else None
    parts = []
    for channel, (program, low, high, pkind) in enumerate(chosen):
        part = Part(program, channel, volume=rng.randint(80, 120), pan=rng.randint(24, 104))
        if kind == "free":
            _free_part(rng, seconds, part, low, high, pkind)
        else:
            _grid_part(rng, seconds, part, low, high, pkind, grid)
        parts.append(part)
    if rng.random() < 0.3:
        drums = Part(None, 9, kit=rng.choice(kits), volume=rng.randint(80, 115))
        if kind == "free":
            _free_part(rng, seconds, drums, 0, 0, "drums")
        else:
            _grid_part(rng, seconds, drums, 0, 0, "drums", grid, per_beat=rng.choice([2, 4]))
        parts.append(drums)
    return parts, "dry"
