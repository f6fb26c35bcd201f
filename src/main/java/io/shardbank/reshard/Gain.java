package io.shardbank.reshard;

/**
 * What moving one item to another part would save, compared in this order: the cut (transactions
 * that stop crossing clusters), then the connectivity (clusters each transaction spans, less one),
 * then whether the item goes home. Larger is better.
 *
 * <p>The connectivity term lets a transaction over three or more items be pulled together one item
 * at a time: the first move of such a pull leaves the cut as it is but joins two of its parts. The
 * last term is the tie-break against moving: of two equally good moves, the one that returns an
 * item to its current cluster (or does not take one away) wins.
 *
 * @param cut how much the cut falls (negative: rises)
 * @param connectivity how much the weighted sum of (parts spanned - 1) over all edges falls
 * @param homeward +1 if the item returns to the cluster it has now, -1 if it leaves it, 0 otherwise
 */
record Gain(long cut, long connectivity, int homeward) implements Comparable<Gain> {

    @Override
    public int compareTo(Gain other) {
        int byCut = Long.compare(cut, other.cut);
        if (byCut != 0) {
            return byCut;
        }
        int byConnectivity = Long.compare(connectivity, other.connectivity);
        return byConnectivity != 0 ? byConnectivity : Integer.compare(homeward, other.homeward);
    }
}
