package io.shardbank.reshard;

import io.shardbank.model.ClusterId;

/**
 * One item of a plan changing owner, printed as {@code (item, from, to)}, e.g. {@code (3001, c2, c1)},
 * the course's format for PrintReshard.
 */
public record Move(int item, ClusterId from, ClusterId to) {

    public Move {
        if (item < 1) {
            throw new IllegalArgumentException("item ids start at 1, got " + item);
        }
        if (from.equals(to)) {
            throw new IllegalArgumentException("item " + item + " would move from " + from + " to itself");
        }
    }

    @Override
    public String toString() {
        return "(" + item + ", " + from + ", " + to + ")";
    }
}
