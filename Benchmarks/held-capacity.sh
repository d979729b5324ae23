#!/usr/bin/env bash
# Held capacity planning: the online replay's cost on every public instance without and with
# planned holds (HoldPlanner), each schedule judged by referee.py (--online for format 2).
#   swift build -c release && Benchmarks/held-capacity.sh [SHARED] [-- extra replay options]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${CLINIC_SHARED:-$ROOT/../shared}
if [ $# -gt 0 ] && [ "$1" != "--" ]; then SHARED=$1; shift; fi
[ "${1:-}" = "--" ] && shift
EXTRA=("$@")
BIN="$ROOT/.build/release/appointment-optimizer"
OUT=$(mktemp -d)
printf "| instance | replay | with planned holds | ratio | holds | referee |\n| --- | ---: | ---: | ---: | ---: | --- |\n"
total0=0; total1=0
for file in "$SHARED"/instances/*.json; do
    name=$(basename "$file" .json)
    "$BIN" replay "$file" --out "$OUT/$name-plain.json" --json > "$OUT/$name-plain.out" || true
    "$BIN" replay "$file" --out "$OUT/$name-held.json" --json --plan-holds "${EXTRA[@]}" > "$OUT/$name-held.out" || true
    online=""
    case "$name" in v2-*) online="--online" ;; esac
    python3 - "$name" "$OUT/$name-plain.out" "$OUT/$name-held.out" "$SHARED/tools/referee.py" "$file" "$OUT/$name-plain.json" "$OUT/$name-held.json" "$online" <<'PY'
import json, subprocess, sys
name, plain, held, referee, inst, sol0, sol1, online = sys.argv[1:9]
a, b = json.load(open(plain)), json.load(open(held))
def judge(sol):
    args = ["python3", referee, inst, sol, "--json"] + ([online] if online else [])
    return json.loads(subprocess.run(args, capture_output=True, text=True).stdout)
r0, r1 = judge(sol0), judge(sol1)
ok = r0["valid"] and r1["valid"] and abs(r0["cost"] - a["cost"]) < 1e-6 * max(1, a["cost"]) and abs(r1["cost"] - b["cost"]) < 1e-6 * max(1, b["cost"])
print("| %s | %.2f | %.2f | %.3f | %d | %s |" % (name, a["cost"], b["cost"], b["cost"] / a["cost"], b.get("plannedHolds", 0), "valid, same cost" if ok else "MISMATCH"))
PY
done
