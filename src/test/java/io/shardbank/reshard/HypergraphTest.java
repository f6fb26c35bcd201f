package io.shardbank.reshard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HypergraphTest {

    private static AccessLog log(List<List<Integer>> sets) {
        AccessLog log = new AccessLog(100);
        sets.forEach(log::record);
        return log;
    }

    @Test
    void distinctItemSetsBecomeEdgesWeightedByHowOftenTheyOccurred() {
        AccessLog log = log(List.of(List.of(2, 1), List.of(1, 3), List.of(1, 2), List.of(3, 2, 1), List.of(1, 2)));

        Hypergraph graph = Hypergraph.of(log, 10);

        assertThat(graph.itemCount()).isEqualTo(10);
        assertThat(graph.edgeCount()).isEqualTo(3);
        assertThat(graph.itemsOf(0)).containsExactly(1, 2);
        assertThat(graph.weight(0)).isEqualTo(3);
        assertThat(graph.itemsOf(1)).containsExactly(1, 2, 3);
        assertThat(graph.weight(1)).isEqualTo(1);
        assertThat(graph.itemsOf(2)).containsExactly(1, 3);
        assertThat(graph.totalWeight()).isEqualTo(5);
        assertThat(graph.degree(1)).isEqualTo(3);
        assertThat(graph.degree(3)).isEqualTo(2);
        assertThat(graph.degree(10)).isZero();
    }

    @Test
    void theSameTransactionsInAnotherOrderGiveTheSameGraph() {
        Hypergraph a = Hypergraph.of(log(List.of(List.of(5, 6), List.of(1, 9), List.of(5, 6))), 10);
        Hypergraph b = Hypergraph.of(log(List.of(List.of(1, 9), List.of(6, 5), List.of(6, 5))), 10);

        for (int edge = 0; edge < a.edgeCount(); edge++) {
            assertThat(b.itemsOf(edge)).isEqualTo(a.itemsOf(edge));
            assertThat(b.weight(edge)).isEqualTo(a.weight(edge));
        }
        assertThat(b.edgeCount()).isEqualTo(a.edgeCount());
    }

    @Test
    void theCutIsTheWeightOfEdgesSpanningMoreThanOnePart() {
        Hypergraph graph = Hypergraph.of(
                log(List.of(List.of(1, 2), List.of(1, 2), List.of(2, 3), List.of(1, 2, 4), List.of(3, 4))), 4);

        // parts: {1, 2} and {3, 4}
        assertThat(graph.cut(item -> item <= 2 ? 1 : 2)).isEqualTo(2);
        assertThat(graph.cut(item -> 1)).isZero();
        assertThat(graph.cut(item -> item)).isEqualTo(5);
    }

    @Test
    void anItemOutsideTheMapIsAnError() {
        AccessLog log = log(List.of(List.of(1, 9001)));

        assertThatThrownBy(() -> Hypergraph.of(log, 9000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("item 9001").hasMessageContaining("1..9000");
    }
}
