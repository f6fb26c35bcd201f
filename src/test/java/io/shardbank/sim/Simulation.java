package io.shardbank.sim;

import io.shardbank.paxos.PaxosMessage;
import io.shardbank.paxos.PaxosReplica;
import java.util.ArrayList;
import java.util.List;

/**
 * One deterministic run of k independent Paxos clusters with their clients over a faulty network
 * and faulty disks (see {@link SimRun} for what every run shares). Each node hosts a bare replica
 * and a {@link KvStateMachine}; the {@link ClusterChecker}s check safety throughout, and once
 * faults stop every cluster must reach the same commit index and state on every node within
 * {@link SimRun.Phases#livenessBoundMs()}.
 */
final class Simulation extends SimRun<SimConfig, SimNode> {

    private final List<ClusterChecker> checkers = new ArrayList<>();
    private final List<SimClient> clients = new ArrayList<>();

    Simulation(long seed, Mutation mutation) {
        super(seed, random -> SimConfig.random(random, mutation));
    }

    static Result run(long seed, Mutation mutation) {
        return new Simulation(seed, mutation).run();
    }

    @Override
    void build() {
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

    @Override
    void startFaults() {
        network.listen(this::crashAfterVote);
        scheduleFault();
    }

    private void scheduleFault() {
        queue.after(1 + random.nextLong(phases.faultGapMaxMs()), () -> {
            if (queue.now() < phases.faultPhaseMs()) {
                injectFault();
                scheduleFault();
            }
        });
    }

    private void injectFault() {
        List<SimNode> cluster = clusters.get(random.nextInt(clusters.size()));
        SimNode any = cluster.get(random.nextInt(cluster.size()));
        SimNode leader = leaderOr(cluster, any);
        long duration = 20 + random.nextLong(phases.faultDurationMaxMs());
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

    // ---------------------------------------------------------------- liveness and final checks

    @Override
    boolean clientsDone() {
        return clients.stream().allMatch(SimClient::isDone);
    }

    @Override
    boolean isConverged(List<SimNode> nodes) {
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

    @Override
    void finalChecks() {
        for (int c = 0; c < clusters.size(); c++) {
            for (SimNode node : clusters.get(c)) {
                checkers.get(c).holdsAllAcknowledged(node.id, node.state());
            }
        }
    }

    @Override
    String describe() {
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

    @Override
    String fingerprintOf(SimNode node) {
        return String.format("n%d:%d:%x", node.id, node.replica().commitIndex(), node.state().digest());
    }
}
