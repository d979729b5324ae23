#!/usr/bin/env bash
# Two optimiser binaries on the same instances, one run after the other (machines are noisy: a
# pair run back to back is the fairest comparison one run each allows). Every solution is checked
# by the referee. Usage:
#   Benchmarks/compare-optimizers.sh BEFORE_BINARY AFTER_BINARY SECONDS INSTANCE...
# e.g. Benchmarks/compare-optimizers.sh /tmp/before .build-static/release/appointment-optimizer 60 medium-01 large-01
set -euo pipefail
cd "$(dirname "$0")/.."
before=$1 after=$2 limit=$3
shift 3
work=$(mktemp -d)
printf '| instance | T s | binary | cost | neighbourhoods | wall s | referee |\n| --- | ---: | --- | ---: | ---: | ---: | --- |\n'
for name in "$@"; do
  for side in before after; do
    bin=${!side}
    "$bin" optimize "../shared/instances/$name.json" --time-limit "$limit" --out "$work/$name-$side.json" --json \
      2>/dev/null >"$work/$name-$side.out" || true
    figures=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(f\"{d['cost']:.2f} | {d['neighbourhoods']} | {d['wallSeconds']:.1f}\")" "$work/$name-$side.out")
    referee=$(python3 ../shared/tools/referee.py "../shared/instances/$name.json" "$work/$name-$side.json" --json |
      python3 -c "import json,sys; d=json.load(sys.stdin); print(('valid' if d['valid'] else 'INVALID') + f\", {d['cost']:.2f}\")")
    echo "| $name | $limit | $side | $figures | $referee |"
  done
done
