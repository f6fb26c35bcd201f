package io.shardbank.sim;

import io.shardbank.model.ShardMap;
import io.shardbank.node.FailPoint;
import io.shardbank.paxos.PaxosReplica;
import io.shardbank.shard.ShardStateMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One deterministic run of the whole stack: k clusters of bank nodes (the production NodeCore:
 * Paxos, shard state machine and two-phase commit) and their clients, over a faulty network
 * and faulty disks (see {@link SimRun} for what every run shares).
 *
 * <p>In the fault phase messages are dropped, duplicated and reordered, nodes are isolated,
 * links and whole clusters are cut (both ways or one way) and healed, and nodes crash (at any step,
 * and at the named crash points of two-phase commit) and restart from their disks. Then faults
 * stop, every node comes back and the network heals, and within {@link SimRun.Phases#livenessBoundMs()}
 * every operation must have its answer, every transaction be decided and ended everywhere, and the
 * replicas of each cluster agree. The {@link BankChecker} checks safety throughout.
 */
final class BankSimulation extends SimRun<BankConfig, BankNode> {

    /** Makes the migrations' generator of a seed differ from the seed's own. */
    private static final long RESHARD_SEED_SALT = 0x5DEECE66DL;

    private final ShardMap shardMap;
    private final BankChecker checker;
    private final List<BankClient> clients = new ArrayList<>();

    BankSimulation(long seed, Mutation mutation) {
        super(seed, random -> BankConfig.random(random, new SplittableRandom(seed ^ RESHARD_SEED_SALT), mutation));
        this.shardMap = ShardMap.evenRanges(config.clusters(), config.items());
        this.checker = new BankChecker(config, shardMap, stats, queue::now);
    }

    static Result run(long seed, Mutation mutation) {
        return new BankSimulation(seed, mutation).run();
    }

    @Override
    void startFaults() {
        network.listen((from, to, message) -> votes.sent(from, message));
        queue.at(config.faultStartMs(), this::scheduleFault);
    }

    private List<Integer> nodesOf(int cluster) {
        List<Integer> nodes = new ArrayList<>();
        for (int i = 0; i < config.nodesPerCluster(); i++) {
            nodes.add((cluster - 1) * config.nodesPerCluster() + i + 1);
        }
        return nodes;
    }

    @Override
    void build() {
        for (int c = 1; c <= config.clusters(); c++) {
            List<Integer> members = List.copyOf(nodesOf(c));
            List<BankNode> nodes = new ArrayList<>();
            for (int member : members) {
                BankNode node = new BankNode(member, c, members, config, shardMap, this::nodesOf, queue, network,
                        random.split(), trace, stats, checker, votes, this::killAt);
                network.register(member, node);
                nodes.add(node);
                allNodes.add(node);
            }
            clusters.add(nodes);
        }
        for (int i = 1; i <= config.clients(); i++) {
            BankClient client = new BankClient(i, config, shardMap,
                    (sequence, r) -> BankWorkload.next(sequence, config, shardMap, r), config.operationsPerClient(),
                    config.clientThinkMaxMs(), this::nodesOf, queue, network, random.split(), trace, stats, checker);
            network.register(client.address, client);
            clients.add(client);
        }
        if (config.migrations() > 0) {
            // A reshard client of its own generator, spreading its migrations over the fault phase.
            BankClient reshard = new BankClient(config.clients() + 1, config, shardMap,
                    new ReshardWorkload(config, checker::ownerOf), config.migrations(),
                    phases.faultPhaseMs() / (config.migrations() + 1), this::nodesOf, queue, network,
                    new SplittableRandom(seed ^ RESHARD_SEED_SALT ^ 1), trace, stats, checker);
            network.register(reshard.address, reshard);
            clients.add(reshard);
        }
        allNodes.forEach(node -> node.start(true)); // a fresh cluster starts as after a flush
        clients.forEach(BankClient::start);
    }

    // ---------------------------------------------------------------- faults

    private void scheduleFault() {
        if (queue.now() >= phases.faultPhaseMs()) {
            return;
        }
        injectFault();
        queue.after(1 + random.nextLong(phases.faultGapMaxMs()), this::scheduleFault);
    }

    private void injectFault() {
        int c = random.nextInt(clusters.size());
        List<BankNode> cluster = clusters.get(c);
        BankNode any = cluster.get(random.nextInt(cluster.size()));
        BankNode leader = leaderOr(cluster, any);
        long duration = 20 + random.nextLong(phases.faultDurationMaxMs());
        switch (random.nextInt(9)) {
            case 0 -> crash(any, duration);
            case 1 -> crash(leader, duration);
            case 2 -> partition(network.isolate(any.id), "isolate n" + any.id, duration);
            case 3 -> partition(network.isolate(leader.id), "isolate leader n" + leader.id, duration);
            case 4, 5 -> {
                BankNode other = allNodes.get(random.nextInt(allNodes.size()));
                if (other != any) {
                    partition(network.cutBetween(List.of(any.id), List.of(other.id), true),
                            "cut n" + any.id + "->n" + other.id, duration);
                }
            }
            default -> {
                int d = random.nextInt(clusters.size());
                if (d != c) {
                    boolean oneWay = random.nextBoolean();
                    partition(network.cutBetween(nodesOf(c + 1), nodesOf(d + 1), oneWay),
                            "cut c" + (c + 1) + (oneWay ? "->" : "<->") + "c" + (d + 1), duration);
                }
            }
        }
    }

    /** A node dies at a named fail point of two-phase commit. */
    private boolean killAt(BankNode node, FailPoint point) {
        if (!faultsOn || !node.isUp()) {
            return false;
        }
        stats.crashPoints++;
        trace.record(queue.now(), "crashpoint", node.id, 0, point);
        crash(node, 5 + random.nextLong(phases.faultDurationMaxMs()));
        return true;
    }

    @Override
    boolean clientsDone() {
        return clients.stream().allMatch(BankClient::isDone);
    }

    @Override
    void finalChecks() {
        checker.finalChecks(allNodes);
    }

    @Override
    boolean isConverged(List<BankNode> nodes) {
        BankNode first = nodes.get(0);
        for (BankNode node : nodes) {
            if (!node.isUp()) {
                return false;
            }
            PaxosReplica replica = node.replica();
            ShardStateMachine machine = node.machine();
            if (replica.commitIndex() != first.replica().commitIndex() || machine.appliedSlot() != replica.commitIndex()
                    || !machine.allBalances().equals(first.machine().allBalances())
                    || machine.lockCount() != 0 || !machine.txns().isEmpty() || node.pendingCount() != 0
                    || node.status().coordinations() != 0) {
                return false;
            }
        }
        return nodes.stream().filter(n -> n.replica().isLeader()).count() == 1;
    }

    @Override
    String describe() {
        StringBuilder text = new StringBuilder();
        for (List<BankNode> nodes : clusters) {
            text.append("\n    ");
            for (BankNode node : nodes) {
                if (!node.isUp()) {
                    text.append("n").append(node.id).append(" down; ");
                    continue;
                }
                PaxosReplica replica = node.replica();
                ShardStateMachine machine = node.machine();
                text.append(String.format("n%d %s %s commit=%d applied=%d locks=%d txns=%s pending=%d"
                        + " coordinations=%d; ", node.id, replica.role(), replica.ballot(), replica.commitIndex(),
                        machine.appliedSlot(), machine.lockCount(),
                        machine.txns().stream().map(r -> r.txn() + ":" + r.state()).toList(), node.pendingCount(),
                        node.status().coordinations()));
            }
        }
        for (BankClient client : clients) {
            if (!client.isDone()) {
                text.append("\n    ").append(client);
            }
        }
        return text.toString();
    }

    @Override
    String fingerprintOf(BankNode node) {
        return String.format("n%d:%d:%d", node.id, node.replica().commitIndex(),
                node.machine().allBalances().hashCode());
    }
}
