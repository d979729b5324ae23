#!/usr/bin/env bash
# The quality of a day at the desk (Docs/living-clinic.md, "The quality of a day"): each shared
# event stream run by `appointment-optimizer desk`, its end state priced as it is by the referee,
# the cost of booking nothing, and the end state after a 60 s `optimize`, refereed.
#   Benchmarks/day-quality.sh [OUT_DIR] [SECONDS]     (from the repository's root, after `swift build -c release`)
set -euo pipefail
out=${1:-/tmp/day-quality}
seconds=${2:-60}
shared=${CLINIC_SHARED:-../shared}
bin=.build/release/appointment-optimizer
referee="python3 $shared/tools/referee.py"
mkdir -p "$out"
printf '| stream | applied / refused | booked | displaced / repaired | requests / waiting | booking nothing | the desk'"'"'s day | after %s s optimize |\n' "$seconds"
for events in "$shared"/events/*.jsonl; do
  n=$(basename "$events" .jsonl)
  $bin desk "$shared/instances/$n.json" --events "$events" --out "$out/$n-end.json" --journal "$out/$n-journal.jsonl" --json > "$out/$n-desk.json"
  $referee "$out/$n-end.json" --check-instance > "$out/$n-check.txt"
  $referee "$out/$n-end.json" --baseline-out "$out/$n-base.json" > /dev/null
  $referee "$out/$n-end.json" "$out/$n-base.json" --json > "$out/$n-kept.json" || true
  $bin optimize "$out/$n-end.json" --time-limit "$seconds" --out "$out/$n-opt.json" --json > /dev/null 2>&1
  $referee "$out/$n-end.json" "$out/$n-opt.json" --json > "$out/$n-opt-ref.json" || true
  python3 - "$out" "$n" <<'PY'
import json, sys
out, n = sys.argv[1], sys.argv[2]
d = json.load(open(f"{out}/{n}-desk.json")); end = json.load(open(f"{out}/{n}-end.json"))
kept = json.load(open(f"{out}/{n}-kept.json")); opt = json.load(open(f"{out}/{n}-opt-ref.json"))
check = open(f"{out}/{n}-check.txt").readline().strip()
nothing = sum(end["objective"]["unscheduledPenalty"][r["priority"]] for r in end["requests"])
assert kept["valid"] and opt["valid"] and check.endswith("OK"), (n, check)
print(f"| {n} | {d['applied']} / {d['refused']} | {d['booked']} | {d['displaced']} / {d['repaired']} | "
      f"{d['requests']} / {d['waiting']} | {nothing:,.2f} | {kept['cost']:,.2f} | {opt['cost']:,.2f} |")
PY
done
