#!/usr/bin/env python3
"""Reference for `sonolab-cli bench train`: trains the same architectures in PyTorch (python3-torch 1.13) on the
same random data sizes, the way a PyTorch user would (TensorDataset + DataLoader, shuffle, Adam, loss.item() per
batch), and prints samples per second. Given --cli, it first runs `sonolab-cli bench train --json` with the same
settings and prints the ratio Sonolab / PyTorch for each model, from one run of both.

Run it with /usr/bin/python3 (the python3 first on PATH may not import torch):
  /usr/bin/python3 scripts/reference/bench_train_torch.py --cli build/app/sonolab-cli --threads 2
"""
import argparse
import json
import statistics
import subprocess
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class TutorialCnn(nn.Module):
    def __init__(self, bands, frames, outputs):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3)
        self.conv2 = nn.Conv2d(32, 32, 3)
        self.dropout = nn.Dropout(0.25)
        with torch.no_grad():
            n = self.features(torch.zeros(1, 1, bands, frames)).shape[1]
        self.hidden = nn.Linear(n, 256)
        self.out = nn.Linear(256, outputs)

    def features(self, x):
        x = self.dropout(F.max_pool2d(F.relu(self.conv1(x)), 2))
        return F.max_pool2d(F.relu(self.conv2(x)), 2).flatten(1)

    def forward(self, x):
        return self.out(torch.sigmoid(self.hidden(self.features(x))))


class Mirex2015(nn.Module):
    def __init__(self, bands, frames, outputs):
        super().__init__()
        self.conv = nn.Conv2d(1, 15, (12, 8))
        with torch.no_grad():
            n = self.features(torch.zeros(1, 1, bands, frames)).shape[1]
        self.hidden = nn.Linear(n, 200)
        self.dropout = nn.Dropout(0.5)
        self.out = nn.Linear(200, outputs)

    def features(self, x):
        return F.max_pool2d(torch.sigmoid(self.conv(x)), (2, 1)).flatten(1)

    def forward(self, x):
        return self.out(self.dropout(torch.sigmoid(self.hidden(self.features(x)))))


class ParallelCnn(nn.Module):
    def __init__(self, bands, frames, outputs):
        super().__init__()
        self.a = nn.Conv2d(1, 16, (10, 2))
        self.b = nn.Conv2d(1, 25, (2, 10))
        with torch.no_grad():
            n = self.features(torch.zeros(1, 1, bands, frames)).shape[1]
        self.hidden = nn.Linear(n, 256)
        self.out = nn.Linear(256, outputs)

    def features(self, x):
        a = F.max_pool2d(F.relu(self.a(x)), (1, 2)).flatten(1)
        b = F.max_pool2d(F.relu(self.b(x)), (2, 1)).flatten(1)
        return torch.cat([a, b], 1)

    def forward(self, x):
        return self.out(F.relu(self.hidden(self.features(x))))


class CompactCnn(nn.Module):
    def __init__(self, bands, frames, outputs):
        super().__init__()
        layers = 4 if bands >= 96 else 3
        filters = [32, 64, 64] if layers == 3 else [64, 64, 64, 128]
        if bands >= 96:
            pools = [(2, 4), (3, 4), (2, 5), (2, 4), (4, 4)]
        elif bands >= 72:
            pools = [(2, 4), (3, 4), (2, 5), (2, 4), (3, 4)]
        else:
            pools = [(2, 4), (2, 4), (2, 2), (2, 2), (2, 2)]
        self.input_bn = nn.BatchNorm1d(bands)
        self.convs, self.bns, self.pools = nn.ModuleList(), nn.ModuleList(), []
        h, w, c = bands, frames, 1
        for i in range(layers):
            ph, pw = max(1, min(pools[i][0], h)), max(1, min(pools[i][1], w))
            h, w = h // ph, w // pw
            self.pools.append((ph, pw))
            self.convs.append(nn.Conv2d(c, filters[i], 3, padding=1))
            self.bns.append(nn.BatchNorm2d(filters[i]))
            c = filters[i]
        self.dropout = nn.Dropout(0.2)
        with torch.no_grad():
            self.eval()
            n = self.features(torch.zeros(1, 1, bands, frames)).shape[1]
            self.train()
        self.hidden = nn.Linear(n, 128)
        self.out = nn.Linear(128, outputs)

    def features(self, x):
        s = x.shape
        x = self.input_bn(x.view(s[0], s[2], s[3])).view(s)
        for conv, bn, pool in zip(self.convs, self.bns, self.pools):
            x = F.max_pool2d(F.elu(bn(conv(x))), pool)
        return x.flatten(1)

    def forward(self, x):
        return self.out(F.relu(self.hidden(self.dropout(self.features(x)))))


class Dense(nn.Module):
    def __init__(self, bands, frames, outputs, hidden=256, layers=2):
        super().__init__()
        dims = [bands * frames] + [hidden] * layers
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:]))
        self.dropout = nn.Dropout(0.1)
        self.out = nn.Linear(hidden, outputs)

    def forward(self, x):
        x = x.flatten(1)
        for i, layer in enumerate(self.layers):
            x = F.relu(layer(x))
            if i + 1 < len(self.layers):
                x = self.dropout(x)
        return self.out(self.dropout(x))


class ResBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(cout)
        self.diff = stride != 1 or cin != cout
        if self.diff:
            self.conv3 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1)
            self.bn3 = nn.BatchNorm2d(cout)

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(y + (self.bn3(self.conv3(x)) if self.diff else x))


class ShortChunkResNet(nn.Module):
    def __init__(self, bands, frames, outputs, c=128):
        super().__init__()
        self.input_bn = nn.BatchNorm2d(1)
        widths = [1, c, c, 2 * c, 2 * c, 2 * c, 2 * c, 4 * c]
        self.blocks = nn.Sequential(*[ResBlock(widths[i], widths[i + 1], 2) for i in range(7)])
        self.dense1 = nn.Linear(4 * c, 4 * c)
        self.bn = nn.BatchNorm1d(4 * c)
        self.dropout = nn.Dropout(0.5)
        self.out = nn.Linear(4 * c, outputs)

    def forward(self, x):
        x = self.blocks(self.input_bn(x))
        x = x.flatten(2).max(2)[0]
        return self.out(self.dropout(F.relu(self.bn(self.dense1(x)))))


MODELS = {
    # name: (class, default input bands x frames) -- as core/ml/models/*.cpp
    "tutorial_cnn": (TutorialCnn, (40, 80)),
    "mirex2015": (Mirex2015, (40, 80)),
    "parallel_cnn": (ParallelCnn, (40, 80)),
    "compact_cnn": (CompactCnn, (80, 80)),
    "dense": (Dense, (40, 1)),
    "short_chunk_resnet": (ShortChunkResNet, (128, 160)),
}


def bench(name, examples, batch_size, epochs, outputs, seed):
    cls, (bands, frames) = MODELS[name]
    torch.manual_seed(seed)
    x = torch.randn(examples, 1, bands, frames)
    y = torch.arange(examples) % outputs
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=batch_size, shuffle=True)
    model = cls(bands, frames, outputs)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    times = []
    trained = 0
    for epoch in range(epochs):
        start = time.perf_counter()
        n = 0
        for xb, yb in loader:
            if xb.shape[0] == 1:  # batch norm cannot train on one example (Sonolab drops it too)
                continue
            opt.zero_grad()
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            loss.item()
            n += xb.shape[0]
        if epoch > 0:  # the first epoch is a warm-up, as in Sonolab's benchmark
            times.append(time.perf_counter() - start)
            trained += n
    params = sum(p.numel() for p in model.parameters())
    return {"model": name, "samples_per_second": trained / sum(times), "seconds_per_epoch": sum(times) / len(times),
            "parameters": params, "input": [bands, frames]}


DEFAULT_EXAMPLES = {"short_chunk_resnet": 64}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default="tutorial_cnn,mirex2015,parallel_cnn,compact_cnn,dense,short_chunk_resnet")
    ap.add_argument("--threads", type=int, default=0, help="intra-op threads (0 = all cores)")
    ap.add_argument("--examples", type=int, default=256)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--outputs", type=int, default=2)
    ap.add_argument("--cli", help="sonolab-cli to run first with the same settings; prints ratios")
    ap.add_argument("--layout", default="auto",
                    help="Sonolab weight layouts, comma-separated (auto, contiguous, channels-last): one ratio each")
    ap.add_argument("--rounds", type=int, default=1,
                    help="alternate Sonolab and PyTorch this many times per model and report median rates (noisy machines)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    threads = args.threads or torch.multiprocessing.cpu_count()
    torch.set_num_threads(threads)
    names = [m for m in args.models.split(",") if m]

    layouts = [l for l in args.layout.split(",") if l]
    results = []
    for name in names:
        examples = DEFAULT_EXAMPLES.get(name, args.examples) if args.examples == 256 else args.examples
        sonolab = {l: [] for l in layouts}
        pytorch = []
        for _ in range(max(1, args.rounds)):
            if args.cli:  # Sonolab first, then PyTorch, same sizes and threads, one after the other
                cmd = [args.cli, "bench", "train", "--models", name, "--threads", str(threads), "--examples",
                       str(examples), "--batch-size", str(args.batch_size), "--epochs", str(args.epochs),
                       "--outputs", str(args.outputs), "--layout", ",".join(layouts), "--json"]
                out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
                for l, row in zip(layouts, json.loads(out)["results"]):
                    sonolab[l].append(row["samples_per_second"])
            r = bench(name, examples, args.batch_size, args.epochs, args.outputs, 1)
            pytorch.append(r["samples_per_second"])
        r["samples_per_second"] = statistics.median(pytorch)
        if args.cli:
            r["sonolab"] = {l: statistics.median(v) for l, v in sonolab.items()}
            r["ratio"] = {l: v / r["samples_per_second"] for l, v in r["sonolab"].items()}
        results.append(r)

    if args.json:
        print(json.dumps({"threads": threads, "torch": torch.__version__, "results": results}, indent=2))
        return
    print(f"bench train: PyTorch {torch.__version__}, {threads} thread(s), batch {args.batch_size}, "
          f"{args.epochs - 1} timed epoch(s) after a warm-up")
    head = "".join(f"{'sonolab/s':>12}{'ratio':>8}" + (f" [{l}]" if len(layouts) > 1 else "") for l in layouts)
    print(f"{'model':<20}{'input':>10}{'params':>12}{'pytorch/s':>12}" + (head if args.cli else ""))
    for r in results:
        s = "".join(f"{r['sonolab'][l]:12.1f}{r['ratio'][l]:8.2f}" + (" " * (len(l) + 3) if len(layouts) > 1 else "")
                    for l in layouts) if "ratio" in r else ""
        print(f"{r['model']:<20}{'%dx%d' % tuple(r['input']):>10}{r['parameters']:>12}{r['samples_per_second']:12.1f}{s}")


if __name__ == "__main__":
    sys.exit(main())
