#!/usr/bin/env bash
# Benchmarks self-service actions (POST returns and cancellations, each with its own Idempotency-Key) on the Surge
# gateway started from its jar, beside the bare Reactor Netty baseline and the gateway's own read path in the same
# run, and prints actions/s, p50, p99, the gateway's CPU per action and the duplicated writes (must be 0).
#
#   bash loadtests/wrk/actions-bench.sh [--duration 30s] [--warmup 60s] [--action-warmup 30s] [--customers 4000]
#                                       [--connections 64] [--no-build]
#                                       [--before-jar path/to/older/surge-gateway.jar]   (also measure that jar's
#                                         read path in the same run: the ratio before and after a change)
#
# In order: the baseline (orders.lua, fixed body), the gateway's read path (orders.lua, each customer's newest
# order), the gateway's actions (actions.lua), then, with --before-jar, the older jar's read path; each warmed up
# first at the same connection count. Targets only 127.0.0.1; every phase is bounded in time; every process it
# starts is stopped by PID when it exits, however it exits.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
duration=30s
warmup=60s
action_warmup=30s
customers=4000
connections=64
build=1
before_jar=""
threads=2

while (($#)); do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --action-warmup) action_warmup=$2; shift 2 ;;
    --customers) customers=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --before-jar) before_jar=$(realpath "$2"); shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

# The simulator keeps the changes of at most 10,000 customers (surge.demo.max-changed-customers); beyond that it
# forgets the oldest customer's, keys included, and the duplicated-write count would no longer mean anything.
if ((customers > 10000)); then
  echo "--customers may not pass 10000, the simulator's bound on customers with changes" >&2
  exit 2
fi

if ! command -v wrk >/dev/null; then
  echo "wrk is missing: install it (Debian: sudo apt-get install wrk)" >&2
  exit 2
fi

out="$root/loadtests/target/actions-bench"
mkdir -p "$out"
# shellcheck source=../lib/processes.sh
source "$root/loadtests/lib/processes.sh"

cd "$root"
if ((build)); then
  echo "building (mvn -q -DskipTests package)"
  mvn -q -B -o -DskipTests package
fi
cp_file="$out/loadtests.classpath"
mvn -q -B -o -pl loadtests dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null 2>&1 \
  || mvn -q -B -pl loadtests dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
classpath="$root/loadtests/target/classes:$(cat "$cp_file")"

start_gateway() { # jar, log -> sets gateway_pid, gateway_url, management_url
  local port management
  port=$(free_port)
  management=$(free_port)
  java -Xms1g -Xmx1g -jar "$1" --server.port="$port" --server.address=127.0.0.1 \
    --management.server.port="$management" --management.server.address=127.0.0.1 \
    --logging.level.root=WARN >"$2" 2>&1 &
  gateway_pid=$!
  pids+=("$gateway_pid")
  gateway_url="http://127.0.0.1:$port"
  management_url="http://127.0.0.1:$management"
  wait_for "$management_url/actuator/health/readiness" 180 "$gateway_pid"
}

stop_gateway() { # pid
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

baseline_port=$(free_port)
java -Xmx512m -cp "$classpath" dev.surge.loadtests.baseline.BareNettyBaseline "$baseline_port" \
  >"$out/baseline.log" 2>&1 &
pids+=($!)
baseline_url="http://127.0.0.1:$baseline_port"
wait_for "$baseline_url/api/v1/me/orders/O1" 30

start_gateway "$root/gateway/target/surge-gateway-0.1.0.jar" "$out/gateway.log"

echo "preparing $customers customers (token, newest orders, the orders' actions)"
java -cp "$classpath" dev.surge.loadtests.wrk.ActionSetup "$gateway_url" "$customers" "$out/actions.txt" \
  "$out/reads.txt" | tee "$out/setup.txt"
export SURGE_ACTIONS="$out/actions.txt" SURGE_REQUESTS="$out/reads.txt"

run() { # name, script, url, duration -> SURGE_RESULT line
  local log="$out/wrk-$1.txt"
  timeout 600 wrk -t"$threads" -c"$connections" -d"$4" --latency -s "$root/loadtests/wrk/$2" "$3" >"$log" 2>&1
  grep '^SURGE_RESULT' "$log"
}

seconds_of() { # 30s, 2m -> seconds
  local n=${1%[smh]}
  case "$1" in *m) echo $((n * 60)) ;; *h) echo $((n * 3600)) ;; *) echo "$n" ;; esac
}

run_actions() { # name, duration -> SURGE_RESULT line plus write_seconds=<seconds writes were sent>
  # Writes until the last second, then the drain (actions.lua): no write is in flight when wrk stops.
  local start drain_at line
  start=$(date +%s.%N)
  drain_at=$(awk -v s="$start" -v d="$(seconds_of "$2")" 'BEGIN { printf "%d", s + d - 1 }')
  line=$(SURGE_DRAIN_AT=$drain_at run "$1" actions.lua "$gateway_url" "$2")
  echo "$line write_seconds=$(awk -v s="$start" -v e="$drain_at" 'BEGIN { printf "%.2f", e - s }')"
}

cpu_ticks() { # pid -> utime + stime in clock ticks (fields 14 and 15 of /proc/<pid>/stat, after the command name)
  sed -E 's/^.*\) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

write_stats() { # -> applied replayed refused, summed over the simulator's write endpoints
  curl -fsS "$gateway_url/demo/backoffice/stats" | python3 -c '
import json, sys
writes = json.load(sys.stdin)["writes"]
print(*(sum(w.get(k, 0) for w in writes.values()) for k in ("applied", "replayed", "refused")))'
}

field() { # line, name -> the number after " name=", or 0 when the line has none
  local value
  value=$(sed -nE "s/.* $2=(-?[0-9.]+).*/\1/p" <<<" $1")
  echo "${value:-0}"
}

echo "baseline: warm-up ($warmup), then $duration at $connections connections"
run baseline-warmup orders.lua "$baseline_url" "$warmup" >/dev/null
baseline=$(run baseline orders.lua "$baseline_url" "$duration")

echo "gateway read path: warm-up ($warmup), then $duration"
run reads-warmup orders.lua "$gateway_url" "$warmup" >/dev/null
reads=$(run reads orders.lua "$gateway_url" "$duration")

read -r applied0 replayed0 refused0 <<<"$(write_stats)"
export SURGE_RUN="w$(date +%s)"
echo "gateway actions: warm-up ($action_warmup), then $duration"
warm_actions=$(run_actions actions-warmup "$action_warmup")
redis_pid=$(pgrep -P "$gateway_pid" redis-server | head -1 || true)
export SURGE_RUN="m$(date +%s)"
ticks=$(getconf CLK_TCK)
cpu0=$(cpu_ticks "$gateway_pid")
redis0=$([[ -n "$redis_pid" ]] && cpu_ticks "$redis_pid" || echo 0)
actions=$(run_actions actions "$duration")
cpu1=$(cpu_ticks "$gateway_pid")
redis1=$([[ -n "$redis_pid" ]] && cpu_ticks "$redis_pid" || echo 0)
read -r applied1 replayed1 refused1 <<<"$(write_stats)"

echo "$applied0 $replayed0 $refused0 -> $applied1 $replayed1 $refused1" >"$out/backoffice-writes.txt"

before=""
if [[ -n "$before_jar" ]]; then
  stop_gateway "$gateway_pid"
  echo "read path of $before_jar: warm-up ($warmup), then $duration"
  # Not fatal: the figures above stand without it.
  if start_gateway "$before_jar" "$out/gateway-before.log"; then
    run before-warmup orders.lua "$gateway_url" "$warmup" >/dev/null
    before=$(run before orders.lua "$gateway_url" "$duration")
  else
    echo "the older jar did not get ready; its read path is not measured" >&2
  fi
fi

# Every action of the run (warm-up and measurement) has a key of its own and its answer read (the drain): the back
# office applied exactly the ones answered 2xx, refused the ones answered 409/422, and replayed none. A 502/504
# (outcome unknown: the gateway lost the back office's answer) may or may not have been made: the count is then exact
# only up to those. More applied than answered made plus unknown is a write made twice.
made_total=$(($(field "$warm_actions" made) + $(field "$actions" made)))
unknown_total=$(($(field "$warm_actions" unknown_502_504) + $(field "$actions" unknown_502_504)))
refused_total=$(($(field "$warm_actions" refused_409) + $(field "$warm_actions" refused_422) \
  + $(field "$actions" refused_409) + $(field "$actions" refused_422)))
applied=$((applied1 - applied0))
replayed=$((replayed1 - replayed0))
refused=$((refused1 - refused0))
duplicated=$((applied > made_total + unknown_total ? applied - made_total - unknown_total : 0))
n=$(field "$actions" actions)
actions_per_s=$(awk -v n="$n" -v s="$(field "$actions" write_seconds)" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
cpu_us=$(awk -v d=$((cpu1 - cpu0)) -v t="$ticks" -v n="$n" 'BEGIN { printf "%.0f", (n > 0 ? d / t * 1e6 / n : 0) }')
redis_us=$(awk -v d=$((redis1 - redis0)) -v t="$ticks" -v n="$n" 'BEGIN { printf "%.0f", (n > 0 ? d / t * 1e6 / n : 0) }')
base_rps=$(field "$baseline" rps)
ratio() { awk -v a="$1" -v b="$base_rps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

echo
printf '%-22s %6s %10s %9s %9s %8s %8s\n' target conns req/s p50_ms p99_ms errors ratio
printf '%-22s %6s %10s %9s %9s %8s %8s\n' baseline "$connections" "$base_rps" "$(field "$baseline" p50_ms)" \
  "$(field "$baseline" p99_ms)" "$(field "$baseline" errors)" 1.00
printf '%-22s %6s %10s %9s %9s %8s %8s\n' "gateway reads" "$connections" "$(field "$reads" rps)" \
  "$(field "$reads" p50_ms)" "$(field "$reads" p99_ms)" "$(field "$reads" errors)" "$(ratio "$(field "$reads" rps)")"
if [[ -n "$before" ]]; then
  printf '%-22s %6s %10s %9s %9s %8s %8s\n' "before-jar reads" "$connections" "$(field "$before" rps)" \
    "$(field "$before" p50_ms)" "$(field "$before" p99_ms)" "$(field "$before" errors)" \
    "$(ratio "$(field "$before" rps)")"
fi
printf '%-22s %6s %10s %9s %9s %8s %8s\n' "gateway actions" "$connections" "$actions_per_s" \
  "$(field "$actions" p50_ms)" "$(field "$actions" p99_ms)" "$(field "$actions" errors)" "$(ratio "$actions_per_s")"
echo
echo "actions measured: $n in $(field "$actions" write_seconds) s ($(field "$actions" made) made," \
  "$(field "$actions" refused_409) refused 409, $(field "$actions" refused_422) refused 422)," \
  "429: $(field "$actions" limited_429), 503: $(field "$actions" shed_503), drain answers: $(field "$actions" drained)"
echo "gateway_cpu_us_per_action=$cpu_us (user + system of the gateway process, back-office simulator included)" \
  "redis_cpu_us_per_action=$redis_us"
echo "back office over the action phase: applied=$applied replayed=$replayed refused=$refused;" \
  "answered (warm-up + measured): made=$made_total refused=$refused_total unknown=$unknown_total;" \
  "duplicated_writes=$duplicated"
echo "raw wrk output: $out"
if ((duplicated > 0 || replayed > 0)); then
  echo "DUPLICATED WRITES: the back office applied more writes than were answered as made" >&2
  exit 1
fi
if ((applied < made_total || applied > made_total + unknown_total || refused < refused_total \
  || refused > refused_total + unknown_total)); then
  echo "INEXACT COUNT: the back office's write counts differ from the answers wrk read" >&2
  exit 1
fi
