#!/usr/bin/env python3
"""Builds Sonolab's demo collection from real recordings that Debian ships (see ../shared/data-sources.md).

`--collection check` builds a second collection of the same four styles from other packages (none of the demo's),
with 8 to 35 recordings a style where the demo has 3 to 19: figures measured on the demo can be checked on music
no default was chosen on (README, "Checking on another collection"). Same layout, no vocal stand-ins.

Output (OUTDIR, default ~/.cache/sonolab/demo):
  audio/<0-f>/<name>.mp3     30 s clips, 22,050 Hz mono MP3 at 48 kb/s; the first folder is chosen from the clip's
                             source track, so MagnaTagAtune's split rule (0-b train, c validation, d-f test) keeps
                             all clips of one source on the same side
  annotations_final.csv      MagnaTagAtune layout: tab-separated, quoted, clip_id, tag columns of 0/1, mp3_path,
                             plus a `group` column (the source track) for group-aware splits
  clip_info_final.csv        MagnaTagAtune's clip_info layout (title, artist, album, segment, original file); the
                             album is the source package (one game's soundtrack), which the importer stores as the
                             track's album: `library split --kind album` and `evaluate --folds K --fold-by album`
                             keep whole packages on one side
  ATTRIBUTION.md, LICENSES/  every package used, its version, licence and copyright file
Uses only the Python standard library, apt-get/dpkg-deb/tar and ffmpeg. Work is cached: a finished collection is
detected by its stamp file and a second run returns at once; an interrupted run resumes clip by clip.
"""
import argparse
import concurrent.futures
import glob
import hashlib
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

CLIP_SECONDS = 30
RATE = 22050
BITRATE = "48k"
TAGS = ["music", "speech", "orchestral", "electronic", "rock", "chiptune", "vocal", "instrumental"]

# package -> (licence as stated in its copyright file, tar patterns of what is used, style or role)
DEMO_PACKAGES = {
    "flare-game": ("CC-BY-SA-3.0", ["./usr/share/games/flare/mods/fantasycore/music/*.ogg"], "orchestral"),
    "megaglest-data": ("CC-BY-SA-3.0", ["./usr/share/games/megaglest/techs/megapack/factions/*/music/*.ogg"],
                       "orchestral"),
    "singularity-music": ("CC-BY-SA-3.0", ["./usr/share/games/singularity/music/*.ogg"], "electronic"),
    "openclonk-data": ("CC-BY-3.0 (music)", ["./usr/share/games/openclonk/Music.ocg/Motorway.ogg",
                                             "./usr/share/games/openclonk/Music.ocg/TheSkylands.ogg"], "rock"),
    "hedgewars-data": ("GPL-2 and others (music: see copyright)", ["./usr/share/games/hedgewars/Data/Music/Rock.ogg"],
                       "rock"),
    "fb-music-high": ("GPL-2+", ["./usr/share/games/frozen-bubble/snd/*.xm"], "chiptune"),
    "ri-li-data": ("GPL-2+", ["./usr/share/games/ri-li/Ri-li/Sounds/*.xm"], "chiptune"),
    "fillets-ng-data-nl": ("GPL-2+", ["./usr/share/games/fillets-ng/sound/*/nl/*.ogg"], "speech"),
}
# The check collection: the same styles from packages the demo does not use. Frets on Fire songs come as stems
# (song.ogg without the lead guitar, guitar.ogg), mixed back into the whole song.
CHECK_PACKAGES = {
    "wesnoth-1.16-music": ("GPL-2+ (music: see copyright)", ["./usr/share/games/wesnoth/1.16/data/core/music/*.ogg"],
                           "orchestral"),
    "warzone2100-music": ("GPL-2+ / CC-BY-SA (see copyright)",
                          ["./usr/share/games/warzone2100/music/albums/*/*.opus"], "electronic"),
    "fretsonfire-songs-muldjord": ("CC-BY-SA-3.0", ["./usr/share/games/fretsonfire/data/songs/muldjord/*/*.ogg"],
                                   "rock"),
    "fretsonfire-songs-sectoid": ("MIT-style (see copyright)",
                                  ["./usr/share/games/fretsonfire/data/songs/sectoid/*/*.ogg"], "rock"),
    "tecnoballz-data": ("GPL-3+ (see copyright)", ["./usr/share/games/tecnoballz/musics/*.mod"], "chiptune"),
    "pachi-data": ("GPL-2+ (see copyright)", ["./usr/share/pachi/music/*.s3m"], "chiptune"),
    "fillets-ng-data-cs": ("GPL-2+", ["./usr/share/games/fillets-ng/sound/*/cs/*.ogg"], "speech"),
}

# What differs between the collections. per_track: instrumental clips per source track at most, per style, and
# style_cap: per style; both keep the styles roughly balanced.
COLLECTIONS = {
    "demo": {"packages": DEMO_PACKAGES, "version": "2", "stamp": ".demo-complete", "default_out": "demo",
             "per_track": {"orchestral": 2, "electronic": 3, "rock": 7, "chiptune": 8}, "style_cap": 45,
             "speech_clips": 60, "vocal_clips": 40, "speech_language": "nl", "language_name": "Dutch"},
    "check": {"packages": CHECK_PACKAGES, "version": "1", "stamp": ".check-complete", "default_out": "check",
              "per_track": {"orchestral": 1, "electronic": 2, "rock": 6, "chiptune": 3}, "style_cap": 45,
              "speech_clips": 60, "vocal_clips": 0, "speech_language": "cs", "language_name": "Czech"},
}


def log(message):
    print(f"make-demo-collection: {message}", file=sys.stderr, flush=True)


def fetch(package, debs):
    found = sorted(glob.glob(os.path.join(debs, f"{package}_*.deb")))
    if not found:
        found = sorted(glob.glob(f"/var/cache/apt/archives/{package}_*.deb"))
    if found:
        return found[-1]
    log(f"downloading {package} (apt-get download)")
    result = subprocess.run(["apt-get", "download", package], cwd=debs, capture_output=True, text=True)
    found = sorted(glob.glob(os.path.join(debs, f"{package}_*.deb")))
    if result.returncode != 0 or not found:
        raise SystemExit(f"make-demo-collection: cannot download {package}: {result.stderr.strip()}\n"
                         "  (run 'apt-get update' first, or put the .deb in " + debs + ")")
    return found[-1]


def extract(package, deb, work, patterns):
    target = os.path.join(work, package)
    stamp = os.path.join(target, ".extracted")
    if os.path.exists(stamp):
        return target
    shutil.rmtree(target, ignore_errors=True)
    os.makedirs(target)
    patterns = patterns + [f"./usr/share/doc/{package}/copyright"]
    tar = subprocess.Popen(["tar", "-x", "--wildcards", "-C", target] + patterns, stdin=subprocess.PIPE)
    deb_proc = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb], stdout=tar.stdin)
    tar.stdin.close()
    deb_proc.wait()
    if tar.wait() != 0:
        raise SystemExit(f"make-demo-collection: extracting {deb} failed")
    open(stamp, "w").close()
    return target


def ogg_duration(path):
    """Duration of an Ogg Vorbis file from its headers and last page: much faster than ffprobe for 1,600 files."""
    with open(path, "rb") as f:
        head = f.read(64)
        size = os.fstat(f.fileno()).st_size
        f.seek(max(0, size - 65536))
        tail = f.read()
    vorbis = head.find(b"\x01vorbis")
    last = tail.rfind(b"OggS")
    if vorbis < 0 or last < 0 or last + 14 > len(tail):
        return probe_duration(path)
    rate = struct.unpack_from("<I", head, vorbis + 12)[0]
    granule = struct.unpack_from("<q", tail, last + 6)[0]
    return granule / rate if rate > 0 and granule > 0 else probe_duration(path)


def probe_duration(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path],
                         capture_output=True, text=True).stdout.strip()
    try:
        return float(out)
    except ValueError:
        return 0.0


def slug(text):
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40]


def assign_folders(groups):
    """Group -> one of the 16 folders 0-f, whole groups at a time, each to the folder with the fewest clips so far
    (groups in a fixed pseudo-random order). MagnaTagAtune's folder rule then splits about 75/6/19 per cent and
    never puts one source on two sides."""
    sizes = {}
    for g in groups:
        sizes[g] = sizes.get(g, 0) + 1
    load = [0] * 16
    folders = {}
    for g in sorted(sizes, key=lambda g: hashlib.sha1(g.encode()).hexdigest()):
        k = min(range(16), key=lambda i: (load[i], i))
        folders[g] = "0123456789abcdef"[k]
        load[k] += sizes[g]
    return folders


def package_version(deb):
    return os.path.basename(deb).split("_")[1].replace("%3a", ":")


def speech_package(spec):
    return next(p for p, (_, _, role) in spec["packages"].items() if role == "speech")


def music_sources(package, root, patterns, style):
    """The recordings a package's matched files make: one per file, or one per song folder of stems."""
    paths = [path for pattern in patterns for path in sorted(glob.glob(os.path.join(root, pattern.lstrip("./"))))]
    songs = {os.path.dirname(p) for p in paths if os.path.basename(p) == "song.ogg"}
    sources = []
    for path in paths:
        folder = os.path.dirname(path)
        if folder in songs and os.path.basename(path) != "song.ogg":
            continue  # a stem, mixed into its song
        stems = [p for p in paths if os.path.dirname(p) == folder and p != path] if folder in songs else []
        duration = ogg_duration(path) if path.endswith(".ogg") else probe_duration(path)
        if duration < CLIP_SECONDS + 10:
            continue
        name = os.path.basename(folder) if stems else os.path.splitext(os.path.basename(path))[0]
        album = package
        if "megaglest" in package:  # faction folders name the pieces
            name = path.split("/factions/")[1].split("/")[0] + " - " + name
        if "/music/albums/" in path:  # one package, several soundtracks
            album = package + "/" + path.split("/music/albums/")[1].split("/")[0]
        sources.append({"package": package, "path": path, "name": name, "style": style, "duration": duration,
                        "album": album, "stems": stems})
    return sources


def plan(sources, speech_lines, spec):
    """Decides every clip: instrumental music clips, speech clips, and vocal stand-ins (speech over music)."""
    clips = []
    spare_beds = []  # music segments not used for instrumental clips: beds for the vocal stand-ins
    per_style = {}
    for style in ["orchestral", "electronic", "rock", "chiptune"]:
        tracks = [s for s in sources if s["style"] == style]
        for t in tracks:
            segments = []
            start = 5.0
            while start + CLIP_SECONDS <= t["duration"] - 2:
                segments.append(start)
                start += CLIP_SECONDS + 5
            t["segments"] = segments
        # Round-robin over tracks so a style's cap takes a little from every track.
        taken = 0
        for round_ in range(spec["per_track"][style]):
            for t in tracks:
                if round_ < len(t["segments"]) and taken < spec["style_cap"]:
                    t.setdefault("used", []).append(t["segments"][round_])
                    taken += 1
        per_style[style] = taken
        for t in tracks:
            for i, start in enumerate(t.get("used", [])):
                clips.append({"kind": "music", "style": style, "source": t, "start": start, "index": i})
            spare_beds += [(t, s) for s in t["segments"] if s not in t.get("used", [])]

    # Speech: consecutive dialogue lines of one level joined until 30 s; every level is a group.
    joined = []
    for level, lines in speech_lines:
        current, total = [], 0.0
        for path, duration in lines:
            if duration <= 0:
                continue
            current.append(path)
            total += duration
            if total >= CLIP_SECONDS + 0.5:
                joined.append((level, current))
                current, total = [], 0.0
    # Alternate, so both the speech class and the vocal stand-ins draw on many levels.
    speech_sets, vocal_speech = (joined[0::2], joined[1::2]) if spec["vocal_clips"] else (joined, [])
    for i, (level, lines) in enumerate(speech_sets[:spec["speech_clips"]]):
        clips.append({"kind": "speech", "style": None, "level": level, "lines": lines, "index": i})

    # Vocal stand-ins: real speech over a spare music segment, spread over styles and tracks.
    spare_beds.sort(key=lambda b: hashlib.sha1(f"{b[0]['name']}{b[1]}".encode()).hexdigest())
    for i, ((level, lines), (track, start)) in enumerate(zip(vocal_speech, spare_beds)):
        if i >= spec["vocal_clips"]:
            break
        clips.append({"kind": "vocal", "style": track["style"], "source": track, "start": start, "level": level,
                      "lines": lines, "index": i})
    return clips


def describe(clip, spec):
    """Name, tags, group and metadata of a planned clip."""
    tags = dict.fromkeys(TAGS, 0)
    if clip["kind"] == "speech":
        tags["speech"] = 1
        speech = speech_package(spec)
        group = f"{speech}/{clip['level']}"
        name = f"speech-{slug(clip['level'])}-{clip['index']:02d}"
        title = f"{spec['language_name']} dialogue, level {clip['level']} ({len(clip['lines'])} lines)"
        artist, album = "Fish Fillets NG voice actors", speech
        original = os.path.dirname(clip["lines"][0])
    else:
        t = clip["source"]
        tags["music"] = 1
        tags[clip["style"]] = 1
        group = f"{t['package']}/{t['name']}"
        if clip["kind"] == "vocal":
            tags["speech"] = 1
            tags["vocal"] = 1
            name = f"vocal-{clip['style']}-{slug(t['name'])}-{int(clip['start']):03d}"
            title = f"{t['name']} + dialogue ({clip['level']})"
        else:
            tags["instrumental"] = 1
            name = f"{clip['style']}-{slug(t['name'])}-{int(clip['start']):03d}"
            title = f"{t['name']} ({int(clip['start'])}-{int(clip['start']) + CLIP_SECONDS} s)"
        artist, album = t["package"], t.get("album", t["package"])
        original = t["path"]
    return {"name": name, "tags": tags, "group": group, "title": title, "artist": artist, "album": album,
            "original": original}


def ffmpeg_command(clip, meta, out):
    mono = f"aresample={RATE},aformat=sample_fmts=fltp:sample_rates={RATE}:channel_layouts=mono"
    cmd = ["ffmpeg", "-v", "error", "-nostdin", "-y"]
    fades = f"afade=t=in:d=0.05,afade=t=out:st={CLIP_SECONDS - 0.3}:d=0.3"
    if clip["kind"] == "music" and clip["source"].get("stems"):
        # Stems of one song, summed at their own levels (as the game plays them together).
        paths = [clip["source"]["path"]] + clip["source"]["stems"]
        for path in paths:
            cmd += ["-ss", str(clip["start"]), "-t", str(CLIP_SECONDS), "-i", path]
        graph = "".join(f"[{i}:a]{mono}[s{i}];" for i in range(len(paths)))
        graph += "".join(f"[s{i}]" for i in range(len(paths))) + f"amix=inputs={len(paths)}:normalize=0,{fades}[out]"
        cmd += ["-filter_complex", graph, "-map", "[out]"]
    elif clip["kind"] == "music":
        cmd += ["-ss", str(clip["start"]), "-t", str(CLIP_SECONDS), "-i", clip["source"]["path"],
                "-af", mono + "," + fades]
    else:
        lines = clip["lines"]
        graph = "".join(f"[{i}:a]{mono}[l{i}];" for i in range(len(lines)))
        graph += "".join(f"[l{i}]" for i in range(len(lines))) + f"concat=n={len(lines)}:v=0:a=1,atrim=0:{CLIP_SECONDS}"
        for line in lines:
            cmd += ["-i", line]
        if clip["kind"] == "speech":
            graph += "[out]"
        else:
            # Speech in front (0 dB), the music bed 8 dB down: a "vocal" clip a listener hears as voice over music.
            cmd += ["-ss", str(clip["start"]), "-t", str(CLIP_SECONDS), "-i", clip["source"]["path"]]
            bed = len(lines)
            graph += f"[v];[{bed}:a]{mono},volume=-8dB[m];[v][m]amix=inputs=2:duration=longest:normalize=0," \
                     f"atrim=0:{CLIP_SECONDS}[out]"
        cmd += ["-filter_complex", graph, "-map", "[out]"]
    cmd += ["-ac", "1", "-ar", str(RATE), "-c:a", "libmp3lame", "-b:a", BITRATE, "-map_metadata", "-1",
            "-metadata", f"title={meta['title']}", "-metadata", f"artist={meta['artist']}",
            "-metadata", f"album={meta['album']}",
            "-metadata", f"genre={clip['style'] or 'speech'}", out]
    return cmd


def encode(clip, meta, audio_dir):
    out = os.path.join(audio_dir, meta["mp3_path"])
    if os.path.exists(out):
        return None
    os.makedirs(os.path.dirname(out), exist_ok=True)
    tmp = out + ".part.mp3"
    result = subprocess.run(ffmpeg_command(clip, meta, tmp), capture_output=True, text=True)
    if result.returncode != 0 or not os.path.exists(tmp):
        return f"{meta['name']}: {result.stderr.strip()[-400:]}"
    os.replace(tmp, out)
    return None


def quoted(values):
    return "\t".join('"' + str(v).replace('"', '""') + '"' for v in values) + "\n"


def write_atomically(path, text):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("outdir", nargs="?", help="default: ~/.cache/sonolab/demo (check: ~/.cache/sonolab/check)")
    parser.add_argument("--collection", choices=sorted(COLLECTIONS), default="demo",
                        help="demo (the built-in collection) or check (the same styles from other packages)")
    parser.add_argument("--debs", default=os.environ.get("SONOLAB_DEB_CACHE", os.path.expanduser("~/.cache/sonolab/debs")))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--force", action="store_true", help="rebuild even when the stamp says it is complete")
    parser.add_argument("--repo", default=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    args = parser.parse_args()
    spec = COLLECTIONS[args.collection]
    packages = spec["packages"]

    out = os.path.abspath(args.outdir or os.path.expanduser(f"~/.cache/sonolab/{spec['default_out']}"))
    stamp = os.path.join(out, spec["stamp"])
    if not args.force and os.path.exists(stamp) and open(stamp).read().strip() == spec["version"]:
        log(f"up to date: {out}")
        return
    for tool in ["ffmpeg", "ffprobe", "dpkg-deb", "tar"]:
        if not shutil.which(tool):
            raise SystemExit(f"make-demo-collection: '{tool}' is needed (Debian: apt-get install ffmpeg dpkg tar)")
    os.makedirs(out, exist_ok=True)
    os.makedirs(args.debs, exist_ok=True)
    work = os.path.join(out, ".work")
    os.makedirs(work, exist_ok=True)

    roots, versions = {}, {}
    for package, (_, patterns, _) in packages.items():
        deb = fetch(package, args.debs)
        versions[package] = package_version(deb)
        roots[package] = extract(package, deb, work, patterns)

    sources = []
    for package, (_, patterns, style) in packages.items():
        if style != "speech":
            sources += music_sources(package, roots[package], patterns, style)
    levels = {}
    speech = speech_package(spec)
    lines = f"usr/share/games/fillets-ng/sound/*/{spec['speech_language']}/*.ogg"
    for path in sorted(glob.glob(os.path.join(roots[speech], lines))):
        levels.setdefault(path.split("/sound/")[1].split("/")[0], []).append((path, ogg_duration(path)))
    clips = plan(sources, sorted(levels.items()), spec)
    metas = [describe(c, spec) for c in clips]
    folders = assign_folders([m["group"] for m in metas])
    for m in metas:
        m["mp3_path"] = f"{folders[m['group']]}/{m['name']}.mp3"
    names = [m["mp3_path"] for m in metas]
    assert len(names) == len(set(names)), "clip names must be unique"

    audio = os.path.join(out, "audio")
    log(f"encoding {len(clips)} clips with {args.jobs} jobs into {audio}")
    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for problem in pool.map(lambda cm: encode(cm[0], cm[1], audio), zip(clips, metas)):
            if problem:
                failures.append(problem)
    if failures:
        raise SystemExit("make-demo-collection: some clips failed:\n  " + "\n  ".join(failures[:10]))

    order = sorted(range(len(metas)), key=lambda i: metas[i]["mp3_path"])
    annotations = quoted(["clip_id"] + TAGS + ["mp3_path", "group"])
    info = quoted(["clip_id", "track_number", "title", "artist", "album", "url", "segmentStart", "segmentEnd",
                   "original_url", "mp3_path"])
    for clip_id, i in enumerate(order, start=1):
        m, c = metas[i], clips[i]
        annotations += quoted([clip_id] + [m["tags"][t] for t in TAGS] + [m["mp3_path"], m["group"]])
        start = int(c.get("start", 0))
        original = os.path.relpath(m["original"], work)
        info += quoted([clip_id, c["index"] + 1, m["title"], m["artist"], m["album"], "", start, start + CLIP_SECONDS,
                        original, m["mp3_path"]])
    write_atomically(os.path.join(out, "annotations_final.csv"), annotations)
    write_atomically(os.path.join(out, "clip_info_final.csv"), info)

    licenses = os.path.join(out, "LICENSES")
    os.makedirs(licenses, exist_ok=True)
    counts = {}
    for c in clips:
        package = c["source"]["package"] if "source" in c else speech
        counts[package] = counts.get(package, 0) + 1
        if c["kind"] == "vocal":
            counts[speech] = counts.get(speech, 0) + 1
    header_file = os.path.join(args.repo, "resources", "demo", "ATTRIBUTION.md")
    if args.collection != "demo":
        text = ("# Sonolab check collection\n\nThe demo's four styles from other Debian packages, for checking figures "
                "measured on the demo (built by `scripts/make-demo-collection.sh --collection check`).\n")
    elif os.path.exists(header_file):
        text = open(header_file, encoding="utf-8").read()
    else:
        text = "# Sonolab demo collection\n"
    text += "\n## Packages used in this build\n\n| package | version | licence | clips using it | copyright file |\n"
    text += "| --- | --- | --- | --- | --- |\n"
    for package, (licence, _, _) in packages.items():
        src = os.path.join(roots[package], f"usr/share/doc/{package}/copyright")
        if os.path.exists(src):
            shutil.copyfile(src, os.path.join(licenses, f"{package}.copyright"))
        text += f"| {package} | {versions[package]} | {licence} | {counts.get(package, 0)} | LICENSES/{package}.copyright |\n"
    kinds = {k: sum(1 for c in clips if c["kind"] == k) for k in ("music", "speech", "vocal")}
    styles = {s: sum(1 for c in clips if c["style"] == s) for s in ("orchestral", "electronic", "rock", "chiptune")}
    text += (f"\n{len(clips)} clips of {CLIP_SECONDS} s: {kinds['music']} instrumental music, {kinds['speech']} speech, "
             f"{kinds['vocal']} vocal stand-ins (speech over music). Styles (instrumental + vocal): "
             + ", ".join(f"{s} {n}" for s, n in styles.items()) + ".\n")
    write_atomically(os.path.join(out, "ATTRIBUTION.md"), text)
    shutil.rmtree(work, ignore_errors=True)  # the extracted packages are large; the .deb files stay cached
    write_atomically(stamp, spec["version"] + "\n")
    log(text.strip().splitlines()[-1])
    log(f"done: {out}")


if __name__ == "__main__":
    main()
