package io.shardbank.process;

import io.shardbank.config.Settings;
import io.shardbank.model.ClusterId;
import io.shardbank.model.NodeId;
import io.shardbank.model.RequestId;
import io.shardbank.paxos.Ballot;
import io.shardbank.paxos.SlotValue;
import io.shardbank.shard.BatchCodec;
import io.shardbank.shard.LogCommand;
import io.shardbank.shard.Outcome;
import io.shardbank.shard.ShardStateMachine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What one node's SQLite file holds, read by the test itself in one read transaction (a consistent
 * snapshot, even beside a running node: WAL mode lets readers in beside the writer), and the shard
 * state it implies: the last checkpoint with the chosen log replayed on top, as the node does when
 * it starts. A fresh shard that replays the whole chosen log from slot 1 tells what happened to
 * each transaction, and must reach the same state.
 */
final class ReplicaFile {

    /** A step of a cross-cluster transaction in this cluster's chosen log. */
    enum Step { PREPARED, REFUSED, DECIDED, ENDED }

    /** One step of a transaction at a slot; {@code status} and {@code reason} for decisions. */
    record TxnStep(long slot, Step step, Outcome.Status status, String reason) {
        @Override
        public String toString() {
            return "#" + slot + " " + step + (step == Step.DECIDED ? " " + status + " (" + reason + ")" : "");
        }
    }

    final NodeId node;
    final ClusterId cluster;
    final long commitIndex;
    final long compactedThrough;
    /** Every value the file holds, chosen or only accepted, by slot. */
    final NavigableMap<Long, SlotValue> log;
    /** The state the node would start with: its checkpoint and the chosen slots after it. */
    final ShardStateMachine shard;
    private final Settings settings;

    private ReplicaFile(NodeId node, Settings settings, long commitIndex, long compactedThrough,
            NavigableMap<Long, SlotValue> log, ShardStateMachine shard) {
        this.node = node;
        this.cluster = settings.topology().clusterOf(node);
        this.settings = settings;
        this.commitIndex = commitIndex;
        this.compactedThrough = compactedThrough;
        this.log = log;
        this.shard = shard;
    }

    /** Reads {@code <dataDirectory>/<node>.db} without writing to it. */
    static ReplicaFile read(Path dataDirectory, NodeId node, Settings settings) {
        Path file = dataDirectory.resolve(node + ".db");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(node + " has no database at " + file);
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA busy_timeout = 10000");
                statement.execute("PRAGMA query_only = ON");
            }
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                return read(statement, node, settings);
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database of " + node + ": " + e.getMessage(), e);
        }
    }

    private static ReplicaFile read(Statement statement, NodeId node, Settings settings) throws SQLException {
        Map<String, Long> meta = new HashMap<>();
        byte[] sessions = new byte[0];
        try (ResultSet rows = statement.executeQuery("SELECT key, num, data FROM meta")) {
            while (rows.next()) {
                meta.put(rows.getString(1), rows.getLong(2));
                if (rows.getString(1).equals("sessions") && rows.getBytes(3) != null) {
                    sessions = rows.getBytes(3);
                }
            }
        }
        NavigableMap<Long, SlotValue> log = new TreeMap<>();
        try (ResultSet rows = statement.executeQuery("SELECT slot, ballot_round, ballot_node, value FROM paxos_log")) {
            while (rows.next()) {
                log.put(rows.getLong(1), new SlotValue(rows.getLong(1), new Ballot(rows.getLong(2), rows.getInt(3)),
                        rows.getBytes(4)));
            }
        }
        Map<Integer, Long> checkpointBalances = new HashMap<>();
        try (ResultSet rows = statement.executeQuery("SELECT item, balance FROM balances")) {
            while (rows.next()) {
                checkpointBalances.put(rows.getInt(1), rows.getLong(2));
            }
        }
        long commitIndex = meta.getOrDefault("commit_index", 0L);
        long compactedThrough = meta.getOrDefault("compacted_through", 0L);
        log.headMap(compactedThrough, true).clear(); // the node ignores what its snapshot covers
        ShardStateMachine shard = emptyShard(node, settings);
        long checkpointSlot = meta.getOrDefault("applied_slot", 0L);
        shard.restore(checkpointSlot, checkpointBalances, sessions);
        replay(node, shard, log, checkpointSlot, commitIndex, (slot, applied) -> { });
        return new ReplicaFile(node, settings, commitIndex, compactedThrough, log, shard);
    }

    private static ShardStateMachine emptyShard(NodeId node, Settings settings) {
        return new ShardStateMachine(settings.topology().clusterOf(node), settings.topology().initialShardMap(),
                settings.topology().initialBalance(), settings.dedupWindowPerClient());
    }

    private interface AppliedListener {
        void applied(long slot, ShardStateMachine.Applied applied);
    }

    private static void replay(NodeId node, ShardStateMachine shard, NavigableMap<Long, SlotValue> log, long after,
            long through, AppliedListener listener) {
        for (long slot = after + 1; slot <= through; slot++) {
            SlotValue entry = log.get(slot);
            if (entry == null) {
                throw new IllegalStateException(node + " lacks chosen slot " + slot + " (commit index " + through + ")");
            }
            for (ShardStateMachine.Applied applied : shard.apply(slot, entry.value())) {
                listener.applied(slot, applied);
            }
        }
    }

    /** The chosen values: the log up to the commit index. */
    NavigableMap<Long, SlotValue> chosen() {
        return log.headMap(commitIndex, true);
    }

    /** Whether the whole chosen log since the last flush is still in the file (nothing compacted). */
    boolean holdsWholeLog() {
        return compactedThrough == 0;
    }

    /** Whether any value in the file, chosen or not, logs a decision of {@code txn}. */
    boolean logsDecisionOf(RequestId txn) {
        for (SlotValue entry : log.values()) {
            for (LogCommand command : BatchCodec.decode(entry.value())) {
                if (command instanceof LogCommand.TxnDecided decided && decided.txn().equals(txn)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether any value in the file, chosen or not, logs a prepare of {@code txn}. */
    boolean logsPrepareOf(RequestId txn) {
        for (SlotValue entry : log.values()) {
            for (LogCommand command : BatchCodec.decode(entry.value())) {
                if (command instanceof LogCommand.TxnPrepared prepared && prepared.txn().equals(txn)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A fresh shard that applied the whole chosen log from slot 1; needs {@link #holdsWholeLog}. */
    ShardStateMachine replayFromStart() {
        return replayFromStart((slot, applied) -> { });
    }

    /** What the chosen log did to {@code txn} in this cluster, in slot order; needs {@link #holdsWholeLog}. */
    List<TxnStep> history(RequestId txn) {
        List<TxnStep> steps = new ArrayList<>();
        replayFromStart((slot, applied) -> {
            if (applied instanceof ShardStateMachine.VoteLogged voted && voted.record().txn().equals(txn)) {
                steps.add(new TxnStep(slot, voted.record().votedYes() ? Step.PREPARED : Step.REFUSED, null,
                        voted.record().reason()));
            } else if (applied instanceof ShardStateMachine.DecisionApplied decided && decided.txn().equals(txn)) {
                steps.add(new TxnStep(slot, Step.DECIDED, decided.status(), decided.reason()));
            } else if (applied instanceof ShardStateMachine.TxnForgotten ended && ended.txn().equals(txn)) {
                steps.add(new TxnStep(slot, Step.ENDED, null, ""));
            }
        });
        return steps;
    }

    /**
     * The items of the client operations the chosen log answered MOVED, with a redirect naming
     * them, in slot order; needs {@link #holdsWholeLog}.
     */
    List<Integer> redirectedItems() {
        List<Integer> items = new ArrayList<>();
        replayFromStart((slot, applied) -> {
            if (applied instanceof ShardStateMachine.ClientOutcome answered
                    && answered.outcome().status() == Outcome.Status.MOVED && answered.outcome().redirect() != null) {
                items.add(answered.outcome().redirect().item());
            }
        });
        return items;
    }

    private ShardStateMachine replayFromStart(AppliedListener listener) {
        if (!holdsWholeLog()) {
            throw new IllegalStateException(node + " compacted its log through slot " + compactedThrough);
        }
        ShardStateMachine fresh = emptyShard(node, settings);
        replay(node, fresh, log, 0, commitIndex, listener);
        return fresh;
    }

    @Override
    public String toString() {
        return node + ": commit index " + commitIndex + ", " + log.size() + " slots in the file, "
                + shard.lockCount() + " locks, " + shard.txns().size() + " transactions";
    }
}
