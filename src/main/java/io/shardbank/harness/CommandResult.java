package io.shardbank.harness;

import io.shardbank.harness.script.ScriptCommand;
import io.shardbank.shard.Outcome;
import java.util.Optional;

/**
 * What one command of a set did: for a transfer or read, the outcome the client got and the time
 * from sending it to the reply; for {@code F}/{@code R}, no outcome.
 *
 * @param command the command as read from the file
 * @param outcome the client's answer, empty for node changes
 * @param latencyNanos send-to-reply time of a transfer or read, 0 for node changes
 */
public record CommandResult(ScriptCommand command, Optional<Outcome> outcome, long latencyNanos) {

    public static CommandResult transaction(ScriptCommand command, Outcome outcome, long latencyNanos) {
        return new CommandResult(command, Optional.of(outcome), latencyNanos);
    }

    public static CommandResult nodeChange(ScriptCommand command) {
        return new CommandResult(command, Optional.empty(), 0);
    }

    /** Whether this is a transfer the system applied. */
    public boolean isCommittedTransfer() {
        return command instanceof ScriptCommand.Transfer
                && outcome.map(o -> o.status() == Outcome.Status.COMMITTED).orElse(false);
    }

    public double latencyMs() {
        return latencyNanos / 1_000_000.0;
    }
}
