package io.shardbank.model;

/**
 * Marker for every message that crosses an ActorSystem boundary. It is bound to Jackson CBOR in
 * {@code application.conf}; Java serialization stays off.
 */
public interface WireMessage {
}
