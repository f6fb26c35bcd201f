package io.shardbank.model;

/**
 * A message one node's protocol core sends to a peer: Paxos, two-phase commit, a snapshot. The cores
 * know nothing of actors; the node's actor carries each such message inside its own closed protocol
 * (an envelope of the node's sealed command type) and unwraps it at the receiver.
 */
public interface NodeMessage {
}
