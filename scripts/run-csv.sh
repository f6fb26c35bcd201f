#!/usr/bin/env bash
# Runs a CSV test file in batch mode against one JVM per node:
#   scripts/run-csv.sh FILE.csv [options of `shardbank run`, e.g. --report report.json --sets 1,3 --clusters 5]
# Starts the nodes (scripts/start-cluster.sh) in a temporary run directory, runs the file with
# `shardbank run --connect --batch`, and stops the nodes again, also on errors and interrupts.
# Exits with the run's status. The topology options (--config, --clusters, --nodes-per-cluster,
# --items, --base-port, --data-dir) go to the nodes and to the run alike; the others only to the run.
# The run directory (node logs) is kept when the run fails, and removed otherwise.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ $# -lt 1 ]; then
  echo "usage: scripts/run-csv.sh FILE.csv [run options]" >&2
  exit 2
fi
file="$1"
shift

cluster_args=()
run_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --config|--clusters|--nodes-per-cluster|--items|--base-port|--data-dir)
      if [ $# -lt 2 ]; then
        echo "$1 needs a value" >&2
        exit 2
      fi
      cluster_args+=("$1" "$2")
      shift 2
      ;;
    --config=*|--clusters=*|--nodes-per-cluster=*|--items=*|--base-port=*|--data-dir=*)
      cluster_args+=("$1")
      shift
      ;;
    *)
      run_args+=("$1")
      shift
      ;;
  esac
done

run_dir="$(mktemp -d "${TMPDIR:-/tmp}/shardbank-run.XXXXXX")"
status=1
cleanup() {
  "$root/scripts/stop-cluster.sh" "$run_dir" >&2 || true
  if [ "$status" -eq 0 ]; then
    rm -rf "$run_dir"
  else
    echo "node logs kept in $run_dir" >&2
  fi
}
trap cleanup EXIT
# An interrupt ends the script through its EXIT trap, so the nodes are stopped then too.
trap 'status=130; exit 130' INT TERM

"$root/scripts/start-cluster.sh" "$run_dir" ${cluster_args[@]+"${cluster_args[@]}"} >&2
set +e
"$root/scripts/shardbank" run "$file" --connect --batch ${cluster_args[@]+"${cluster_args[@]}"} \
  ${run_args[@]+"${run_args[@]}"}
status=$?
set -e
exit "$status"
