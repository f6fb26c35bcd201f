package io.shardbank.model;

/** Identifies a client request across retries: the client's id and its own sequence number. */
public record RequestId(long clientId, long sequence) {

    @Override
    public String toString() {
        return clientId + ":" + sequence;
    }
}
