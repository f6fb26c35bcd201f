package io.shardbank.storage;

import io.shardbank.paxos.Ballot;
import io.shardbank.paxos.DurableState;
import io.shardbank.paxos.SlotValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One node's SQLite file: the Paxos acceptor state and log, and checkpoints of the shard. Not
 * thread-safe: only the node's {@link StorageActor} uses it. Every {@link #write} is one SQLite
 * transaction in WAL mode; with {@code synchronous=FULL} it is on disk when the call returns.
 */
public final class NodeStore implements AutoCloseable {

    private static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, num INTEGER, data BLOB)",
        "CREATE TABLE IF NOT EXISTS paxos_log (slot INTEGER PRIMARY KEY, ballot_round INTEGER NOT NULL,"
                + " ballot_node INTEGER NOT NULL, value BLOB NOT NULL)",
        "CREATE TABLE IF NOT EXISTS balances (item INTEGER PRIMARY KEY, balance INTEGER NOT NULL CHECK (balance >= 0))",
    };

    private final Path file;
    private final Connection connection;
    private final PreparedStatement putMeta;
    private final PreparedStatement putLog;
    private final PreparedStatement putBalance;
    private final PreparedStatement dropLogThrough;

    /**
     * Opens (creating if needed) the node's database.
     *
     * @param synchronous SQLite's synchronous setting: FULL makes every commit durable; NORMAL
     *     (in WAL mode) may lose the last commits on power loss and is only for benchmarks that say so
     */
    public NodeStore(Path file, String synchronous) throws SQLException {
        this.file = file;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create the data directory of " + file + ": " + e.getMessage(), e);
        }
        connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA journal_mode=WAL");
            statement.execute("PRAGMA synchronous=" + requireSynchronous(synchronous));
            for (String ddl : SCHEMA) {
                statement.execute(ddl);
            }
        }
        connection.setAutoCommit(false);
        putMeta = connection.prepareStatement("INSERT OR REPLACE INTO meta (key, num, data) VALUES (?, ?, ?)");
        putLog = connection.prepareStatement(
                "INSERT OR REPLACE INTO paxos_log (slot, ballot_round, ballot_node, value) VALUES (?, ?, ?, ?)");
        putBalance = connection.prepareStatement("INSERT OR REPLACE INTO balances (item, balance) VALUES (?, ?)");
        dropLogThrough = connection.prepareStatement("DELETE FROM paxos_log WHERE slot <= ?");
    }

    private static String requireSynchronous(String synchronous) {
        String value = synchronous.toUpperCase();
        if (!value.equals("FULL") && !value.equals("NORMAL") && !value.equals("EXTRA")) {
            throw new IllegalArgumentException("storage.synchronous must be FULL, EXTRA or NORMAL, got " + synchronous);
        }
        return value;
    }

    public Path file() {
        return file;
    }

    /** Makes a batch durable in one transaction. */
    public void write(WriteBatch batch) throws SQLException {
        try {
            if (batch.promised != null) {
                meta("promised_round", batch.promised.round(), null);
                meta("promised_node", batch.promised.node(), null);
            }
            writeLog(batch.accepted);
            if (batch.checkpoint != null) {
                writeCheckpoint(batch.checkpoint);
            }
            if (batch.commitIndex >= 0) {
                meta("commit_index", batch.commitIndex, null);
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
    }

    private void writeLog(List<SlotValue> accepted) throws SQLException {
        if (accepted.isEmpty()) {
            return;
        }
        for (SlotValue entry : accepted) {
            putLog.setLong(1, entry.slot());
            putLog.setLong(2, entry.ballot().round());
            putLog.setInt(3, entry.ballot().node());
            putLog.setBytes(4, entry.value());
            putLog.addBatch();
        }
        putLog.executeBatch();
    }

    private void writeCheckpoint(Checkpoint checkpoint) throws SQLException {
        if (checkpoint.complete()) {
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("DELETE FROM balances");
            }
        }
        for (Map.Entry<Integer, Long> balance : checkpoint.balances().entrySet()) {
            putBalance.setInt(1, balance.getKey());
            putBalance.setLong(2, balance.getValue());
            putBalance.addBatch();
        }
        putBalance.executeBatch();
        meta("applied_slot", checkpoint.appliedSlot(), null);
        meta("sessions", 0, checkpoint.sessions());
        if (checkpoint.compactThrough() > 0) {
            dropLogThrough.setLong(1, checkpoint.compactThrough());
            dropLogThrough.executeUpdate();
            meta("compacted_through", checkpoint.compactThrough(), null);
        }
    }

    private void meta(String key, long num, byte[] data) throws SQLException {
        putMeta.setString(1, key);
        putMeta.setLong(2, num);
        putMeta.setBytes(3, data);
        putMeta.executeUpdate();
    }

    /** Reads everything back, as the node needs it at start. */
    public StoredState load() throws SQLException {
        Map<String, Long> nums = new HashMap<>();
        byte[] sessions = new byte[0];
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT key, num, data FROM meta")) {
            while (rows.next()) {
                nums.put(rows.getString(1), rows.getLong(2));
                if (rows.getString(1).equals("sessions") && rows.getBytes(3) != null) {
                    sessions = rows.getBytes(3);
                }
            }
        }
        Ballot promised = new Ballot(nums.getOrDefault("promised_round", 0L),
                (int) (long) nums.getOrDefault("promised_node", 0L));
        long compacted = nums.getOrDefault("compacted_through", 0L);
        DurableState paxos = new DurableState(promised, loadLog(compacted),
                nums.getOrDefault("commit_index", 0L), compacted);
        connection.commit();
        return new StoredState(paxos, nums.getOrDefault("applied_slot", 0L), loadBalances(), sessions);
    }

    private List<SlotValue> loadLog(long compactedThrough) throws SQLException {
        List<SlotValue> log = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT slot, ballot_round, ballot_node, value FROM paxos_log WHERE slot > ? ORDER BY slot")) {
            query.setLong(1, compactedThrough);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    log.add(new SlotValue(rows.getLong(1), new Ballot(rows.getLong(2), rows.getInt(3)),
                            rows.getBytes(4)));
                }
            }
        }
        return log;
    }

    private Map<Integer, Long> loadBalances() throws SQLException {
        Map<Integer, Long> balances = new HashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT item, balance FROM balances")) {
            while (rows.next()) {
                balances.put(rows.getInt(1), rows.getLong(2));
            }
        }
        connection.commit();
        return balances;
    }

    /** Empties the database: the node starts over (a flush between test sets). */
    public void reset() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM meta");
            statement.executeUpdate("DELETE FROM paxos_log");
            statement.executeUpdate("DELETE FROM balances");
        }
        connection.commit();
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
