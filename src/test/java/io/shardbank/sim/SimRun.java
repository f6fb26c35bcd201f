package io.shardbank.sim;

import io.shardbank.paxos.PaxosReplica;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import java.util.function.Function;

/**
 * What every deterministic run shares, the Paxos-only one ({@link Simulation}) and the full-stack
 * one ({@link BankSimulation}): one {@link SplittableRandom} seeded with the run's seed, virtual
 * time in an {@link EventQueue}, the {@link SimNetwork}, the {@link Trace}, the counters, the
 * ledger of votes sent, the clusters of simulated hosts, and the shape of a run.
 *
 * <p>A run has two phases. In the fault phase the subclass injects faults: messages are dropped,
 * duplicated and reordered, links are cut and healed, and nodes crash and restart. Then faults
 * stop, every node comes back and the network heals, and within the liveness bound every client
 * must have its answers and every cluster converge; the subclass says what converged means and
 * checks safety throughout. A broken invariant or an error ends the run as a
 * {@link SimulationFailure} that names the seed and the last events.
 *
 * @param <C> the run's shape, drawn from the seed
 * @param <N> the simulated host of one node
 */
abstract class SimRun<C extends SimRun.Shape, N extends SimRun.Host> {

    /** What every run's shape names: how the network misbehaves, the phases, the planted bug. */
    interface Shape {
        SimNetwork.Faults network();

        Phases phases();

        Mutation mutation();
    }

    /**
     * The phases of a run.
     *
     * @param faultPhaseMs faults happen until this virtual time
     * @param faultGapMaxMs the longest pause between two faults
     * @param faultDurationMaxMs the longest a node stays down or a link cut (a little more is added)
     * @param livenessBoundMs after the fault phase, everything must be answered and converged within this long
     */
    record Phases(long faultPhaseMs, long faultGapMaxMs, long faultDurationMaxMs, long livenessBoundMs) {
    }

    /** One simulated node as the run drives it. */
    interface Host {
        int id();

        boolean isUp();

        /** Starts (or restarts) from what the node's disk holds; {@code bootstrap} as a fresh cluster. */
        void start(boolean bootstrap);

        /** The process dies: memory and unsynced writes are gone. */
        void crash();

        PaxosReplica replica();
    }

    /** How a run ended: its counters and a fingerprint of its final state (equal for equal seeds). */
    record Result(SimStats stats, String fingerprint) {
    }

    private static final long CONVERGENCE_CHECK_MS = 50;

    final long seed;
    final SplittableRandom random;
    final EventQueue queue = new EventQueue();
    final Trace trace = new Trace();
    final SimStats stats = new SimStats();
    final VoteLedger votes = new VoteLedger();
    final List<List<N>> clusters = new ArrayList<>();
    final List<N> allNodes = new ArrayList<>();
    final C config;
    final Phases phases;
    final SimNetwork network;
    boolean faultsOn = true;
    private boolean converged;

    /** Draws the run's shape from the seed's generator first, then the network's generator. */
    SimRun(long seed, Function<SplittableRandom, C> drawShape) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.config = drawShape.apply(random);
        this.phases = config.phases();
        this.network = new SimNetwork(queue, random.split(), trace, stats, config.network());
    }

    /** The run's shape, drawn from its seed (printed with a failure). */
    C config() {
        return config;
    }

    /** Creates the nodes and clients, registers them with the network, and starts them. */
    abstract void build();

    /** Starts the fault phase's injector (and any listener on sent messages). */
    abstract void startFaults();

    abstract boolean clientsDone();

    abstract boolean isConverged(List<N> cluster);

    /** Checks that hold once every cluster converged. */
    abstract void finalChecks();

    /** The state of the clusters and the clients still waiting, for a liveness failure. */
    abstract String describe();

    /** One node's part of the fingerprint. */
    abstract String fingerprintOf(N node);

    final Result run() {
        try {
            build();
            startFaults();
            queue.at(phases.faultPhaseMs(), this::endFaults);
            long deadline = phases.faultPhaseMs() + phases.livenessBoundMs();
            while (!converged && queue.runNext(deadline)) {
                // every event is checked as it runs
            }
            if (!converged) {
                throw new ClusterChecker.Violation("liveness: not converged " + phases.livenessBoundMs()
                        + " ms after faults stopped: " + describe());
            }
            finalChecks();
        } catch (ClusterChecker.Violation violation) {
            throw new SimulationFailure(seed, violation.getMessage() + "\n  config: " + config(), trace.lastEvents(),
                    null);
        } catch (RuntimeException | StackOverflowError error) {
            throw new SimulationFailure(seed, error + "\n  config: " + config(), trace.lastEvents(), error);
        }
        stats.seeds = 1;
        stats.events = queue.executed();
        return new Result(stats, fingerprint());
    }

    // ---------------------------------------------------------------- faults

    void crash(N node, long downMs) {
        if (!node.isUp() || !faultsOn) {
            return;
        }
        stats.crashes++;
        node.crash();
        queue.after(downMs, () -> restart(node));
    }

    private void restart(N node) {
        if (!node.isUp()) {
            stats.recoveries++;
            node.start(false);
        }
    }

    void partition(int partitionId, String what, long durationMs) {
        trace.record(queue.now(), "partition", 0, 0, what);
        queue.after(durationMs, () -> {
            trace.record(queue.now(), "heal", 0, 0, what);
            network.heal(partitionId);
        });
    }

    /** The leader of {@code cluster} if one is up, else {@code fallback}. */
    N leaderOr(List<N> cluster, N fallback) {
        return cluster.stream().filter(n -> n.isUp() && n.replica().isLeader()).findFirst().orElse(fallback);
    }

    private void endFaults() {
        trace.record(queue.now(), "calm", 0, 0, "faults stop, all nodes restart, the network heals");
        faultsOn = false;
        network.stopFaults();
        allNodes.forEach(this::restart);
        checkConvergence();
    }

    // ---------------------------------------------------------------- liveness

    private void checkConvergence() {
        if (clientsDone() && clusters.stream().allMatch(this::isConverged)) {
            converged = true;
            return;
        }
        queue.after(CONVERGENCE_CHECK_MS, this::checkConvergence);
    }

    private String fingerprint() {
        StringBuilder text = new StringBuilder("events=" + queue.executed() + " now=" + queue.now());
        for (N node : allNodes) {
            text.append(' ').append(fingerprintOf(node));
        }
        return text.toString();
    }
}
