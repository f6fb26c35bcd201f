package io.shardbank.harness;

/**
 * The harness could not do its job: a node did not answer an operator request, the client failed,
 * or a set could not be prepared. Outcomes of transactions (aborted, unavailable) are results, not
 * harness errors.
 */
public final class HarnessException extends RuntimeException {

    public HarnessException(String message) {
        super(message);
    }

    public HarnessException(String message, Throwable cause) {
        super(message, cause);
    }
}
