#!/usr/bin/env bash
# Benchmarks escalations end to end on one gateway with its embedded Redis: creates a fixed number at a fixed
# concurrency, has agents claim, accept and resolve them all, and prints created/s, p50/p99 of create, claimed/s,
# the CPU time per create of the gateway, its embedded Redis and the load generator, and the lost and duplicated
# counts (both must be 0). Agents take turns (32 claim loops over 128 agent tokens), since
# each agent token is rate-limited to 50 requests a second.
#
#   bash loadtests/escalation/bench.sh [--count 30000] [--concurrency 64] [--customers 2000] [--agents 128]
#                                      [--warmup 20000] [--no-build] [--gateway-args "..."] [--gateway-jvm "..."]
#                                      [--rate 1000]   (open model: creates arrive at this rate; latency counted
#                                                       from each one's scheduled arrival)
#
# Targets only 127.0.0.1. Every process it starts is stopped by PID when it exits, however it exits.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
count=30000
concurrency=64
customers=2000
agents=128
warmup=20000
build=1
gateway_args=""
gateway_jvm=""
rate=0

while (($#)); do
  case "$1" in
    --count) count=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --customers) customers=$2; shift 2 ;;
    --agents) agents=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --gateway-args) gateway_args=$2; shift 2 ;;
    --gateway-jvm) gateway_jvm=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

out="$root/loadtests/target/bench-escalation"
mkdir -p "$out"
# shellcheck source=../lib/processes.sh
source "$root/loadtests/lib/processes.sh"

cd "$root"
if ((build)); then
  echo "building (mvn -q -DskipTests package)"
  mvn -q -B -o -DskipTests package || mvn -q -B -DskipTests package
fi
cp_file="$out/loadtests.classpath"
mvn -q -B -o -pl loadtests dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null 2>&1 \
  || mvn -q -B -pl loadtests dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
classpath="$root/loadtests/target/classes:$(cat "$cp_file")"

gateway_port=$(free_port)
management_port=$(free_port)
spool="$out/spool"
rm -rf "$spool"
# shellcheck disable=SC2086 # gateway_jvm and gateway_args are lists of arguments
java -Xms1g -Xmx1g $gateway_jvm -jar "$root/gateway/target/surge-gateway-0.1.0.jar" --server.port="$gateway_port" \
  --management.server.port="$management_port" \
  --logging.level.root=WARN --surge.escalation.spool-dir="$spool" $gateway_args >"$out/gateway.log" 2>&1 &
pids+=($!)
gateway_url="http://127.0.0.1:$gateway_port"

deadline=$((SECONDS + 90))
until curl -fsS -o /dev/null "http://127.0.0.1:$management_port/actuator/health/readiness" 2>/dev/null; do
  if ((SECONDS > deadline)); then
    echo "timed out waiting for the gateway" >&2
    exit 1
  fi
  sleep 0.5
done

java -Xmx512m -cp "$classpath" dev.surge.loadtests.escalation.EscalationBench "$gateway_url" "$count" \
  "$concurrency" "$customers" "$agents" "$warmup" "${pids[0]}" "$rate" | tee "$out/result.txt"
echo "spooled during the run (0 expected): $(cat "$spool"/*.jsonl 2>/dev/null | wc -l)"
echo "gateway log: $out/gateway.log"
