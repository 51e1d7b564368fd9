#!/usr/bin/env bash
# Third-party client check: drives the emulator with fast_bitrix24 (from PyPI) over HTTPS.
# Usage: emulator/compat/run.sh   (EMULATOR_BIN=path skips the cargo build)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
pid=""
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check fast-bitrix24
echo "client: $("$work/venv/bin/pip" show fast-bitrix24 | grep '^Version')"

bin="${EMULATOR_BIN:-}"
if [ -z "$bin" ]; then
    (cd "$root" && cargo build --quiet -p bitrix24-emulator)
    bin="${CARGO_TARGET_DIR:-$root/target}/debug/bitrix24-emulator"
fi

# fast_bitrix24 accepts http too, but verifies certificates when given https; the emulator's
# self-signed certificate is trusted through SSL_CERT_FILE, which aiohttp's default context reads.
"$bin" --port 0 --tls >"$work/banner.txt" &
pid=$!
for _ in $(seq 100); do
    grep -q '^Press Ctrl-C' "$work/banner.txt" 2>/dev/null && break
    sleep 0.1
done
webhook="$(sed -n 's/^Webhook URL: //p' "$work/banner.txt")"
pem="$(sed -n 's/^TLS certificate (PEM): //p' "$work/banner.txt")"
if [ -z "$webhook" ] || [ -z "$pem" ]; then
    echo "emulator did not start:" >&2
    cat "$work/banner.txt" >&2
    exit 1
fi

SSL_CERT_FILE="$pem" "$work/venv/bin/python" "$here/check.py" "$webhook"
