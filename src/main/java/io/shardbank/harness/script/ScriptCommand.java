package io.shardbank.harness.script;

import io.shardbank.shard.ReadConsistency;

import io.shardbank.model.NodeId;

/**
 * One command of a test set, as written in a CSV test script. Every command remembers the
 * 1-based file line it came from and its raw text (trimmed, without CSV quotes), so that a run
 * report can point the user back at the row.
 *
 * <p>Parsing checks syntax only: a transfer of amount 0, a transfer to oneself or an item outside
 * the topology are legal here, because the running system must reject them with a reason.
 */
public sealed interface ScriptCommand {

    /** The 1-based line of the file this command was read from. */
    int line();

    /** The command as written: trimmed, CSV quotes removed. */
    String text();

    /** {@code (s, r, amt)}: move {@code amount} units from item {@code from} to item {@code to}. */
    record Transfer(int line, String text, int from, int to, long amount) implements ScriptCommand {}

    /**
     * {@code (s)} or {@code -s}: read the balance of one item, linearizably; {@code (s, lease)} or
     * {@code (s, any)} name another consistency.
     */
    record BalanceRead(int line, String text, int item, ReadConsistency consistency) implements ScriptCommand {
        public BalanceRead(int line, String text, int item) {
            this(line, text, item, ReadConsistency.LINEARIZABLE);
        }
    }

    /** {@code F(nK)}: node K stops (fails) until a later {@code R(nK)}. */
    record Fail(int line, String text, NodeId node) implements ScriptCommand {}

    /** {@code R(nK)}: node K comes back and catches up with its cluster. */
    record Recover(int line, String text, NodeId node) implements ScriptCommand {}
}
