#!/usr/bin/env bash
# Opens the page of `vicixfer serve` in headless Chromium and saves a screenshot.
#
#   scripts/screenshot.sh [OUT.png]      (default docs/serve-page.png)
#
# Installs Debian's chromium with apt-get if it is missing, builds the release binary,
# starts a server on a free loopback port (real clock, the built-in default world), walks
# a warm transfer and a consultative transfer with curl (as docs/serve.md does), then
# takes the screenshot and stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-docs/serve-page.png}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"

browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
    echo "screenshot: installing chromium (apt-get)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    browser="$(command -v chromium)"
fi
command -v curl >/dev/null || { apt-get update -qq; apt-get install -y -qq curl >/dev/null; }

cargo build --release --quiet
port=$(( 20000 + RANDOM % 20000 ))
log="$(mktemp)"
"$CARGO_TARGET_DIR/release/vicixfer" serve --listen "127.0.0.1:$port" --log "$log" >/dev/null &
server=$!
trap 'kill -INT "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$log"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 50); do curl -sf "$base/control/state" >/dev/null && break; sleep 0.1; done

auth='source=crm&user=6666&pass=1234'
inject() { curl -sf -X POST "$base/control/inject" -H 'Content-Type: application/json' -d "$1" >/dev/null; }
api() { curl -sf "$base/agc/api.php?$auth&$1" >/dev/null; }
for agent in 1001 1002 1003 1004; do inject "{\"action\":\"call\",\"agent\":\"$agent\"}"; done
api 'agent_user=1001&function=transfer_conference&value=DIAL_WITH_CUSTOMER&phone_number=5551234'
api 'agent_user=1002&function=transfer_conference&value=LOCAL_CLOSER&ingroup_choices=SALESLINE&consultative=YES'
api 'agent_user=1003&function=park_call&value=PARK_CUSTOMER'
api 'agent_user=1004&function=transfer_conference&value=DIAL_WITH_CUSTOMER&phone_number=5550000'
sleep 2.5
inject '{"action":"third_party","agent":"1001","does":"answer"}'
api 'agent_user=1001&function=transfer_conference&value=LEAVE_3WAY_CALL'
sleep 2.5

"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,1100 \
    --timeout=4000 --screenshot="$out" "$base/" >/dev/null 2>&1
echo "screenshot: $out"
