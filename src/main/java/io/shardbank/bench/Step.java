package io.shardbank.bench;

import io.shardbank.client.ShardbankClient;
import io.shardbank.shard.Operation;
import io.shardbank.shard.Outcome;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One operation of a workload as the load driver sees it: a named transaction type made of one or
 * more client operations run together (a SmallBank Balance reads two items, for instance).
 *
 * @param type the workload's name for it ("SendPayment", "NewOrder", "transfer", ...)
 * @param read whether it only reads
 * @param crossCluster whether it touches items of more than one cluster
 */
public record Step(String type, boolean read, boolean crossCluster, List<Operation> operations) {

    public Step {
        if (operations.isEmpty()) {
            throw new IllegalArgumentException("a step needs at least one operation");
        }
        operations = List.copyOf(operations);
    }

    /**
     * What the step adds to the sum of all balances when it commits: 0 for a transfer or a read,
     * the sum of its deltas for a transaction. Only single-operation steps write, so a committed
     * step applied all of this.
     */
    public long netDelta() {
        long sum = 0;
        for (Operation operation : operations) {
            for (var delta : Operation.deltasOf(operation)) {
                sum += delta.delta();
            }
        }
        return sum;
    }

    /**
     * Submits every operation at once. The step's outcome is the first one that neither committed
     * nor read (an abort, say), else the last one.
     */
    public CompletionStage<Outcome> submit(ShardbankClient client) {
        if (operations.size() == 1) {
            return client.submit(operations.get(0));
        }
        List<CompletableFuture<Outcome>> outcomes = operations.stream()
                .map(operation -> client.submit(operation).toCompletableFuture())
                .toList();
        return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).thenApply(done -> {
            for (CompletableFuture<Outcome> outcome : outcomes) {
                Outcome.Status status = outcome.join().status();
                if (status != Outcome.Status.COMMITTED && status != Outcome.Status.OK) {
                    return outcome.join();
                }
            }
            return outcomes.get(outcomes.size() - 1).join();
        });
    }
}
