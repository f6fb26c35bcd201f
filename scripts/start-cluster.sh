#!/usr/bin/env bash
# Starts one JVM per node in the background.
#   scripts/start-cluster.sh [RUN_DIR] [shardbank options, e.g. --config FILE --base-port P --clusters N]
# Each node logs to RUN_DIR/<node>.log and records its pid in RUN_DIR/<node>.pid; its SQLite file
# is RUN_DIR/data/<node>.db unless --data-dir is given. Waits until every node has bound its port.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
run_dir="${1:-run}"
[ $# -gt 0 ] && shift
mkdir -p "$run_dir"
run_dir="$(cd "$run_dir" && pwd)"

"$root/scripts/shardbank" --help >/dev/null   # builds the jar once, before the nodes start
jar="$root/target/shardbank-0.1.0-SNAPSHOT-all.jar"

args=("$@")
if ! printf '%s\n' "${args[@]+"${args[@]}"}" | grep -q -- '--data-dir'; then
  args+=(--data-dir "$run_dir/data")
fi
nodes=$(java -cp "$jar" io.shardbank.cli.Main nodes "${args[@]}")
for node in $nodes; do
  if [ -f "$run_dir/$node.pid" ] && kill -0 "$(cat "$run_dir/$node.pid")" 2>/dev/null; then
    echo "$node is already running (pid $(cat "$run_dir/$node.pid"))" >&2
    exit 1
  fi
  # shellcheck disable=SC2086
  nohup java ${SHARDBANK_NODE_JAVA_OPTS:--Xmx512m} -jar "$jar" node "$node" "${args[@]}" \
    >"$run_dir/$node.log" 2>&1 &
  echo $! >"$run_dir/$node.pid"
done
for node in $nodes; do
  for _ in $(seq 1 300); do
    grep -q "listening at" "$run_dir/$node.log" 2>/dev/null && break
    if ! kill -0 "$(cat "$run_dir/$node.pid")" 2>/dev/null; then
      echo "$node exited during start; its log:" >&2
      cat "$run_dir/$node.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  grep -q "listening at" "$run_dir/$node.log" || { echo "$node did not start within 30 s" >&2; exit 1; }
done
echo "started: $nodes (run directory $run_dir)"
