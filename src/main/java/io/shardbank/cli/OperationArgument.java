package io.shardbank.cli;

import io.shardbank.client.ShardbankClient;
import io.shardbank.shard.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * An operation given on the command line, in the CSV notation: {@code (s, r, amt)} or {@code s,r,amt}
 * is a transfer, {@code (s)} or {@code s} a balance read.
 */
record OperationArgument(String text, int from, int to, long amount, boolean isRead) {

    static OperationArgument parse(String text) {
        String body = text.strip();
        if (body.startsWith("(") && body.endsWith(")")) {
            body = body.substring(1, body.length() - 1);
        }
        String[] fields = body.split(",", -1);
        try {
            if (fields.length == 1) {
                return new OperationArgument(text, Integer.parseInt(fields[0].strip()), 0, 0, true);
            }
            if (fields.length == 3) {
                return new OperationArgument(text, Integer.parseInt(fields[0].strip()),
                        Integer.parseInt(fields[1].strip()), Long.parseLong(fields[2].strip()), false);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("operation '" + text + "': not a number: " + e.getMessage()
                    .replace("For input string: ", ""));
        }
        throw new IllegalArgumentException("operation '" + text + "': expected (sender, receiver, amount) or (item), got "
                + fields.length + " fields");
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

    static List<OperationArgument> parseAll(List<String> texts) {
        List<OperationArgument> operations = new ArrayList<>();
        for (String text : texts) {
            operations.add(parse(text));
        }
        return operations;
    }
}
