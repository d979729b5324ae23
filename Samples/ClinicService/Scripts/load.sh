#!/usr/bin/env bash
# A load run with wrk (Debian's package) against the release build: offers (reads), and book +
# unbook cycles (writes, each stored before it is acknowledged), with durable commits
# (synchronous=FULL) and fast ones (NORMAL). Prints wrk's reports; Docs/service.md records them.
#   Scripts/load.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
SHARED=${CLINIC_SHARED:-$ROOT/../shared}
DURATION=${1:-20}
CONNECTIONS=${2:-16}
BINARY="$HERE/../.build/release/clinic-service"
. "$HERE/start-service.sh"
WORK=$(mktemp -d)
for mode in durable fast; do
    extra=()
    [ "$mode" = fast ] && extra=(--fast-commits)
    start_service "$BINARY" "$WORK/$mode.sqlite" "${extra[@]}"
    # Requests that can be booked now: each wrk thread cycles over its own.
    ids=$(python3 - "$PORT" <<'PY'
import json, sys, urllib.request
base = "http://127.0.0.1:%s/clinics/small" % sys.argv[1]
state = json.load(urllib.request.urlopen(base + "/snapshot"))
waiting = [r["id"] for r in state["requests"] if r.get("current") is None]
offered = [i for i in waiting if json.load(urllib.request.urlopen(base + "/requests/%s/offers?limit=1" % i))["offers"]]
print(" ".join(offered))
PY
)
    echo "== $mode commits: offers (GET), $CONNECTIONS connections, ${DURATION}s"
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$HERE/offers.lua" "http://127.0.0.1:$PORT" -- $ids | grep -vE "^\s*$"
    echo "== $mode commits: book + unbook (POST, DELETE), $CONNECTIONS connections, ${DURATION}s"
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$HERE/book-unbook.lua" "http://127.0.0.1:$PORT" -- $ids | grep -vE "^\s*$"
    curl -s "http://127.0.0.1:$PORT/clinics/small/snapshot" > "$WORK/$mode-end.json"
    python3 "$SHARED/tools/referee.py" "$WORK/$mode-end.json" --check-instance >/dev/null && echo "end state passes referee --check-instance"
    kill "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true
done
