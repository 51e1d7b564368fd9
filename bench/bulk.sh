#!/usr/bin/env bash
# Bulk benchmark: OPERATIONS sonet_group.user.add operations (distinct group/user pairs) through
# the Python client fast-bitrix24 (from PyPI) and, when it exists, this project's Rust driver,
# each run against a fresh emulator with the real server's default limits (bucket of 50
# requests draining 2 per second, time scale 1). Prints a markdown table of the runs.
#
# Usage: bench/bulk.sh
#   RUNS=3 OPERATIONS=5000   runs per tool, operations per run
#   FAST_BITRIX24=fast-bitrix24==1.8.14   the pip requirement to install
#   EMULATOR_BIN=path        use this emulator binary instead of building it in release
#
# Needs network access to PyPI (into a throw-away virtual environment, removed at exit) and
# stays out of CI, builds and tests.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
runs="${RUNS:-3}"
operations="${OPERATIONS:-5000}"
requirement="${FAST_BITRIX24:-fast-bitrix24==1.8.14}"
# The real defaults, spelled out; the theoretical minimum below is computed from them.
burst=50
drain=2
groups=10

work="$(mktemp -d)"
pid=""
stop_emulator() {
    if [ -n "$pid" ]; then
        kill -INT "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        pid=""
    fi
}
cleanup() {
    stop_emulator
    rm -rf "$work"
}
trap cleanup EXIT

log() { printf '%s\n' "$*" >&2; }

bin="${EMULATOR_BIN:-}"
if [ -z "$bin" ]; then
    log "building the emulator (release)"
    (cd "$root" && cargo build --release --quiet -p bitrix24-emulator)
    bin="${CARGO_TARGET_DIR:-$root/target}/release/bitrix24-emulator"
fi

log "installing $requirement into a temporary virtual environment"
python3 -m venv "$work/venv"
py="$work/venv/bin/python"
"$py" -m pip install --quiet --disable-pip-version-check "$requirement"

# The Rust driver: the same workload through this project's `Client::bulk` (an example of the
# tests crate, which depends on the generated crate), built once in release.
log "building bulk-bench (release)"
(cd "$root" && cargo build --release --quiet -p bitrix24-tests --example bulk-bench)
rust_bin="${CARGO_TARGET_DIR:-$root/target}/release/examples/bulk-bench"
run_rust() {
    "$rust_bin" --webhook "$1" --operations "$operations"
}

run_python() {
    "$py" "$here/fast_bitrix24_bulk.py" "$1" "$operations" \
        --first-user "$first_user" --first-group "$first_group" --groups "$groups"
}

# A fresh portal: the demo plus $1 generated users and $2 generated groups.
start_emulator() {
    "$bin" --port 0 --rate-burst "$burst" --rate-drain "$drain" --time-scale 1 \
        --users "$1" --groups "$2" >"$work/banner.txt" &
    pid=$!
    for _ in $(seq 200); do
        grep -q '^Press Ctrl-C' "$work/banner.txt" 2>/dev/null && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    webhook="$(sed -n 's/^Webhook URL: //p' "$work/banner.txt")"
    base="$(sed -n 's/^Bitrix24 emulator listening on //p' "$work/banner.txt")"
    first_user="$(sed -n 's/^Generated users: \([0-9]*\)-.*/\1/p' "$work/banner.txt")"
    first_group="$(sed -n 's/^Generated groups: \([0-9]*\)-.*/\1/p' "$work/banner.txt")"
    if [ -z "$webhook" ] || [ -z "$base" ] || { [ "$1" -gt 0 ] && [ -z "$first_user" ]; } \
        || { [ "$2" -gt 0 ] && [ -z "$first_group" ]; }; then
        log "the emulator did not start:"
        cat "$work/banner.txt" >&2
        exit 1
    fi
}

# The emulator's views: how many relations the portal holds; refusals and requests so far.
relation_count() {
    "$py" -c '
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + "/_emulator/state") as answer:
    print(len(json.load(answer)["relations"]))' "$base"
}
counters() {
    "$py" -c '
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + "/_emulator/counters") as answer:
    counters = json.load(answer)
print(counters["rate_limited"], counters["requests"])' "$base"
}

# field JSON NAME: a field of a JSON line, "" when null or missing.
field() {
    "$py" -c '
import json, sys
value = json.loads(sys.argv[1]).get(sys.argv[2])
print("" if value is None else value)' "$1" "$2"
}

minimum="$("$py" -c '
import math, sys
operations, burst, drain = (int(a) for a in sys.argv[1:])
print(max(math.ceil(operations / 50) - burst, 0) / drain)' "$operations" "$burst" "$drain")"

rows=()
errors=()
for run in $(seq "$runs"); do
    for tool in python rust; do
        start_emulator "$operations" "$groups"
        before="$(relation_count)"
        log "run $run: $tool"
        stderr="$work/stderr-$tool-$run.txt"
        if [ "$tool" = python ]; then
            line="$(run_python "$webhook" 2>"$stderr" | tail -n 1)" || true
        else
            line="$(run_rust "$webhook" 2>"$stderr" | grep '^{' | tail -n 1)" || true
        fi
        if [ -z "$line" ]; then
            log "  the driver printed no JSON line; the end of its stderr:"
            tail -n 5 "$stderr" >&2
            line="{\"tool\": \"$tool\", \"error\": \"the driver printed no JSON line\"}"
        fi
        log "  $line"
        read -r refusals requests < <(counters)
        after="$(relation_count)"
        stop_emulator
        name="$(field "$line" tool)"
        wall="$(field "$line" wall_s)"
        results="$(field "$line" results)"
        error="$(field "$line" error)"
        ratio="$("$py" -c '
import sys
wall, minimum, error = sys.argv[1], float(sys.argv[2]), sys.argv[3]
print(f"{float(wall) / minimum:.2f}" if wall and minimum > 0 and not error else "-")' \
            "$wall" "$minimum" "$error")"
        rows+=("| ${name:-$tool} | $run | ${wall:--} | $minimum | $ratio | $refusals | $requests | ${results:--} | $((after - before)) |")
        if [ -n "$error" ]; then
            # asyncio reports the client's other failed tasks on stderr when the loop ends.
            others="$(grep -c 'Task exception was never retrieved' "$stderr" || true)"
            errors+=("- ${name:-$tool}, run $run: $error; stderr held ${others:-0} more unretrieved task exceptions")
        fi
    done
done

echo "$operations sonet_group.user.add operations, $groups groups; bucket $burst, drain $drain/s;"
echo "theoretical minimum = (ceil($operations/50) - $burst) / $drain = $minimum s"
echo
echo "Columns: wall time reported by the driver; ratio = wall / minimum (- for a failed run);"
echo "refusals = QUERY_LIMIT_EXCEEDED answers the emulator sent; requests = /rest requests it"
echo "received; results = length of what the driver's call returned; added = relations created."
echo
echo "| tool | run | wall s | min s | ratio | refusals | requests | results | added |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
if [ "${#errors[@]}" -gt 0 ]; then
    echo
    echo "Errors:"
    printf '%s\n' "${errors[@]}"
fi
