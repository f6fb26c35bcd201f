package io.shardbank.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ItemChainsTest {

    private final ItemChains chains = new ItemChains();
    private final List<String> started = new ArrayList<>();

    private CompletableFuture<String> submit(String name, CompletableFuture<String> reply, Integer... items) {
        return chains.submit(List.of(items), () -> {
            started.add(name);
            return reply;
        });
    }

    @Test
    void commandsOnDisjointItemsStartAtOnce() {
        submit("a", new CompletableFuture<>(), 1, 2);
        submit("b", new CompletableFuture<>(), 3, 4);
        submit("c", new CompletableFuture<>(), 5);

        assertThat(started).containsExactly("a", "b", "c");
    }

    @Test
    void aCommandWaitsForEveryEarlierCommandOnAnyOfItsItems() {
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> second = new CompletableFuture<>();
        submit("first", first, 1, 2);
        submit("second", second, 3, 4);
        CompletableFuture<String> third = submit("third", CompletableFuture.completedFuture("done"), 2, 3);

        assertThat(started).containsExactly("first", "second");
        first.complete("ok");
        assertThat(started).containsExactly("first", "second");
        second.complete("ok");
        assertThat(started).containsExactly("first", "second", "third");
        assertThat(third).isCompletedWithValue("done");
    }

    @Test
    void commandsOnOneItemRunInSubmissionOrder() {
        CompletableFuture<String> transfer = new CompletableFuture<>();
        submit("transfer", transfer, 7, 8);
        submit("read", CompletableFuture.completedFuture("10"), 8);
        submit("other", CompletableFuture.completedFuture("x"), 9);

        assertThat(started).containsExactly("transfer", "other");
        transfer.complete("committed");
        assertThat(started).containsExactly("transfer", "other", "read");
    }

    @Test
    void aFailedCommandStillReleasesTheNextOne() {
        CompletableFuture<String> failing = new CompletableFuture<>();
        submit("failing", failing, 1);
        submit("next", CompletableFuture.completedFuture("ok"), 1);

        failing.completeExceptionally(new IllegalStateException("client gone"));

        assertThat(started).containsExactly("failing", "next");
    }
}
