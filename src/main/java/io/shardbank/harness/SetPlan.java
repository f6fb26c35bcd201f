package io.shardbank.harness;

import io.shardbank.harness.script.ScriptCommand;
import io.shardbank.harness.script.TestSet;
import java.util.ArrayList;
import java.util.List;

/**
 * A test set cut into steps at its {@code F}/{@code R} rows: the transactions between two such rows
 * form one step and may run concurrently; each node change is a step of its own. Running the steps
 * in order makes every failure take effect exactly where the file puts it.
 */
record SetPlan(List<Step> steps) {

    /** One step of a set. */
    sealed interface Step {
    }

    /** Transfers and reads that may overlap, as long as those sharing an item keep file order. */
    record Transactions(List<ScriptCommand> commands) implements Step {
        Transactions {
            commands = List.copyOf(commands);
        }
    }

    /** An {@code F(n)} or {@code R(n)} row. */
    record NodeChange(ScriptCommand command) implements Step {
    }

    SetPlan {
        steps = List.copyOf(steps);
    }

    static SetPlan of(TestSet set) {
        List<Step> steps = new ArrayList<>();
        List<ScriptCommand> transactions = new ArrayList<>();
        for (ScriptCommand command : set.commands()) {
            if (isNodeChange(command)) {
                if (!transactions.isEmpty()) {
                    steps.add(new Transactions(transactions));
                    transactions = new ArrayList<>();
                }
                steps.add(new NodeChange(command));
            } else {
                transactions.add(command);
            }
        }
        if (!transactions.isEmpty()) {
            steps.add(new Transactions(transactions));
        }
        return new SetPlan(steps);
    }

    static boolean isNodeChange(ScriptCommand command) {
        return command instanceof ScriptCommand.Fail || command instanceof ScriptCommand.Recover;
    }

    /** The items a transaction touches, which decide what it must wait for. */
    static List<Integer> itemsOf(ScriptCommand command) {
        if (command instanceof ScriptCommand.Transfer t) {
            return t.from() == t.to() ? List.of(t.from()) : List.of(t.from(), t.to());
        }
        if (command instanceof ScriptCommand.BalanceRead r) {
            return List.of(r.item());
        }
        return List.of();
    }
}
