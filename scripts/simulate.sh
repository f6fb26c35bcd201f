#!/usr/bin/env bash
# Runs the deterministic Paxos simulator over a range of seeds and prints one summary line.
# Exits non-zero when any seed breaks an invariant (its seed and last events are printed).
#
#   scripts/simulate.sh [--seeds N] [--first-seed S] [--mutation NAME]
#
# Replay one seed: scripts/simulate.sh --seeds 1 --first-seed 929
#
# The pom pins exec-maven-plugin's mainClass to the CLI, which -Dexec.mainClass cannot override,
# so this runs the test classpath through exec:exec instead of exec:java.
set -euo pipefail
cd "$(dirname "$0")/.."
args="${*:---seeds 1000 --first-seed 1}"
exec mvn -q -o test-compile exec:exec \
    -Dexec.classpathScope=test \
    -Dexec.executable=java \
    -Dexec.args="-cp %classpath io.shardbank.sim.SimulationMain $args"
