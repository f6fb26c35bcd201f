package io.shardbank.sim;

import io.shardbank.paxos.PaxosMessage;
import io.shardbank.paxos.PaxosReplica;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One deterministic run of k independent Paxos clusters with their clients over a faulty network
 * and faulty disks. Everything random comes from one {@link SplittableRandom} seeded with the
 * run's seed, and all time is virtual, so the seed replays the run exactly.
 *
 * <p>The run has two phases. In the fault phase messages are dropped, duplicated and reordered,
 * links are cut and healed, and nodes crash and restart. Then faults stop, every node comes back,
 * and within {@link SimConfig#livenessBoundMs()} every cluster must converge (same commit index and
 * state on every node) and every client must have its answers. Safety invariants are checked
 * throughout by the {@link ClusterChecker}s.
 */
final class Simulation {

    /** How a run ended: its counters and a fingerprint of its final state (equal for equal seeds). */
    record Result(SimStats stats, String fingerprint) {
    }

    private static final long CONVERGENCE_CHECK_MS = 50;

    private final long seed;
    private final SimConfig config;
    private final SplittableRandom random;
    private final EventQueue queue = new EventQueue();
    private final Trace trace = new Trace();
    private final SimStats stats = new SimStats();
    private final SimNetwork network;
    private final List<List<SimNode>> clusters = new ArrayList<>();
    private final List<ClusterChecker> checkers = new ArrayList<>();
    private final List<SimClient> clients = new ArrayList<>();
    private final List<SimNode> allNodes = new ArrayList<>();
    private boolean converged;
    private boolean faultsOn = true;
    private final VoteLedger votes = new VoteLedger();

    Simulation(long seed, Mutation mutation) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.config = SimConfig.random(random, mutation);
        this.network = new SimNetwork(queue, random.split(), trace, stats, config);
    }

    SimConfig config() {
        return config;
    }

    static Result run(long seed, Mutation mutation) {
        return new Simulation(seed, mutation).run();
    }

    Result run() {
        try {
            build();
            network.listen(this::crashAfterVote);
            scheduleFault();
            queue.at(config.faultPhaseMs(), this::endFaults);
            long deadline = config.faultPhaseMs() + config.livenessBoundMs();
            while (!converged && queue.runNext(deadline)) {
                // every event is checked as it runs
            }
            if (!converged) {
                throw new ClusterChecker.Violation("liveness: not converged " + config.livenessBoundMs()
                        + " ms after faults stopped: " + describeClusters());
            }
            finalChecks();
        } catch (ClusterChecker.Violation violation) {
            throw new SimulationFailure(seed, violation.getMessage() + "\n  config: " + config, trace.lastEvents(),
                    null);
        } catch (RuntimeException | StackOverflowError error) {
            throw new SimulationFailure(seed, error.toString() + "\n  config: " + config, trace.lastEvents(), error);
        }
        stats.seeds = 1;
        stats.events = queue.executed();
        return new Result(stats, fingerprint());
    }

    private void build() {
        int nodeId = 1;
        int clientId = 1;
        for (int c = 0; c < config.clusters(); c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < config.nodesPerCluster(); i++) {
                members.add(nodeId++);
            }
            ClusterChecker checker = new ClusterChecker(c + 1);
            checkers.add(checker);
            List<SimNode> nodes = new ArrayList<>();
            for (int member : members) {
                SimNode node = new SimNode(member, List.copyOf(members), config, queue, network, random.split(), trace,
                        stats, checker, votes);
                network.register(member, node);
                nodes.add(node);
                allNodes.add(node);
            }
            clusters.add(nodes);
            for (int i = 0; i < config.clientsPerCluster(); i++) {
                SimClient client = new SimClient(clientId++, List.copyOf(members), config, queue, network,
                        random.split(), trace, stats, checker);
                network.register(client.address, client);
                clients.add(client);
            }
        }
        for (List<SimNode> nodes : clusters) {
            for (int i = 0; i < nodes.size(); i++) {
                nodes.get(i).start(i == 0); // the first member of a fresh cluster leads
            }
        }
        clients.forEach(SimClient::start);
    }

    // ---------------------------------------------------------------- faults

    private void scheduleFault() {
        queue.after(1 + random.nextLong(config.faultGapMaxMs()), () -> {
            if (queue.now() < config.faultPhaseMs()) {
                injectFault();
                scheduleFault();
            }
        });
    }

    private void injectFault() {
        List<SimNode> cluster = clusters.get(random.nextInt(clusters.size()));
        SimNode any = cluster.get(random.nextInt(cluster.size()));
        SimNode leader = cluster.stream().filter(n -> n.isUp() && n.replica().isLeader()).findFirst().orElse(any);
        long duration = 20 + random.nextLong(config.faultDurationMaxMs());
        switch (random.nextInt(6)) {
            case 0 -> crash(any, duration);
            case 1 -> crash(leader, duration);
            case 2 -> partition(network.isolate(any.id), "isolate n" + any.id, duration);
            case 3 -> partition(network.isolate(leader.id), "isolate leader n" + leader.id, duration);
            default -> {
                SimNode other = cluster.get(random.nextInt(cluster.size()));
                if (other != any) {
                    partition(network.cutOneWay(any.id, other.id), "cut n" + any.id + "->n" + other.id, duration);
                }
            }
        }
    }

    /** A node may die right after a vote leaves it: the vote must have been durable already. */
    private void crashAfterVote(int from, int to, Object message) {
        votes.sent(from, message);
        boolean vote = message instanceof PaxosMessage.Promise
                || (message instanceof PaxosMessage.Accepted accepted && accepted.slots().length > 0);
        if (faultsOn && vote && random.nextDouble() < config.crashAfterVoteRate()) {
            SimNode node = allNodes.get(from - 1);
            queue.after(0, () -> crash(node, 5 + random.nextLong(200)));
        }
    }

    private void crash(SimNode node, long downMs) {
        if (!node.isUp()) {
            return;
        }
        stats.crashes++;
        node.crash();
        queue.after(downMs, () -> restart(node));
    }

    private void restart(SimNode node) {
        if (!node.isUp()) {
            stats.recoveries++;
            node.start(false);
        }
    }

    private void partition(int partitionId, String what, long durationMs) {
        trace.record(queue.now(), "partition", 0, 0, what);
        queue.after(durationMs, () -> {
            trace.record(queue.now(), "heal", 0, 0, what);
            network.heal(partitionId);
        });
    }

    private void endFaults() {
        trace.record(queue.now(), "calm", 0, 0, "faults stop, all nodes restart, network heals");
        faultsOn = false;
        network.stopFaults();
        allNodes.forEach(this::restart);
        checkConvergence();
    }

    // ---------------------------------------------------------------- liveness and final checks

    private void checkConvergence() {
        if (clients.stream().allMatch(SimClient::isDone) && clusters.stream().allMatch(this::isConverged)) {
            converged = true;
            return;
        }
        queue.after(CONVERGENCE_CHECK_MS, this::checkConvergence);
    }

    private boolean isConverged(List<SimNode> nodes) {
        SimNode first = nodes.get(0);
        for (SimNode node : nodes) {
            if (!node.isUp()) {
                return false;
            }
            PaxosReplica replica = node.replica();
            if (replica.commitIndex() != first.replica().commitIndex() || node.state().slot() != replica.commitIndex()
                    || node.state().digest() != first.state().digest()) {
                return false;
            }
        }
        return nodes.stream().filter(n -> n.replica().isLeader()).count() == 1;
    }

    private void finalChecks() {
        for (int c = 0; c < clusters.size(); c++) {
            for (SimNode node : clusters.get(c)) {
                checkers.get(c).holdsAllAcknowledged(node.id, node.state());
            }
        }
    }

    private String describeClusters() {
        StringBuilder text = new StringBuilder();
        for (List<SimNode> nodes : clusters) {
            text.append("\n    ");
            for (SimNode node : nodes) {
                if (!node.isUp()) {
                    text.append("n").append(node.id).append(" down; ");
                    continue;
                }
                PaxosReplica replica = node.replica();
                text.append(String.format("n%d %s %s commit=%d applied=%d compacted=%d hint=%d; ", node.id,
                        replica.role(), replica.ballot(), replica.commitIndex(), node.state().slot(),
                        replica.compactedThrough(), replica.leaderHint()));
            }
        }
        for (SimClient client : clients) {
            if (!client.isDone()) {
                text.append("\n    client c").append(client.clientId).append(" waits for ").append(client.outstanding());
            }
        }
        return text.toString();
    }

    private String fingerprint() {
        StringBuilder text = new StringBuilder("events=" + queue.executed() + " now=" + queue.now());
        for (SimNode node : allNodes) {
            text.append(String.format(" n%d:%d:%x", node.id, node.replica().commitIndex(), node.state().digest()));
        }
        return text.toString();
    }
}
