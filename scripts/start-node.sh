#!/usr/bin/env bash
# Starts one node as a background JVM and waits until it listens; scripts/start-cluster.sh starts
# every node this way, and this restarts one that was stopped or killed:
#   scripts/start-node.sh RUN_DIR NODE [shardbank options, the same as given to start-cluster.sh]
# The node appends to RUN_DIR/<node>.log and records its pid in RUN_DIR/<node>.pid; its SQLite file
# is RUN_DIR/data/<node>.db unless --data-dir is given. SHARDBANK_NODE_JAVA_OPTS sets its JVM options.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ $# -lt 2 ]; then
  echo "usage: $0 RUN_DIR NODE [shardbank options]" >&2
  exit 2
fi
run_dir="$1"
node="$2"
shift 2
mkdir -p "$run_dir"
run_dir="$(cd "$run_dir" && pwd)"

args=("$@")
if ! printf '%s\n' "${args[@]+"${args[@]}"}" | grep -q -- '--data-dir'; then
  args+=(--data-dir "$run_dir/data")
fi
pid_file="$run_dir/$node.pid"
log="$run_dir/$node.log"
if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
  echo "$node is already running (pid $(cat "$pid_file"))" >&2
  exit 1
fi

# The log keeps every incarnation of the node: this one is up when one more "listening at" appears.
listening() { grep -c "listening at" "$log" 2>/dev/null || true; }
before="$(listening)"
SHARDBANK_JAVA_OPTS="${SHARDBANK_NODE_JAVA_OPTS:--Xmx512m}" \
  nohup "$root/scripts/shardbank" node "$node" "${args[@]}" >>"$log" 2>&1 &
echo $! >"$pid_file"
for _ in $(seq 1 600); do
  [ "$(listening)" -gt "${before:-0}" ] && exit 0
  if ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    echo "$node exited during start; its log:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.1
done
echo "$node did not start within 60 s" >&2
exit 1
