#!/usr/bin/env python3
"""Run logistic_bench (or read its JSON output) and print a Markdown report.

    python3 bench/report.py                       # finds build/bench/**/logistic_bench
    python3 bench/report.py build/bench/bench/logistic_bench --repetitions 5
    python3 bench/report.py results.json          # a saved --benchmark_out JSON file

The binary runs with repetitions, random interleaving (machine drift spreads over all
rows) and aggregates only; every number below is the median of the repetitions' wall
times, and every ratio compares rows of the same run. Python 3 standard library only.
"""
import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

OURS = ("sigmoid", "fast::sigmoid")  # row name = "<kernel>.<arch>", e.g. "sigmoid.avx512"
TYPES = {"f32": ("float", 4), "f64": ("double", 8)}
UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
REPO = Path(__file__).resolve().parent.parent


def is_ours(row):
    return row.rsplit(".", 1)[0] in OURS


def our_order(row):
    """Widest architecture first, then faithful before fast."""
    kernel, arch = row.rsplit(".", 1)
    archs = ("avx512", "avx2", "native")
    return (archs.index(arch) if arch in archs else len(archs), arch, OURS.index(kernel))


def find_binary():
    """build/bench/bench/logistic_bench (the bench preset), else any under build/bench/."""
    default = REPO / "build" / "bench" / "bench" / "logistic_bench"
    if default.is_file():
        return default
    found = sorted(p for p in (REPO / "build" / "bench").glob("**/logistic_bench") if p.is_file())
    if not found:
        sys.exit(f"report.py: no logistic_bench under {REPO / 'build' / 'bench'}; build it with\n"
                 "    cmake --workflow --preset bench\nor pass the binary (or a JSON file).")
    return found[0]


def run_binary(binary, args):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bench.json"
        command = [str(binary), f"--benchmark_repetitions={args.repetitions}",
                   "--benchmark_enable_random_interleaving=true",
                   "--benchmark_report_aggregates_only=true",
                   f"--benchmark_out={out}", "--benchmark_out_format=json"]
        if args.min_time is not None:
            command.append(f"--benchmark_min_time={args.min_time}")
        if args.filter:
            command.append(f"--benchmark_filter={args.filter}")
        print("running:", " ".join(command), file=sys.stderr)
        # The console table shows progress on stderr; stdout stays pure Markdown.
        subprocess.run(command, stdout=sys.stderr, check=True)
        text = out.read_text()
    if args.save_json:
        Path(args.save_json).write_text(text)
    method = f"{args.repetitions} repetitions, random interleaving"
    if args.min_time is not None:
        method += f", min time {args.min_time} s"
    return json.loads(text), method


def medians(data):
    """{(row, type, set, n): (median ns per call, cv or None)}, and failed runs."""
    times, cvs, failed = {}, {}, []
    for b in data["benchmarks"]:
        key = tuple(b["run_name"].split("/")[:4])
        if b.get("error_occurred"):
            failed.append(f"{b['run_name']}: {b.get('error_message', '')}")
            continue
        kind = b.get("aggregate_name") if b.get("run_type") == "aggregate" else "iteration"
        ns = b["real_time"] * UNIT_NS[b["time_unit"]]
        if kind in ("median", "iteration"):  # one repetition yields no aggregates
            times.setdefault(key, []).append(ns)
        elif kind == "cv":
            cvs[key] = b["real_time"]  # the cv aggregate is a fraction, not a time
    result = {}
    for (row, type_, set_, n), ns in times.items():
        ns.sort()
        result[(row, type_, set_, int(n))] = (ns[len(ns) // 2], cvs.get((row, type_, set_, n)))
    return result, sorted(set(failed))


def size_label(n):
    for unit, scale in (("Mi", 1 << 20), ("Ki", 1 << 10)):
        if n >= scale and n % scale == 0:
            return f"{n // scale} {unit}"
    return str(n)


def table(results, type_, set_, n):
    rows = sorted((t, cv, row) for (row, ty, se, size), (t, cv) in results.items()
                  if (ty, se, size) == (type_, set_, n))
    if not rows:
        return []
    by_row = {row: t for t, _, row in rows}
    ours = sorted((row for row in by_row if is_ours(row)), key=our_order)
    name, width = TYPES[type_]
    lines = [f"### {name} · {set_} · {size_label(n)} elements "
             f"({size_label(2 * n * width)}B in + out)", ""]
    header = ["row", "ns/element", "GB/s"] + [f"× {r}" for r in ours]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    worst_cv = 0.0
    for t, cv, row in rows:
        label = f"**{row}**" if is_ours(row) else row
        cells = [label, f"{t / n:.3f}", f"{2 * n * width / t:.1f}"]
        cells += [f"{t / by_row[r]:.2f}" for r in ours]
        lines.append("| " + " | ".join(cells) + " |")
        worst_cv = max(worst_cv, cv or 0.0)
    if worst_cv:
        lines += ["", f"Largest coefficient of variation over the repetitions: {worst_cv:.1%}."]
    return lines + [""]


def targets(results):
    """The ratios the project tracks, each saying which direction means 'ours wins'."""
    specs = [  # (type, ours, baseline, as a throughput ratio)
        ("f32", "sigmoid.avx512", "xnnpack", False),
        ("f32", "fast::sigmoid.avx512", "xnnpack", True),
    ]
    for type_ in TYPES:
        specs += [(type_, ours, roof, False) for roof in ("memcpy", "copy_loop")
                  for ours in ("sigmoid.avx512", "fast::sigmoid.avx512")]
        specs += [(type_, "sigmoid.avx2", "xsimd_exp.avx2", False),
                  (type_, "fast::sigmoid.avx2", "xsimd_exp.avx2", False)]
    specs += [("f64", "sigmoid.avx512", base, False)
              for base in ("sleef.avx512", "eigen.avx512", "std_exp_fastmath")]

    cols = [("useful", 4096), ("useful", 65536), ("useful", 16777216), ("tails", 4096)]
    lines = ["## Targets", "",
             "Time ratios: < 1 means ours is faster. Throughput ratios: > 1 means ours is "
             "faster.", "",
             "| measure | " + " | ".join(f"{s} {size_label(n)}" for s, n in cols) + " |",
             "|---|" + "---|" * len(cols)]
    for type_, ours, base, throughput in specs:
        cells = []
        for set_, n in cols:
            mine = results.get((ours, type_, set_, n), (None,))[0]
            theirs = results.get((base, type_, set_, n), (None,))[0]
            cells.append(f"{(theirs / mine if throughput else mine / theirs):.2f}"
                         if mine and theirs else "n/a")
        what = "throughput ÷" if throughput else "time ÷"
        lines.append(f"| {TYPES[type_][0]} `{ours}` {what} `{base}` | " + " | ".join(cells) + " |")
    return lines + [""]


def cpu_model_here():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", help="logistic_bench binary or its JSON output "
                        "(default: found under build/bench/)")
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--min-time", type=float, help="--benchmark_min_time, in seconds")
    parser.add_argument("--filter", help="--benchmark_filter regex")
    parser.add_argument("--save-json", metavar="FILE", help="keep the raw benchmark JSON")
    args = parser.parse_args()

    source = Path(args.source) if args.source else find_binary()
    if source.suffix == ".json":
        data, method = json.loads(source.read_text()), f"read from {source}"
    else:
        data, method = run_binary(source, args)
    ctx = data.get("context", {})
    results, failed = medians(data)

    caches = ", ".join(f"L{c['level']}{'d' if c['type'] == 'Data' else ''} "
                       f"{c['size'] // 1024} KiB" for c in ctx.get("caches", [])
                       if c["type"] != "Instruction")
    out = ["# logistic_bench", "",
           f"- CPU: {ctx.get('logistic.cpu_model') or cpu_model_here()} "
           f"({ctx.get('num_cpus', '?')} CPUs at {ctx.get('mhz_per_cpu', '?')} MHz; {caches})",
           f"- Compiler: {ctx.get('logistic.compiler', '?')}, "
           f"{ctx.get('logistic.build_type', '?')} build",
           f"- Flags per translation unit: {ctx.get('logistic.flags', '?')}",
           f"- Libraries: {ctx.get('logistic.libraries', '?')}",
           f"- Inputs: {ctx.get('logistic.inputs', '?')}",
           f"- MXCSR at startup: {ctx.get('logistic.mxcsr', 'n/a')}",
           f"- Method: {method}; medians of wall time per call; "
           "GB/s counts bytes read + written",
           ]
    if "logistic.skipped_rows" in ctx:
        out.append(f"- Not run (the CPU lacks the ISA): {ctx['logistic.skipped_rows']}")
    out += ["", "Rows in **bold** are ours. A column `× R` is this row's time divided by the "
            "time of our row R: how many times faster R is than this row (> 1: R is faster).",
            ""]
    keys = {(ty, se, n) for (_, ty, se, n) in results}
    for ty in TYPES:
        for se in ("useful", "tails"):
            for n in sorted(n for (t2, s2, n) in keys if (t2, s2) == (ty, se)):
                out += table(results, ty, se, n)
    out += targets(results)
    if failed:
        out += ["## Failed rows", ""] + [f"- {f}" for f in failed] + [""]
    print("\n".join(out).rstrip())


if __name__ == "__main__":
    main()
