package io.shardbank.harness;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Per-item chains of futures: a command starts once every earlier command on any of its items has
 * finished, and commands on disjoint items start at once. Executing a step this way gives the same
 * outcome as running its commands one by one in file order, because only commands that share an
 * item can see each other's effects (a balance, a lock), and those keep their order.
 */
final class ItemChains {

    private final Map<Integer, CompletableFuture<?>> lastOnItem = new HashMap<>();

    /**
     * Starts {@code command} after the commands submitted before it on any of {@code items} have
     * finished (successfully or not), and returns its result. Call from one thread.
     */
    <T> CompletableFuture<T> submit(List<Integer> items, Supplier<? extends CompletionStage<T>> command) {
        CompletableFuture<?>[] before = items.stream().map(lastOnItem::get).filter(f -> f != null)
                .toArray(CompletableFuture<?>[]::new);
        // handle(...) so that a failed predecessor still releases its successors.
        CompletableFuture<T> result = CompletableFuture.allOf(before).handle((ignored, error) -> null)
                .thenCompose(ignored -> command.get());
        items.forEach(item -> lastOnItem.put(item, result));
        return result;
    }
}
