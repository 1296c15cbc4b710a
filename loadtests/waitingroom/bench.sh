#!/usr/bin/env bash
# How fast a shed customer is answered: the plain 503 (waiting room off), a waiting-room 503 for a request without a
# ticket (one issue.lua call to Redis each), and for a waiting customer retrying with their ticket (no Redis).
# Overload is made exact: a fixed limit of 1 held by one request the simulator answers after 58 s, so every other
# request is shed. Rate limits are off so that what is measured is admission, not 429s.
#
#   flock /tmp/surge-mvn.lock bash loadtests/waitingroom/bench.sh [--duration 20s] [--warmup 5s] [--customers 2000]
#                                                                  [--no-build]
# Each answer is measured at 4 connections (how long one shed answer takes) and 64 (how many the gateway can give).
#
# Targets only 127.0.0.1; bounded by --duration; every process it starts is stopped by PID when it exits.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
duration=20s
warmup=5s
customers=2000
connections=(4 64)
build=1
threads=2

while (($#)); do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --customers) customers=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is missing (Debian: apt-get install wrk)" >&2; exit 2; }

out="$root/loadtests/target/waitingroom"
mkdir -p "$out"
# shellcheck source=../lib/processes.sh
source "$root/loadtests/lib/processes.sh"

cd "$root"
if ((build)); then
  echo "building (mvn -q -B -o -DskipTests package)"
  mvn -q -B -o -DskipTests package
fi
gateway_pid=""
start_gateway() { # extra args...
  gateway_port=$(free_port)
  management_port=$(free_port)
  java -Xms1g -Xmx1g -jar "$root/gateway/target/surge-gateway-0.1.0.jar" --server.port="$gateway_port" \
    --management.server.port="$management_port" \
    --logging.level.root=WARN --surge.admission.fixed-limit=1 --surge.ratelimit.enabled=false \
    --surge.backoffice.timeout=60s "$@" >"$out/gateway-$gateway_port.log" 2>&1 &
  gateway_pid=$!
  pids+=("$gateway_pid")
  gateway_url="http://127.0.0.1:$gateway_port"
  management_url="http://127.0.0.1:$management_port" # the actuator has a port of its own
  wait_for "$management_url/actuator/health/readiness" 90
}
stop_gateway() {
  kill "$gateway_pid" 2>/dev/null || true
  wait "$gateway_pid" 2>/dev/null || true
}

# The one request that holds the limit: a customer outside the measured ones, whose profile takes 58 s. A new one
# only after the last has ended (a second would be shed while the first holds), and a new customer each time (the
# last one's profile is cached by now).
holder_pid=""
holder=99990
hold_limit() {
  local token
  [[ -n "$holder_pid" ]] && wait "$holder_pid" 2>/dev/null || true
  holder=$((holder + 1))
  curl -fsS -X DELETE "$gateway_url/demo/backoffice/faults" >/dev/null # minting asks the back office for the tier
  token=$(curl -fsS -X POST "$gateway_url/demo/tokens" -H 'Content-Type: application/json' \
    -d "{\"customerId\":\"c$holder\"}" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
  curl -fsS -X PUT "$gateway_url/demo/backoffice/faults" -H 'Content-Type: application/json' \
    -d '{"endpoints":{"customers":{"latencyMs":58000}}}' >/dev/null
  curl -s -o /dev/null --max-time 65 "$gateway_url/api/v1/me" -H "Authorization: Bearer $token" &
  holder_pid=$!
  pids+=("$holder_pid")
  # Watched through the metrics, not a request: a probe under /api/ could take the one slot before the holder does.
  local deadline=$((SECONDS + 10))
  until curl -s "$management_url/actuator/prometheus" | grep -Eq '^surge_admission_inflight [1-9]'; do
    ((SECONDS > deadline)) && { echo "the limit is not held" >&2; return 1; }
    sleep 0.1
  done
}

# Demo tokens of customers c1..cN (POST /demo/tokens is not under /api/, so never shed), one per line.
prepare_tokens() { # file
  python3 - "$gateway_url" "$customers" "$1" <<'PY'
import json, sys, urllib.request
from concurrent.futures import ThreadPoolExecutor
url, count, out_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def mint(n):
    req = urllib.request.Request(url + "/demo/tokens", data=json.dumps({"customerId": "c%d" % n}).encode(),
                                 headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req, timeout=10))["accessToken"]
with ThreadPoolExecutor(16) as pool:
    tokens = list(pool.map(mint, range(1, count + 1)))
open(out_file, "w").write("\n".join(tokens) + "\n")
PY
}

run() { # name, requests file: a warm-up, then one measurement per connection count into results[name-conns]
  SURGE_REQUESTS=$2 wrk -t"$threads" -c64 -d"$warmup" -s "$root/loadtests/waitingroom/shed.lua" \
    "$gateway_url" >"$out/wrk-$1-warmup.txt" 2>&1
  for c in "${connections[@]}"; do
    SURGE_REQUESTS=$2 wrk -t"$threads" -c"$c" -d"$duration" --latency \
      -s "$root/loadtests/waitingroom/shed.lua" "$gateway_url" >"$out/wrk-$1-$c.txt" 2>&1
    results[$1-$c]=$(grep '^SURGE_RESULT' "$out/wrk-$1-$c.txt" || echo "SURGE_RESULT failed, see $out/wrk-$1-$c.txt")
  done
}

declare -A results
echo "plain 503: waiting room off"
start_gateway --surge.admission.waiting-room.enabled=false
prepare_tokens "$out/tokens.txt"
hold_limit
run plain "$out/tokens.txt"
stop_gateway

echo "waiting room: new arrivals (a Redis call each), then waiting customers with their tickets (none)"
start_gateway
prepare_tokens "$out/tokens.txt"
hold_limit
run issue "$out/tokens.txt"
# No new holder from here on: with customers waiting, it would itself be given a place (the room working as meant).
# Tickets held are answered without the limiter; if the holder ends meanwhile, the first ticket admitted (at most one
# per tick) reaches the slow back office and holds the limit in its turn.
# Each customer's ticket, from one more shed request each (the same place they hold).
python3 - "$gateway_url" "$out/tokens.txt" "$out/tickets.txt" <<'PY'
import sys, urllib.request, urllib.error
from concurrent.futures import ThreadPoolExecutor
url, tokens_file, out_file = sys.argv[1:]
tokens = [t.strip() for t in open(tokens_file) if t.strip()]
def ticket(token):
    req = urllib.request.Request(url + "/api/v1/me", headers={"Authorization": "Bearer " + token})
    try:
        urllib.request.urlopen(req, timeout=10)
    except urllib.error.HTTPError as e:
        return token + " " + (e.headers.get("Surge-Waiting-Room-Ticket") or "")
    return token
with ThreadPoolExecutor(16) as pool:
    lines = list(pool.map(ticket, tokens))
open(out_file, "w").write("\n".join(lines) + "\n")
PY
run ticket "$out/tickets.txt"
stop_gateway

field() { sed -E "s/.*$2=([0-9.]+).*/\1/" <<<"$1"; }
echo
printf '%-8s %6s %10s %8s %8s %9s %8s %8s %7s\n' answer conns req/s p50_ms p99_ms p99.9_ms room plain other
for mode in plain issue ticket; do
  for c in "${connections[@]}"; do
    line=${results[$mode-$c]}
    printf '%-8s %6s %10s %8s %8s %9s %8s %8s %7s\n' "$mode" "$c" "$(field "$line" rps)" \
      "$(field "$line" p50_ms)" "$(field "$line" p99_ms)" "$(field "$line" p999_ms)" "$(field "$line" room)" \
      "$(field "$line" plain)" "$(field "$line" other)"
  done
done
echo "raw wrk output: $out"
