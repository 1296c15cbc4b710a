#!/usr/bin/env bash
# Benchmarks GET /api/v1/me/orders/{orderId} on the Surge gateway against the bare Reactor Netty baseline, in the
# same run, at 64 and 512 connections. Baseline and gateway are measured in turns (--pairs rounds, each a baseline
# then a gateway measurement per connection count), so a machine whose speed drifts during the run moves both; it
# prints every pair's req/s, p50, p99, errors and ratio, then per connection count the median ratio with its spread
# (lowest and highest pair), and, for a gateway it started, the gateway's CPU time per request.
#
#   bash loadtests/wrk/bench.sh [--duration 30s] [--warmup 60s] [--pairs 3] [--customers 10000] [--no-build]
#                               [--gateway-url http://127.0.0.1:8080]   (use a running gateway instead of starting one)
#                               [--management-url http://127.0.0.1:8081] (its actuator; default: its host, port 8081)
#                               [--gateway-args "--surge.backoffice.timeout=1s"]   (extra gateway arguments)
#                               [--gateway-jvm "-XX:+UseParallelGC"]   (extra JVM options for the gateway)
#                               [--requests loadtests/target/bench/requests.txt]   (the requests an earlier run
#                                 prepared, instead of preparing them on this gateway: for a gateway that sheds
#                                 everything, e.g. --gateway-args "--surge.admission.fixed-limit=1")
#
# Targets only 127.0.0.1. Every process it starts is stopped by PID when it exits, however it exits.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
duration=30s
warmup=60s
customers=10000
build=1
gateway_url=""
management_url=""
gateway_args=""
gateway_jvm=""
gateway_pid=""
requests=""
threads=2
pairs=3
connections=(64 512)

while (($#)); do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --customers) customers=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --gateway-url) gateway_url=$2; shift 2 ;;
    --management-url) management_url=$2; shift 2 ;;
    --gateway-args) gateway_args=$2; shift 2 ;;
    --gateway-jvm) gateway_jvm=$2; shift 2 ;;
    --requests) requests=$(realpath "$2"); shift 2 ;;
    --pairs) pairs=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

if [[ -n "$gateway_url" && ! "$gateway_url" =~ ^http://(127\.[0-9]+\.[0-9]+\.[0-9]+|localhost)(:[0-9]+)?/?$ ]]; then
  echo "--gateway-url must be on loopback (127.x.x.x or localhost): benchmarks never leave this machine" >&2
  exit 2
fi

if ! command -v wrk >/dev/null; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "installing wrk from Debian's packages"
    apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null
  else
    echo "wrk is missing: install it (Debian: sudo apt-get install wrk)" >&2
    exit 2
  fi
fi

out="$root/loadtests/target/bench"
mkdir -p "$out"
# shellcheck source=../lib/processes.sh
source "$root/loadtests/lib/processes.sh"

cd "$root"
if ((build)); then
  echo "building (mvn -q -DskipTests package)"
  mvn -q -B -DskipTests package
fi
cp_file="$out/loadtests.classpath"
mvn -q -B -o -pl loadtests dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null 2>&1 \
  || mvn -q -B -pl loadtests dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
classpath="$root/loadtests/target/classes:$(cat "$cp_file")"

baseline_port=$(free_port)
java -Xmx512m -cp "$classpath" dev.surge.loadtests.baseline.BareNettyBaseline "$baseline_port" \
  >"$out/baseline.log" 2>&1 &
pids+=($!)
baseline_url="http://127.0.0.1:$baseline_port"

if [[ -z "$gateway_url" ]]; then
  gateway_port=$(free_port)
  management_port=$(free_port)
  # shellcheck disable=SC2086 # gateway_jvm and gateway_args are lists of arguments
  java -Xms1g -Xmx1g $gateway_jvm -jar "$root/gateway/target/surge-gateway-0.1.0.jar" --server.port="$gateway_port" \
    --management.server.port="$management_port" --logging.level.root=WARN $gateway_args >"$out/gateway.log" 2>&1 &
  pids+=($!)
  gateway_pid=$!
  gateway_url="http://127.0.0.1:$gateway_port"
  management_url="http://127.0.0.1:$management_port"
fi
gateway_url=${gateway_url%/}
if [[ -z "$management_url" ]]; then
  management_url="${gateway_url%:*}:8081" # the actuator's own port (management.server.port)
fi

wait_for "$baseline_url/api/v1/me/orders/O1" 30
wait_for "$management_url/actuator/health/readiness" 90

requests_file="$out/requests.txt"
if [[ -n "$requests" ]]; then
  requests_file="$out/requests-given.txt"
  cp "$requests" "$requests_file"
  echo "using the requests in $requests"
else
  echo "preparing $customers customers (token + newest order each)"
  java -cp "$classpath" dev.surge.loadtests.wrk.RequestSetup "$gateway_url" "$customers" "$requests_file"
fi
export SURGE_REQUESTS="$requests_file"

script="$root/loadtests/wrk/orders.lua"
declare -A results cpu
run() { # name, url, connections, duration -> SURGE_RESULT line
  local log="$out/wrk-$1-$3.txt"
  wrk -t"$threads" -c"$3" -d"$4" --latency -s "$script" "$2" >"$log" 2>&1
  grep '^SURGE_RESULT' "$log"
}
cpu_ticks() { # user + system clock ticks of the gateway this script started, or 0
  if [[ -n "$gateway_pid" && -r /proc/$gateway_pid/stat ]]; then
    awk '{ print $14 + $15 }' "/proc/$gateway_pid/stat"
  else
    echo 0
  fi
}
field() { sed -E "s/.*$2=([0-9.]+).*/\1/" <<<"$1"; }

for target in baseline gateway; do
  url=$baseline_url
  [[ $target == gateway ]] && url=$gateway_url
  echo "warming up $target ($warmup)"
  run "$target-warmup" "$url" 64 "$warmup" >/dev/null
done

ticks_per_second=$(getconf CLK_TCK)
for ((pair = 1; pair <= pairs; pair++)); do
  for c in "${connections[@]}"; do
    echo "pair $pair of $pairs: baseline, then gateway, at $c connections ($duration each)"
    results[baseline-$c-$pair]=$(run "baseline-$pair" "$baseline_url" "$c" "$duration")
    before=$(cpu_ticks)
    results[gateway-$c-$pair]=$(run "gateway-$pair" "$gateway_url" "$c" "$duration")
    after=$(cpu_ticks)
    requests=$(field "${results[gateway-$c-$pair]}" requests)
    cpu[$c-$pair]=$(awk -v t=$((after - before)) -v hz="$ticks_per_second" -v n="$requests" \
      'BEGIN { if (t > 0 && n > 0) printf "%.0f", t * 1e6 / hz / n; else printf "-" }')
  done
done

echo
printf '%-5s %6s %-9s %10s %9s %9s %8s %8s %12s\n' pair conns target req/s p50_ms p99_ms errors ratio cpu_us/req
declare -A ratios
for c in "${connections[@]}"; do
  for ((pair = 1; pair <= pairs; pair++)); do
    base_rps=$(field "${results[baseline-$c-$pair]}" rps)
    for target in baseline gateway; do
      line=${results[$target-$c-$pair]}
      rps=$(field "$line" rps)
      ratio=$(awk -v a="$rps" -v b="$base_rps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
      per_request="-"
      if [[ $target == gateway ]]; then
        ratios[$c]+="$ratio "
        per_request=${cpu[$c-$pair]}
      fi
      printf '%-5s %6s %-9s %10s %9s %9s %8s %8s %12s\n' "$pair" "$c" "$target" "$rps" "$(field "$line" p50_ms)" \
        "$(field "$line" p99_ms)" "$(field "$line" errors)" "$ratio" "$per_request"
    done
  done
done
echo
for c in "${connections[@]}"; do
  # shellcheck disable=SC2086 # the ratios are a list of words
  sorted=($(printf '%s\n' ${ratios[$c]} | sort -n))
  n=${#sorted[@]}
  median=$(printf '%s\n' "${sorted[@]}" | awk -v n="$n" '{ v[NR] = $1 } END {
    printf "%.2f", (n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2) }')
  echo "gateway ÷ baseline at $c connections: median $median over $n pairs (spread ${sorted[0]} to ${sorted[n - 1]})"
done
echo
echo "raw wrk output: $out"
