#!/usr/bin/env bash
# Stops the node processes that scripts/start-cluster.sh started in RUN_DIR (default run/), and only those.
set -euo pipefail
run_dir="${1:-run}"
shopt -s nullglob
stopped=()
for pid_file in "$run_dir"/*.pid; do
  pid="$(cat "$pid_file")"
  node="$(basename "$pid_file" .pid)"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    stopped+=("$node")
  fi
  rm -f "$pid_file"
done
echo "stopped: ${stopped[*]:-none}"
