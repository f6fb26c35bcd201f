package io.shardbank.cli;

import io.shardbank.client.ShardbankClient;
import io.shardbank.model.Topology;
import io.shardbank.shard.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * An operation given on the command line, in the CSV notation: {@code (s, r, amt)} or {@code s,r,amt}
 * is a transfer, {@code (s)} or {@code s} a balance read. Like a CSV test file, an operation that is
 * not a whole number where one is expected, or names an item outside the topology, is refused before
 * anything starts; an amount that is not positive or a transfer from an item to itself is left to the
 * system, which answers {@code rejected} with the reason.
 */
record OperationArgument(String text, int from, int to, long amount, boolean isRead) {

    static OperationArgument parse(String text) {
        String body = text.strip();
        if (body.startsWith("(") && body.endsWith(")")) {
            body = body.substring(1, body.length() - 1);
        }
        String[] fields = body.split(",", -1);
        if (fields.length == 1) {
            return new OperationArgument(text, item(text, "item", fields[0]), 0, 0, true);
        }
        if (fields.length == 3) {
            return new OperationArgument(text, item(text, "sender", fields[0]), item(text, "receiver", fields[1]),
                    number(text, "amount", fields[2], Long.MAX_VALUE), false);
        }
        throw new IllegalArgumentException("operation '" + text + "': expected (sender, receiver, amount) or (item), got "
                + fields.length + " fields");
    }

    private static int item(String text, String what, String field) {
        return (int) number(text, what, field, Integer.MAX_VALUE);
    }

    /** A whole number within -max..max, or an error that says which field is wrong and how. */
    private static long number(String text, String what, String field, long max) {
        String value = field.strip();
        if (!value.matches("[+-]?\\d+")) {
            throw new IllegalArgumentException("operation '" + text + "': " + what + " is not a number: \"" + value
                    + "\"");
        }
        try {
            long number = Long.parseLong(value);
            if (number >= -max && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // digits only, so it overflowed a long: reported below
        }
        throw new IllegalArgumentException("operation '" + text + "': " + what + " " + value
                + " is out of range (at most " + max + ")");
    }

    static List<OperationArgument> parseAll(List<String> texts, Topology topology) {
        List<OperationArgument> operations = new ArrayList<>();
        for (String text : texts) {
            OperationArgument operation = parse(text);
            operation.checkItems(topology);
            operations.add(operation);
        }
        return operations;
    }

    private void checkItems(Topology topology) {
        for (int item : isRead ? new int[] {from} : new int[] {from, to}) {
            if (!topology.hasItem(item)) {
                throw new IllegalArgumentException("operation '" + text + "': item " + item
                        + " is not in this topology (items 1.." + topology.itemCount() + ")");
            }
        }
    }

    CompletionStage<Outcome> submit(ShardbankClient client) {
        return isRead ? client.read(from) : client.transfer(from, to, amount);
    }

    String describe() {
        return isRead ? "(" + from + ")" : "(" + from + ", " + to + ", " + amount + ")";
    }

    /** Runs the operations one after another, printing each outcome; returns how many failed to commit/read. */
    static int runInOrder(ShardbankClient client, List<OperationArgument> operations, java.io.PrintWriter out) {
        int unsuccessful = 0;
        for (OperationArgument operation : operations) {
            Outcome outcome = operation.submit(client).toCompletableFuture().join();
            out.println(operation.describe() + " -> " + outcome);
            out.flush();
            if (outcome.status() != Outcome.Status.COMMITTED && outcome.status() != Outcome.Status.OK) {
                unsuccessful++;
            }
        }
        return unsuccessful;
    }

}
