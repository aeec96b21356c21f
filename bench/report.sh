#!/bin/sh
# Runs the benchmarks and prints the Markdown report; see README.md in this directory.
# Arguments go to report.py (binary or JSON file, --repetitions, --min-time, ...).
exec python3 "$(dirname "$0")/report.py" "$@"
