package io.shardbank.harness;

import io.shardbank.harness.script.ScriptCommand;
import io.shardbank.harness.script.TestSet;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The record of one executed test set: a result per command in file order, the measured
 * performance, and notes about anything the harness could not ensure (such as replicas that did
 * not catch up in time before a failure).
 */
public record SetResult(TestSet set, List<CommandResult> results, Performance performance, List<String> notes) {

    public SetResult {
        results = List.copyOf(results);
        notes = List.copyOf(notes);
    }

    /** The items of committed transfers: the ones PrintDB shows. */
    public SortedSet<Integer> modifiedItems() {
        SortedSet<Integer> items = new TreeSet<>();
        for (CommandResult result : results) {
            if (result.isCommittedTransfer()) {
                ScriptCommand.Transfer t = (ScriptCommand.Transfer) result.command();
                items.add(t.from());
                items.add(t.to());
            }
        }
        return items;
    }
}
