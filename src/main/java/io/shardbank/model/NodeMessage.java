package io.shardbank.model;

/**
 * Everything a node's actor accepts: protocol messages between nodes, client requests and operator
 * commands. Messages that cross ActorSystems also implement {@link WireMessage}.
 */
public interface NodeMessage {
}
