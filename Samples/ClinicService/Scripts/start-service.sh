# Sourced by the scripts here: starts the built service in the background on a free port, with
# the bundled sample clinic and a shared instance, and sets SERVICE_PID and PORT.
#   start_service BINARY DATABASE [more options]
start_service() {
    local binary=$1 database=$2
    shift 2
    local log
    log=$(mktemp)
    "$binary" --port 0 --database "$database" --log-level error \
        --clinic "riverside=$ROOT/Samples/clinics/riverside-clinic.json" \
        --clinic "small=$SHARED/instances/v2-small-01.json" "$@" >"$log" 2>&1 &
    SERVICE_PID=$!
    for _ in $(seq 1 300); do
        PORT=$(grep -o 'listening on [0-9.]*:[0-9]*' "$log" | sed 's/.*://' || true)
        [ -n "$PORT" ] && return 0
        kill -0 "$SERVICE_PID" 2>/dev/null || { cat "$log"; return 1; }
        sleep 0.1
    done
    echo "the service did not start"; cat "$log"; return 1
}
