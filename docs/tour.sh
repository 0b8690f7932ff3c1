#!/usr/bin/env bash
# A tour of the Lanterne API, from the first login to the end of a membership.
# Needs bash, curl ≥ 7.76 and node (already there for Lanterne); run it against a fresh instance
# started with LANTERNE_WIREGUARD_ENDPOINT and LANTERNE_WIREGUARD_PUBLIC_KEY set (the tunnel step needs them):
#   LANTERNE_URL=http://127.0.0.1:3000 LANTERNE_TOKEN=lnt_… bash docs/tour.sh
# Every call fails the script on an unexpected status, and each `expect` checks an answer.
set -euo pipefail

B=${LANTERNE_URL:?set LANTERNE_URL, e.g. http://127.0.0.1:3000}/api/v1
ADMIN=${LANTERNE_TOKEN:?set LANTERNE_TOKEN to the admin token printed on first start (or LANTERNE_BOOTSTRAP_TOKEN)}
TOKEN=$ADMIN

# api METHOD PATH [JSON]: one call as $TOKEN; prints the answer, or fails naming the call.
api() {
  local body=() answer
  [ $# -ge 3 ] && body=(-H 'content-type: application/json' --data-binary "$3")
  answer=$(curl -sS --fail-with-body -X "$1" "$B$2" -H "Authorization: Bearer $TOKEN" "${body[@]}") ||
    { echo "tour: $1 $2 failed: $answer" >&2; return 1; }
  echo "$answer"
}
# get FIELD: a field of the JSON on stdin, by dotted path (items.0.id); fails when it is absent.
get() {
  node -e 'let text = "";
    process.stdin.on("data", (d) => (text += d)).on("end", () => {
      let v;
      try { v = JSON.parse(text); } catch { process.exit(1); }
      for (const key of process.argv[1].split(".")) v = v?.[key];
      if (v === undefined) process.exit(1);
      console.log(typeof v === "object" ? JSON.stringify(v) : v);
    });' "$1"
}
# expect WHAT ACTUAL WANTED: stops the tour when an answer is not what the API promises.
expect() { [ "$2" = "$3" ] || { echo "tour: $1 is '$2', expected '$3'" >&2; exit 1; }; echo "ok: $1 is $3"; }
days_ago() { node -p "new Date(Date.now() - $1 * 86400e3).toISOString()"; }
step() { printf '\n## %s\n' "$*"; }

step "who am I (the token printed on first start)"
expect "the admin's roles" "$(api GET /me | get roles)" '["admin"]'

step "an account for a technician: its token is shown once and stored only as a hash"
TECH=$(api POST /users '{"name":"Camille","roles":["technician"]}' | get token)
TOKEN=$TECH
expect "the technician's roles" "$(api GET /me | get roles)" '["technician"]'

step "a member: operational data only (a legal identity never lives in this record)"
M=$(api POST /subscribers '{"displayName":"Alice","email":"alice@example.org"}')
echo "$M"
ID=$(echo "$M" | get id)
expect "a new member's status" "$(echo "$M" | get status)" pending
api PATCH "/subscribers/$ID" '{"status":"active"}'
expect "members matching alice" "$(api GET '/subscribers?q=alice&status=active' | get total)" 1

step "a subscription, started a month ago (history migrated from an older system may lie in the past)"
S=$(api POST /subscriptions "{\"subscriberId\":\"$ID\",\"service\":\"vpn\",\"startsAt\":\"$(days_ago 30)\"}" | get id)

step "IP pools: public IPv4 addresses one by one, IPv6 /56 prefixes"
P4=$(api POST /ip-pools '{"name":"v4-public","prefix":"198.51.100.0/24","assignLength":32}' | get id)
P6=$(api POST /ip-pools '{"name":"v6-members","prefix":"2001:db8:4200::/40","assignLength":56,"quarantineDays":90}' | get id)

step "assignments: the lowest free block (never .0 or .255 of a /24), or the one asked for"
A4=$(api POST "/subscriptions/$S/ip-assignments" "{\"poolId\":\"$P4\",\"validFrom\":\"$(days_ago 30)\"}")
echo "$A4"
expect "the first IPv4 address" "$(echo "$A4" | get prefix)" 198.51.100.1/32
A6=$(api POST "/subscriptions/$S/ip-assignments" "{\"poolId\":\"$P6\",\"prefix\":\"2001:db8:4200:100::/56\"}" | get id)
api GET "/ip-pools/$P4"    # … "size":254,"assigned":1,"quarantined":0,"free":253

step "who holds an address now; a past instant needs a purpose and is recorded in the ledger"
expect "the holder now" "$(api GET '/ip-assignments?address=198.51.100.1' | get items.0.subscriptionId)" "$S"
expect "the holder a week ago" "$(api GET "/ip-assignments?address=198.51.100.1&at=$(days_ago 7)&purpose=abuse%20report%20%2342&purposeCategory=support" | get items.0.subscriptionId)" "$S"

step "MTU: what a tunnel leaves for the member's packets"
expect "WireGuard over IPv6 on 1500" "$(api POST /mtu/compute '{"underlayMtu":1500,"layers":["ipv6","udp","wireguard"],"carries":["ipv4","ipv6"]}' | get innerMtu)" 1420

step "tunnel settings for the subscription, from a named operator line, and the CPE-side configuration"
api POST /tunnel-presets '{"name":"wholesale-1432","underlayMtu":1432,"layers":["ipv6","udp","wireguard"]}'
# a preset is referenced by its name (or its id)
expect "the tunnel's inner MTU" "$(api PUT "/subscriptions/$S/tunnel" '{"preset":"wholesale-1432","carries":["ipv4","ipv6"]}' | get innerMtu)" 1352
# the CPE makes its key pair at home and only its public key comes here (a CPE prints it with wg pubkey)
CPE_KEY=$(node -p 'require("node:crypto").randomBytes(32).toString("base64")')
expect "the CPE's registered key" "$(api PUT "/subscriptions/$S/tunnel/peer" "{\"type\":\"wireguard\",\"publicKey\":\"$CPE_KEY\"}" | get publicKey)" "$CPE_KEY"
api GET "/subscriptions/$S/tunnel/config?format=wireguard"    # Address = 198.51.100.1/32, 2001:db8:4200:100::1/128, MTU = 1352, MSS clamp, [Peer]
# the server side, for the association's router (or lanterne export-router from cron)
api GET /tunnels/router-export/wireguard    # [Peer] PublicKey = $CPE_KEY, AllowedIPs = 198.51.100.1/32, 2001:db8:4200:100::/56

step "a CPE lent to the subscription"
C=$(api POST /cpe '{"model":"Turris Omnia","serial":"TO-1234","macAddresses":["D8-58-D7-00-12-34"]}' | get id)
expect "the CPE's MAC address" "$(api GET "/cpe/$C" | get macAddresses.0)" d8:58:d7:00:12:34
expect "the CPE once lent" "$(api POST "/cpe/$C/assign" "{\"subscriptionId\":\"$S\"}" | get status)" assigned

step "the ledger: a signed checkpoint anyone can fetch, and proofs that need no trust in the server"
CP=$(curl -sS --fail-with-body "$B/ledger/checkpoint")
echo "$CP"
SIZE=$(echo "$CP" | get treeSize)
# the hashes that prove the newest entry is in the signed tree, and that the tree of the first entry
# is a prefix of it (nothing since was rewritten); docs/ledger.md shows how to check them yourself
curl -sS --fail-with-body "$B/ledger/proofs/inclusion?index=$((SIZE - 1))&treeSize=$SIZE"; echo
curl -sS --fail-with-body "$B/ledger/proofs/consistency?first=1&second=$SIZE"; echo
# an admin (or ccj) can have the server recompute every hash and checkpoint
TOKEN=$ADMIN
expect "the ledger's verification" "$(api GET /ledger/verify | get ok)" true
TOKEN=$TECH

step "releasing a block: it stays in quarantine for the pool's quarantineDays"
api POST "/ip-assignments/$A6/release" '{}'
expect "IPv6 prefixes in quarantine" "$(api GET "/ip-pools/$P6" | get quarantined)" 1

step "ending the subscription releases its addresses; its CPE is then to collect"
expect "the subscription's status" "$(api POST "/subscriptions/$S/end" '{}' | get status)" ended
expect "holders of 198.51.100.1 now" "$(api GET '/ip-assignments?address=198.51.100.1' | get total)" 0
expect "CPEs to collect" "$(api GET /cpe/to-collect | get total)" 1
api POST "/cpe/$C/return" '{"condition":"ok"}'
api GET "/cpe/$C/history"

step "terminating the membership (it ends any subscription still running at the same instant)"
expect "the member's status" "$(api POST "/subscribers/$ID/terminate" '{}' | get status)" terminated

echo
echo "tour: every step answered as expected"
