package io.shardbank.model;

/**
 * A node of the system, named {@code n1}, {@code n2}, ... Node indexes are global and 1-based:
 * with m nodes per cluster, cluster k holds nodes (k-1)*m+1 .. k*m.
 */
public record NodeId(int index) implements Comparable<NodeId> {

    public NodeId {
        if (index < 1) {
            throw new IllegalArgumentException("node index must be >= 1, got " + index);
        }
    }

    /** Parses {@code n4} (case-insensitive, surrounding blanks allowed). */
    public static NodeId parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.length() < 2 || (t.charAt(0) != 'n' && t.charAt(0) != 'N')) {
            throw new IllegalArgumentException("not a node id (expected n<number>): '" + text + "'");
        }
        try {
            return new NodeId(Integer.parseInt(t.substring(1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a node id (expected n<number>): '" + text + "'");
        }
    }

    @Override
    public int compareTo(NodeId other) {
        return Integer.compare(index, other.index);
    }

    @Override
    public String toString() {
        return "n" + index;
    }
}
