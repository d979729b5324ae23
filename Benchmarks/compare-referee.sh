#!/usr/bin/env bash
# Parse, check and price an instance with the library's CLI and with the independent referee,
# side by side in one hyperfine run. Usage: Benchmarks/compare-referee.sh [INSTANCE] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
instance=${1:-../shared/instances/xl-01.json}
runs=${2:-30}
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
# A statically linked release binary, as it would be deployed (no dynamic loading of the runtime).
swift build -c release --product appointment-optimizer --static-swift-stdlib --scratch-path .build-static >/dev/null
bin=.build-static/release/appointment-optimizer
work=$(mktemp -d)
"$bin" baseline "$instance" --out "$work/baseline.json" >/dev/null
hyperfine -N -w 3 -r "$runs" --export-markdown "$work/compare.md" \
  -n referee "python3 ../shared/tools/referee.py $instance $work/baseline.json" \
  -n appointment-optimizer "$bin validate $instance $work/baseline.json"
cat "$work/compare.md"
