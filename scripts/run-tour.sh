#!/usr/bin/env bash
# Runs the API tour (docs/tour.sh) against a fresh embedded instance started from the build, so that
# the README cannot drift from the API: first checks that the README shows docs/tour.sh as it is.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -f dist/main.js ] || { echo "run-tour: no build in dist/: run npm run build first" >&2; exit 1; }

if ! awk '/^<!-- docs\/tour\.sh/ { inside = 1; getline; next } inside && /^```$/ { exit } inside' README.md | diff -u docs/tour.sh - >&2; then
  echo "run-tour: the README's copy of docs/tour.sh differs from the script (diff above): paste the script into the README" >&2
  exit 1
fi

data=$(mktemp -d)
log=$(mktemp)
token=tour-$(node -p 'require("node:crypto").randomBytes(16).toString("hex")')
# The association's WireGuard server, as the tour's tunnel step needs one: any 32 bytes make a well-formed public key.
server_key=$(node -p 'require("node:crypto").randomBytes(32).toString("base64")')
# Embedded mode whatever the caller's environment says: its own data dir, keys and a free port.
env -u DATABASE_URL -u REDIS_URL -u LANTERNE_MASTER_KEY -u LANTERNE_MASTER_KEY_FILE -u LANTERNE_SIGNING_KEY -u LANTERNE_SIGNING_KEY_FILE \
  LANTERNE_DATA_DIR="$data" PORT=0 HOST=127.0.0.1 LANTERNE_BOOTSTRAP_TOKEN="$token" LANTERNE_LOG_LEVEL=warn \
  LANTERNE_WIREGUARD_ENDPOINT=vpn.example.org:51820 LANTERNE_WIREGUARD_PUBLIC_KEY="$server_key" \
  node dist/main.js >"$log" 2>&1 &
pid=$!

stop() {
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "run-tour: the instance did not stop within 20 s of SIGTERM; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  rm -rf "$data" "$log"
}
trap stop EXIT

url=
for _ in $(seq 1 240); do
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "run-tour: the instance exited before answering /health" >&2; exit 1; }
  url=$(sed -n 's#^  health *\(http://[^ ]*\)/health$#\1#p' "$log")
  [ -n "$url" ] && curl -sf -o /dev/null "$url/health" && break
  url=
  sleep 0.5
done
[ -n "$url" ] || { cat "$log" >&2; echo "run-tour: /health did not answer 200 within 120 s" >&2; exit 1; }

echo "run-tour: instance at $url (data in $data)"
if ! LANTERNE_URL=$url LANTERNE_TOKEN=$token bash docs/tour.sh; then
  echo "run-tour: the tour failed; the instance's log:" >&2
  cat "$log" >&2
  exit 1
fi
