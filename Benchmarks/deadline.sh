#!/usr/bin/env bash
# How well the optimiser's time limit holds: wall time of `optimize` (the whole command: reading,
# set-up, search, writing) against its --time-limit, one run at a time so that each has both
# cores. Figures go to Docs/performance.md.
#   swift build -c release && Benchmarks/deadline.sh [SHARED]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${1:-${CLINIC_SHARED:-$ROOT/../shared}}
BIN="$ROOT/.build/release/appointment-optimizer"
OUT=$(mktemp -d)
printf "| instance | limit (s) | wall of the command (s) | wall / limit | run's own wallSeconds | stop |\n| --- | ---: | ---: | ---: | ---: | --- |\n"
for spec in tiny-01:5 small-01:12 medium-01:10 large-01:4 large-01:30 xl-01:20; do
    name=${spec%%:*}; limit=${spec##*:}
    start=$(date +%s.%N)
    json=$("$BIN" optimize "$SHARED/instances/$name.json" --time-limit "$limit" --out "$OUT/$name.json" --json 2>/dev/null)
    end=$(date +%s.%N)
    python3 - "$name" "$limit" "$start" "$end" "$json" <<'PY'
import json, sys
name, limit, start, end, text = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
o = json.loads(text)
wall = end - start
print("| %s | %g | %.2f | %.3f | %.2f | %s |" % (name, limit, wall, wall / limit, o.get("wallSeconds", float("nan")), o.get("stop", "?")))
PY
done
