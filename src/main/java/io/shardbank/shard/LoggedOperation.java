package io.shardbank.shard;

import io.shardbank.model.RequestId;

/** A client operation as it stands in the replicated log: with the client that asked for it. */
public record LoggedOperation(long clientId, Operation operation) implements LogCommand {

    public RequestId requestId() {
        return new RequestId(clientId, operation.sequence());
    }
}
