#!/usr/bin/env bash
# Measures the library at scale: generates N (default 10,000) small, distinct WAV files with a labels CSV, then times
#   1. library scan (new library), 2. a rescan with nothing changed, 3. library import --csv of the same files
#   into a fresh library (probe + one transaction), 4. library stats.
# Usage: scripts/demo/bench-library-10k.sh [N] [WORKDIR]     (uses build-library/app/sonolab-cli or $SONOLAB_CLI)
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-10000}
WORK=${2:-/tmp/sonolab-bench-10k}
CLI=${SONOLAB_CLI:-build-library/app/sonolab-cli}
mkdir -p "$WORK"
if [ ! -f "$WORK/files/.done-$N" ]; then
  rm -rf "$WORK/files"
  python3 - "$WORK/files" "$N" <<'PY'
import math, os, struct, sys
root, n = sys.argv[1], int(sys.argv[2])
rate, frames = 8000, 4000
waves = {}
lines = ["path,label,group"]
for i in range(n):
    folder = os.path.join(root, f"{i // 500:02d}")
    os.makedirs(folder, exist_ok=True)
    freq = 100 + (i % 997)
    if freq not in waves:
        waves[freq] = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * freq * k / rate))) for k in range(frames))
    data = struct.pack("<i", i) + waves[freq][4:]  # the first two samples make every file's content unique
    path = os.path.join(folder, f"clip{i:05d}.wav")
    with open(path, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt " +
                struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16) + b"data" + struct.pack("<I", len(data)) + data)
    lines.append(f"{os.path.relpath(path, root)},{'low' if freq < 600 else 'high'},g{i // 10}")
open(os.path.join(root, "labels.csv"), "w").write("\n".join(lines) + "\n")
open(os.path.join(root, f".done-{n}"), "w").close()
PY
fi
rm -f "$WORK"/scan.sqlite* "$WORK"/import.sqlite*
t() { local s e; s=$(date +%s.%N); "$@" > "$WORK/last.out"; e=$(date +%s.%N); echo "$e - $s" | bc; }
scan=$(t "$CLI" library scan "$WORK/files" --db "$WORK/scan.sqlite" -q)
rescan=$(t "$CLI" library scan "$WORK/files" --db "$WORK/scan.sqlite" -q)
import=$(t "$CLI" library import --csv "$WORK/files/labels.csv" --group-column group --db "$WORK/import.sqlite" -q)
stats=$(t "$CLI" library stats --db "$WORK/import.sqlite")
echo "files: $N ($(du -sh "$WORK/files" | cut -f1)) on $(nproc) cores"
printf "scan (new library):     %6.2f s  (%.0f files/s)\n" "$scan" "$(echo "$N / $scan" | bc -l)"
printf "rescan (no changes):    %6.2f s  (%.3f x the first scan)\n" "$rescan" "$(echo "$rescan / $scan" | bc -l)"
printf "import --csv (labels):  %6.2f s  (%.2f x the scan)\n" "$import" "$(echo "$import / $scan" | bc -l)"
printf "stats:                  %6.2f s\n" "$stats"
