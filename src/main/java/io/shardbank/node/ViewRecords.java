package io.shardbank.node;

import io.shardbank.paxos.PaxosMessage;
import io.shardbank.paxos.SlotValue;
import io.shardbank.shard.BatchCodec;
import io.shardbank.shard.ItemDelta;
import io.shardbank.shard.LogCommand;
import io.shardbank.shard.LoggedOperation;
import io.shardbank.shard.Operation;
import java.util.ArrayList;
import java.util.List;

/** Turns a NEW-VIEW message into the readable record PrintView shows. */
final class ViewRecords {

    private ViewRecords() {
    }

    static NodeProtocol.ViewRecord of(PaxosMessage.NewView view) {
        List<String> entries = new ArrayList<>(view.entries().size());
        for (SlotValue entry : view.entries()) {
            entries.add(describe(entry));
        }
        return new NodeProtocol.ViewRecord(view.ballot(), view.from(), view.commitIndex(), entries);
    }

    static String describe(SlotValue entry) {
        if (entry.isNoop()) {
            return "slot " + entry.slot() + ": no-op";
        }
        List<String> operations = new ArrayList<>();
        for (LogCommand command : BatchCodec.decode(entry.value())) {
            operations.add(describe(command));
        }
        return "slot " + entry.slot() + ": " + String.join(" ", operations);
    }

    private static String describe(LogCommand command) {
        if (command instanceof LogCommand.TxnPrepared p) {
            return p.handover() == null ? "prepare " + p.txn() + " " + deltas(p.deltas())
                    : "prepare " + p.txn() + " move " + p.handover().items() + " c" + p.handover().fromCluster()
                            + "->c" + p.handover().toCluster();
        }
        if (command instanceof LogCommand.TxnDecided d) {
            return (d.commit() ? "commit " : "abort ") + d.txn();
        }
        if (command instanceof LogCommand.TxnEnded e) {
            return "end " + e.txn();
        }
        Operation operation = ((LoggedOperation) command).operation();
        if (operation instanceof Operation.Transfer t) {
            return "(" + t.from() + ", " + t.to() + ", " + t.amount() + ")";
        }
        if (operation instanceof Operation.Transaction t) {
            return deltas(t.deltas());
        }
        if (operation instanceof Operation.Migrate m) {
            return "move " + m.items() + " c" + m.fromCluster() + "->c" + m.toCluster();
        }
        return "(" + ((Operation.BalanceRead) operation).item() + ")";
    }

    private static String deltas(List<ItemDelta> deltas) {
        return deltas.stream().map(d -> d.item() + (d.delta() >= 0 ? "+" : "") + d.delta()).toList().toString();
    }
}
