package io.shardbank.harness;

import io.shardbank.model.ClusterId;
import io.shardbank.model.NodeId;
import io.shardbank.model.Topology;
import io.shardbank.node.NodeProtocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The harness's operator calls, made asynchronous. The client's operator API blocks until a node
 * answers, so each call runs on a small pool of its own, and every node is asked at once; a node
 * that does not answer within the given time counts as unreachable instead of holding up the rest.
 */
final class ClusterQueries implements AutoCloseable {

    private final ClusterControl control;
    private final Topology topology;
    private final ExecutorService pool;
    /** Pause between two looks at the replicas' progress while waiting for them to catch up. */
    private final long settlePollMs;

    ClusterQueries(ClusterControl control) {
        this.control = control;
        this.topology = control.settings().topology();
        this.settlePollMs = control.settings().harness().settlePollMs();
        // Two calls per node at most are under way at once (a query and a status poll); more only queue.
        this.pool = Executors.newFixedThreadPool(2 * topology.nodeCount() + 2, runnable -> {
            Thread thread = new Thread(runnable, "harness-operator-call");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs a blocking operator action (flush, fail, recover) off the caller's thread. */
    CompletableFuture<Void> run(Runnable action) {
        return CompletableFuture.runAsync(action, pool);
    }

    /** Runs a computation (such as a reshard plan) off the caller's thread. */
    <T> CompletableFuture<T> compute(Supplier<T> computation) {
        return CompletableFuture.supplyAsync(computation, pool);
    }

    /** Every node of the item's cluster, its own balance of the item. */
    CompletableFuture<BalanceReport> balance(int item, Duration timeout) {
        List<NodeId> nodes = topology.nodesOf(topology.initialShardMap().clusterOf(item));
        List<CompletableFuture<BalanceReport.NodeBalance>> answers = new ArrayList<>();
        for (NodeId node : nodes) {
            answers.add(ask(node, () -> control.client().balances(node, List.of(item)), timeout)
                    .thenApply(b -> new BalanceReport.NodeBalance(node, b.map(x -> x.balances().get(item))
                            .filter(v -> v != null).map(OptionalLong::of).orElse(OptionalLong.empty()))));
        }
        return allOf(answers).thenApply(list -> new BalanceReport(item, list));
    }

    /** Every node's own balances of {@code items} (those its cluster owns). */
    CompletableFuture<DbSnapshot> db(Collection<Integer> items, Duration timeout) {
        List<Integer> asked = List.copyOf(items);
        List<CompletableFuture<DbSnapshot.NodeDb>> answers = new ArrayList<>();
        for (NodeId node : topology.allNodes()) {
            answers.add(ask(node, () -> control.client().balances(node, asked), timeout)
                    .thenApply(b -> new DbSnapshot.NodeDb(node, b.map(x -> sorted(x.balances())))));
        }
        return allOf(answers).thenApply(DbSnapshot::new);
    }

    /** The NEW-VIEW messages every node sent since the last flush. */
    CompletableFuture<ViewLog> views(Duration timeout) {
        List<CompletableFuture<Map.Entry<NodeId, Optional<NodeProtocol.Views>>>> answers = new ArrayList<>();
        for (NodeId node : topology.allNodes()) {
            answers.add(ask(node, () -> control.client().views(node), timeout).thenApply(v -> Map.entry(node, v)));
        }
        return allOf(answers).thenApply(this::viewLog);
    }

    private ViewLog viewLog(List<Map.Entry<NodeId, Optional<NodeProtocol.Views>>> answers) {
        List<ViewLog.View> views = new ArrayList<>();
        List<NodeId> unreachable = new ArrayList<>();
        for (Map.Entry<NodeId, Optional<NodeProtocol.Views>> answer : answers) {
            NodeId node = answer.getKey();
            ClusterId cluster = topology.clusterOf(node);
            answer.getValue().ifPresentOrElse(
                    v -> v.views().forEach(r -> views.add(new ViewLog.View(cluster, new NodeId(r.leader()),
                            r.ballot(), r.commitIndex(), r.entries()))),
                    () -> unreachable.add(node));
        }
        return new ViewLog(views, unreachable);
    }

    /**
     * Completes with true once the live replicas have caught up (see {@link ReplicaProgress}), or
     * with false when they have not within {@code limit}.
     */
    CompletableFuture<Boolean> awaitCaughtUp(Collection<NodeId> live, Duration limit) {
        List<NodeId> running = live.stream().filter(control::isRunning).toList();
        return awaitStatuses(running, System.nanoTime() + limit.toNanos(), limit,
                statuses -> ReplicaProgress.caughtUp(topology, running, statuses));
    }

    /**
     * Completes with true once every cluster's leadership reflects the live set (see {@link
     * ReplicaProgress#leadershipSettled}), or with false when it does not within {@code limit}.
     */
    CompletableFuture<Boolean> awaitLeadershipSettled(Collection<NodeId> live, Duration limit) {
        List<NodeId> running = live.stream().filter(control::isRunning).toList();
        return awaitStatuses(running, System.nanoTime() + limit.toNanos(), limit,
                statuses -> ReplicaProgress.leadershipSettled(topology, running, statuses));
    }

    private CompletableFuture<Boolean> awaitStatuses(List<NodeId> live, long deadlineNanos, Duration limit,
            java.util.function.Predicate<Map<NodeId, NodeProtocol.Status>> condition) {
        return statuses(live, limit).thenCompose(statuses -> {
            if (condition.test(statuses)) {
                return CompletableFuture.completedFuture(true);
            }
            if (System.nanoTime() >= deadlineNanos) {
                return CompletableFuture.completedFuture(false);
            }
            return CompletableFuture.runAsync(() -> { },
                            CompletableFuture.delayedExecutor(settlePollMs, TimeUnit.MILLISECONDS, pool))
                    .thenCompose(ignored -> awaitStatuses(live, deadlineNanos, limit, condition));
        });
    }

    private CompletableFuture<Map<NodeId, NodeProtocol.Status>> statuses(List<NodeId> nodes, Duration timeout) {
        List<CompletableFuture<Map.Entry<NodeId, Optional<NodeProtocol.Status>>>> answers = new ArrayList<>();
        for (NodeId node : nodes) {
            answers.add(ask(node, () -> control.client().status(node), timeout).thenApply(s -> Map.entry(node, s)));
        }
        return allOf(answers).thenApply(list -> {
            Map<NodeId, NodeProtocol.Status> statuses = new HashMap<>();
            list.forEach(e -> e.getValue().ifPresent(s -> statuses.put(e.getKey(), s)));
            return statuses;
        });
    }

    /** Asks one node; empty when it is stopped, fails, or does not answer within {@code timeout}. */
    private <T> CompletableFuture<Optional<T>> ask(NodeId node, Supplier<T> call, Duration timeout) {
        if (!control.isRunning(node)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return CompletableFuture.supplyAsync(call, pool)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(Optional::of)
                .exceptionally(error -> Optional.empty());
    }

    private static <T> CompletableFuture<List<T>> allOf(List<CompletableFuture<T>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture<?>[]::new))
                .thenApply(ignored -> futures.stream().map(CompletableFuture::join).toList());
    }

    private static SortedMap<Integer, Long> sorted(Map<Integer, Long> balances) {
        return new TreeMap<>(balances);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
