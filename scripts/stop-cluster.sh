#!/usr/bin/env bash
# Stops the node processes that scripts/start-cluster.sh started in RUN_DIR (default run/), and only those:
# all are asked to stop at once (SIGTERM, a graceful shutdown), and any still running after 10 s is killed.
set -euo pipefail
run_dir="${1:-run}"
shopt -s nullglob
stopping=()
for pid_file in "$run_dir"/*.pid; do
  pid="$(cat "$pid_file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    stopping+=("$(basename "$pid_file" .pid):$pid")
  fi
  rm -f "$pid_file"
done
for _ in $(seq 1 100); do
  alive=0
  for entry in "${stopping[@]+"${stopping[@]}"}"; do
    kill -0 "${entry#*:}" 2>/dev/null && alive=1
  done
  [ "$alive" -eq 0 ] && break
  sleep 0.1
done
for entry in "${stopping[@]+"${stopping[@]}"}"; do
  kill -0 "${entry#*:}" 2>/dev/null && kill -9 "${entry#*:}" 2>/dev/null || true
done
names=()
for entry in "${stopping[@]+"${stopping[@]}"}"; do
  names+=("${entry%%:*}")
done
echo "stopped: ${names[*]:-none}"
