#!/usr/bin/env bash
# Fuzzes the API from its OpenAPI document with schemathesis (seeded, replayable): no answer may
# be a 5xx, and the service must still be up at the end.
#   Scripts/fuzz-api.sh SECONDS [SEED]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
SHARED=${CLINIC_SHARED:-$ROOT/../shared}
SECONDS_BUDGET=${1:-60}
SEED=${2:-20261205}
. "$HERE/start-service.sh"
start_service "$HERE/../.build/debug/clinic-service" :memory:
trap 'kill $SERVICE_PID 2>/dev/null || true' EXIT
status=0
schemathesis run "http://127.0.0.1:$PORT/openapi.json" --checks not_a_server_error --max-time "$SECONDS_BUDGET" \
    --seed "$SEED" --workers 2 --warnings off 2>&1 | tail -n 12 || status=$?
if ! kill -0 "$SERVICE_PID" 2>/dev/null; then echo "the service died during the fuzz run"; exit 1; fi
exit $status
