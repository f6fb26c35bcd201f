package io.shardbank.reshard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AccessLogTest {

    static Stream<Arguments> recordings() {
        return Stream.of(
                Arguments.of("a pair is kept sorted", List.of(3001, 1), true, List.of(1, 3001)),
                Arguments.of("repeats count once", List.of(5, 2, 5, 2, 9), true, List.of(2, 5, 9)),
                Arguments.of("a single item cannot cross clusters", List.of(7), false, null),
                Arguments.of("a transfer to oneself touches one item", List.of(7, 7), false, null),
                Arguments.of("an empty set is nothing", List.of(), false, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordings")
    void recordsDistinctSortedItemSetsOfAtLeastTwoItems(String why, List<Integer> items, boolean kept,
            List<Integer> stored) {
        AccessLog log = new AccessLog(4);

        assertThat(log.record(items)).isEqualTo(kept);

        assertThat(log.itemSets()).isEqualTo(kept ? List.of(stored) : List.of());
        assertThat(log.recordedTotal()).isEqualTo(kept ? 1 : 0);
    }

    @Test
    void keepsOnlyTheLastTransactionsUpToItsBound() {
        AccessLog log = new AccessLog(3);

        for (int i = 1; i <= 5; i++) {
            log.record(List.of(i, i + 100));
        }

        assertThat(log.size()).isEqualTo(3);
        assertThat(log.transactionsMax()).isEqualTo(3);
        assertThat(log.recordedTotal()).isEqualTo(5);
        assertThat(log.itemSets()).containsExactly(List.of(3, 103), List.of(4, 104), List.of(5, 105));
    }

    @Test
    void clearForgetsEverythingAndACopyIsIndependent() {
        AccessLog log = new AccessLog(2);
        log.record(List.of(1, 2));
        AccessLog copy = log.copy();

        log.clear();
        log.record(List.of(3, 4));
        copy.record(List.of(5, 6));
        copy.record(List.of(7, 8));

        assertThat(log.itemSets()).containsExactly(List.of(3, 4));
        assertThat(log.recordedTotal()).isEqualTo(1);
        assertThat(copy.itemSets()).containsExactly(List.of(5, 6), List.of(7, 8));
        assertThat(copy.recordedTotal()).isEqualTo(3);
    }

    @Test
    void refusesABoundBelowOneAndItemIdsBelowOne() {
        assertThatThrownBy(() -> new AccessLog(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1 transaction");
        assertThatThrownBy(() -> new AccessLog(2).record(List.of(0, 5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("item ids start at 1");
    }
}
