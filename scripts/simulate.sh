#!/usr/bin/env bash
# Runs the deterministic simulator over a range of seeds and prints one summary line.
# Exits non-zero when any seed breaks an invariant (its seed and last events are printed).
#
#   scripts/simulate.sh [--seeds N] [--first-seed S] [--stack bank|paxos] [--mutation NAME]
#
# The default is the full stack: Paxos, the shard state machine and two-phase commit on every
# node of 2-3 clusters. --stack paxos runs the Paxos-only simulation.
#
# Replay one seed:           scripts/simulate.sh --seeds 1 --first-seed 615
# Print every event as well: SIM_TRACE_ALL=true scripts/simulate.sh --seeds 1 --first-seed 615
set -euo pipefail
cd "$(dirname "$0")/.."
args="${*:---seeds 1000 --first-seed 1}"
# Not offline (-o): on a fresh machine Maven must first fetch the exec plugin (pinned in pom.xml).
exec mvn -q -B -ntp test-compile exec:java \
    -Dexec.classpathScope=test \
    -Dexec.mainClass=io.shardbank.sim.SimulationMain \
    -Dexec.cleanupDaemonThreads=false \
    -Dsim.traceAll="${SIM_TRACE_ALL:-false}" \
    -Dexec.args="$args"
