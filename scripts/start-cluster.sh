#!/usr/bin/env bash
# Starts one JVM per node in the background.
#   scripts/start-cluster.sh [RUN_DIR] [shardbank options, e.g. --config FILE --base-port P --clusters N]
# Each node logs to RUN_DIR/<node>.log and records its pid in RUN_DIR/<node>.pid; its SQLite file
# is RUN_DIR/data/<node>.db unless --data-dir is given. Waits until every node has bound its port.
# scripts/start-node.sh RUN_DIR NODE [the same options] restarts a single node.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
run_dir="${1:-run}"
[ $# -gt 0 ] && shift
mkdir -p "$run_dir"
run_dir="$(cd "$run_dir" && pwd)"

# Builds the jar once, before the nodes start; prints the nodes of the topology.
nodes=$("$root/scripts/shardbank" nodes "$@")
starters=()
for node in $nodes; do
  "$root/scripts/start-node.sh" "$run_dir" "$node" "$@" &
  starters+=($!)
done
failed=0
for starter in "${starters[@]}"; do
  wait "$starter" || failed=1
done
if [ "$failed" -ne 0 ]; then
  echo "not every node started (run directory $run_dir)" >&2
  exit 1
fi
echo "started: $nodes (run directory $run_dir)"
