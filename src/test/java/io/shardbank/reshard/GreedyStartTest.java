package io.shardbank.reshard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Gathering on 12 items over two parts of 6 (0-based: items 1..6 in part 0, 7..12 in part 1). */
class GreedyStartTest {

    private static final int[] HOME = {0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1};

    private static int[] with(int part, int... items) {
        int[] parts = HOME.clone();
        for (int item : items) {
            parts[item] = part;
        }
        return parts;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("a group straddling the parts joins the part holding most of it", 7,
                        List.of(List.of(1, 2), List.of(2, 7)), with(0, 7)),
                Arguments.of("a wide transaction is gathered in one step", 8,
                        List.of(List.of(1, 7, 8, 9)), with(1, 1)),
                Arguments.of("a group inside one part stays", 8, List.of(List.of(1, 2), List.of(7, 8)), HOME),
                Arguments.of("no room, no gathering", 6, List.of(List.of(1, 2, 7)), HOME),
                Arguments.of("a group too big for the room has its heaviest transaction gathered", 7,
                        Stream.of(List.of(1, 7), List.of(1, 7), List.of(1, 2), List.of(2, 8)).toList(), with(0, 7)),
                Arguments.of("the heavier group takes the last room", 7,
                        Stream.concat(Collections.nCopies(1, List.of(3, 8)).stream(),
                                Collections.nCopies(2, List.of(4, 9)).stream()).toList(), with(0, 9)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gathersWhatFits(String why, int capacity, List<List<Integer>> transactions, int[] expected) {
        AccessLog log = new AccessLog(100);
        transactions.forEach(log::record);

        int[] gathered = GreedyStart.gather(Hypergraph.of(log, 12), HOME, 2, capacity);

        assertThat(gathered).containsExactly(expected);
    }
}
