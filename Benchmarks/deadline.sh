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
# A 200,000-request instance: xl-01's requests repeated under new ids (no bookings, groups or
# series in the copies), for set-up at scale.
python3 - "$SHARED/instances/xl-01.json" "$OUT/big200k.json" <<'PY'
import copy, json, sys
d = json.load(open(sys.argv[1]))
base, out, k = d["requests"], list(d["requests"]), 1
while len(out) < 200000:
    for r in base:
        c = copy.deepcopy(r)
        c["id"], c["patient"] = "%s-x%d" % (r["id"], k), "%s-x%d" % (r["patient"], k)
        for key in ("current", "group", "after"):
            c.pop(key, None)
        out.append(c)
        if len(out) >= 200000:
            break
    k += 1
d["requests"] = out
json.dump(d, open(sys.argv[2], "w"))
PY
for spec in tiny-01:5 small-01:12 medium-01:10 large-01:4 large-01:30 xl-01:20 big200k:2 big200k:5; do
    name=${spec%%:*}; limit=${spec##*:}
    file="$SHARED/instances/$name.json"
    [ "$name" = big200k ] && file="$OUT/big200k.json"
    start=$(date +%s.%N)
    json=$("$BIN" optimize "$file" --time-limit "$limit" --out "$OUT/$name-solution.json" --json 2>/dev/null)
    end=$(date +%s.%N)
    python3 - "$name" "$limit" "$start" "$end" "$json" <<'PY'
import json, sys
name, limit, start, end, text = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
o = json.loads(text)
wall = end - start
print("| %s | %g | %.2f | %.3f | %.2f | %s |" % (name, limit, wall, wall / limit, o.get("wallSeconds", float("nan")), o.get("stop", "?")))
PY
done
