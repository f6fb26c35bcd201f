package io.shardbank.reshard;

import java.util.Arrays;

/**
 * A max-heap of candidate moves for refinement, keyed by two longs compared in order (the
 * objective gain, then the tie-breaks). Entries are never removed from the middle: each carries
 * the version of its vertex at the time it was pushed, and a popped entry whose version is no
 * longer current is skipped by the caller.
 */
final class MoveHeap {

    private long[] primary;
    private long[] secondary;
    private int[] vertex;
    private int[] target;
    private int[] version;
    private int size;

    MoveHeap(int capacity) {
        int initial = Math.max(16, capacity);
        primary = new long[initial];
        secondary = new long[initial];
        vertex = new int[initial];
        target = new int[initial];
        version = new int[initial];
    }

    boolean isEmpty() {
        return size == 0;
    }

    void clear() {
        size = 0;
    }

    void push(long primaryKey, long secondaryKey, int v, int to, int ver) {
        if (size == primary.length) {
            int grown = size * 2;
            primary = Arrays.copyOf(primary, grown);
            secondary = Arrays.copyOf(secondary, grown);
            vertex = Arrays.copyOf(vertex, grown);
            target = Arrays.copyOf(target, grown);
            version = Arrays.copyOf(version, grown);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!greater(primaryKey, secondaryKey, primary[parent], secondary[parent])) {
                break;
            }
            copy(parent, i);
            i = parent;
        }
        set(i, primaryKey, secondaryKey, v, to, ver);
    }

    long topPrimary() {
        return primary[0];
    }

    long topSecondary() {
        return secondary[0];
    }

    int topVertex() {
        return vertex[0];
    }

    int topTarget() {
        return target[0];
    }

    int topVersion() {
        return version[0];
    }

    void pop() {
        size--;
        if (size == 0) {
            return;
        }
        long p = primary[size];
        long s = secondary[size];
        int v = vertex[size];
        int t = target[size];
        int ver = version[size];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && greater(primary[child + 1], secondary[child + 1], primary[child], secondary[child])) {
                child++;
            }
            if (!greater(primary[child], secondary[child], p, s)) {
                break;
            }
            copy(child, i);
            i = child;
        }
        set(i, p, s, v, t, ver);
    }

    static boolean greater(long p1, long s1, long p2, long s2) {
        return p1 > p2 || (p1 == p2 && s1 > s2);
    }

    private void copy(int from, int to) {
        primary[to] = primary[from];
        secondary[to] = secondary[from];
        vertex[to] = vertex[from];
        target[to] = target[from];
        version[to] = version[from];
    }

    private void set(int i, long p, long s, int v, int t, int ver) {
        primary[i] = p;
        secondary[i] = s;
        vertex[i] = v;
        target[i] = t;
        version[i] = ver;
    }
}
