package io.shardbank.harness;

/** What {@code F(n)} and {@code R(n)} of a test set do to a node. */
public enum FailureMode {
    /** The node acts disconnected (drops everything in and out, timers stopped) until recovered. */
    DISCONNECT,
    /** The node's ActorSystem is stopped, as a crash would; recovery starts it again from its SQLite file. */
    CRASH
}
