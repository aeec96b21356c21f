#!/usr/bin/env python3
"""Checks the reliability diagram of examples/calibrate.cpp (issue 5).

    check_svg.py <example_calibrate> <work dir>

Runs the example twice, on its generated data and on a small CSV written here, and for each
SVG checks that it is well-formed XML with an <svg> root in the SVG namespace, and that it
has one <rect class="bar"> per non-empty bin the example printed ("bin (lo, hi] count N
..."), with the same counts in order (data-count) and inside the plot. Python's standard
library only.
"""
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

SVG = "{http://www.w3.org/2000/svg}"
BIN = re.compile(r"^bin \(([-0-9.]+), ([-0-9.]+)\] count (\d+) ")


def fail(message):
    print(f"check_svg: FAIL: {message}")
    sys.exit(1)


def check(example, data, svg):
    run = subprocess.run([str(example), str(data), str(svg)], capture_output=True, text=True)
    print(run.stdout, end="")
    if run.returncode != 0:
        fail(f"{example} {data} {svg} exited with {run.returncode}: {run.stderr}")
    printed = [int(m.group(3)) for m in map(BIN.match, run.stdout.splitlines()) if m]
    if len(printed) != 15:
        fail(f"expected 15 printed bins, found {len(printed)}")
    try:
        root = ET.parse(svg).getroot()  # raises on malformed XML
    except ET.ParseError as error:
        fail(f"{svg} is not well-formed XML: {error}")
    if root.tag != SVG + "svg":
        fail(f"the root element is {root.tag}, not an SVG <svg>")
    bars = [r for r in root.iter(SVG + "rect") if r.get("class") == "bar"]
    non_empty = [c for c in printed if c > 0]
    if len(bars) != len(non_empty):
        fail(f"{len(bars)} bars for {len(non_empty)} non-empty bins")
    counts = [int(b.get("data-count")) for b in bars]
    if counts != non_empty:
        fail(f"bar counts {counts} differ from the printed bins {non_empty}")
    for bar in bars:
        x, y = float(bar.get("x")), float(bar.get("y"))
        width, height = float(bar.get("width")), float(bar.get("height"))
        if not (50 <= x and x + width <= 450.001 and 50 <= y and y + height <= 450.001
                and width > 0 and height >= 0):
            fail(f"a bar lies outside the plot: {bar.attrib}")
    print(f"check_svg: {svg}: {len(bars)} bars for {len(non_empty)} non-empty bins, "
          f"{sum(printed)} samples: ok")


def main():
    if len(sys.argv) != 3:
        fail(__doc__)
    example, work = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
    work.mkdir(parents=True, exist_ok=True)
    check(example, "-", work / "calibrate_generated.svg")
    # A small CSV with a header: overconfident logits whose extreme bins stay empty.
    csv = work / "calibrate_input.csv"
    lines = ["logit,label"]
    for i in range(400):
        logit = ((i * 37) % 101 - 50) / 10.0        # -5.0 .. 5.0
        label = 1 if (i * 53) % 100 < 100 / (1 + 2.718281828 ** (-logit / 3)) else 0
        lines.append(f"{logit},{label}")
    csv.write_text("\n".join(lines) + "\n")
    check(example, csv, work / "calibrate_csv.svg")


if __name__ == "__main__":
    main()
