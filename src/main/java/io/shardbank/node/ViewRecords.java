package io.shardbank.node;

import io.shardbank.paxos.PaxosMessage;
import io.shardbank.paxos.SlotValue;
import io.shardbank.shard.BatchCodec;
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
        for (LoggedOperation logged : BatchCodec.decode(entry.value())) {
            operations.add(describe(logged.operation()));
        }
        return "slot " + entry.slot() + ": " + String.join(" ", operations);
    }

    private static String describe(Operation operation) {
        if (operation instanceof Operation.Transfer t) {
            return "(" + t.from() + ", " + t.to() + ", " + t.amount() + ")";
        }
        return "(" + ((Operation.BalanceRead) operation).item() + ")";
    }
}
