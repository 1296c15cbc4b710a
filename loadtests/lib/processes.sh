# Shared by the benchmark scripts (loadtests/*/bench.sh, loadtests/wrk/actions-bench.sh): source it after setting
# $out (the run's output folder). Every process a script starts goes into pids and is stopped, by PID, when the script
# exits, however it exits; ports are free loopback ports; nothing here leaves 127.0.0.1.

pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_for() { # url, seconds[, pid that must stay alive meanwhile]
  local deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    if [[ -n "${3:-}" ]] && ! kill -0 "$3" 2>/dev/null; then
      echo "the process behind $1 exited; see its log in $out" >&2
      return 1
    fi
    if ((SECONDS > deadline)); then
      echo "timed out waiting for $1" >&2
      return 1
    fi
    sleep 0.5
  done
}
