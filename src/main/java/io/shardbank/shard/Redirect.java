package io.shardbank.shard;

/**
 * Where an item went: a cluster asked to act on {@code item} owns it no longer (or is handing it
 * over), and names {@code owner} as of its shard map {@code mapVersion}.
 */
public record Redirect(int item, int owner, long mapVersion) {

    /** "item 17 is owned by c2 (shard map v3)" */
    public String describe() {
        return "item " + item + " is owned by c" + owner + " (shard map v" + mapVersion + ")";
    }
}
