package io.shardbank.storage;

import java.sql.SQLException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The only owner of a node's SQLite connection. It runs on the blocking storage dispatcher so that a
 * sync never stalls protocol work. Writes are answered in the order they came; the node sends one
 * write at a time and merges what piles up meanwhile, so each transaction (one fsync) covers every
 * update that arrived during the previous one. A failed write stops this actor, and the node with it:
 * a node that cannot persist must not vote.
 */
public final class StorageActor extends AbstractBehavior<StorageActor.Command> {

    /** Requests to the storage actor; sent by the node's actor only. */
    public sealed interface Command {
    }

    /** Make {@code batch} durable, then answer {@link Written} with the same token. */
    public record Write(WriteBatch batch, long token, ActorRef<Written> replyTo) implements Command {
    }

    /** Read the whole stored state. */
    public record Load(ActorRef<Loaded> replyTo) implements Command {
    }

    /** Delete everything (a flush), then answer with the now empty state. */
    public record Reset(ActorRef<Loaded> replyTo) implements Command {
    }

    /** The write with this token is durable. */
    public record Written(long token) {
    }

    /** The stored state, read at start or after a reset. */
    public record Loaded(StoredState state) {
    }

    private final NodeStore store;

    public static Behavior<Command> create(NodeStore store) {
        return Behaviors.setup(context -> new StorageActor(context, store));
    }

    private StorageActor(ActorContext<Command> context, NodeStore store) {
        super(context);
        this.store = store;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Write.class, this::onWrite)
                .onMessage(Load.class, this::onLoad)
                .onMessage(Reset.class, this::onReset)
                .onSignal(org.apache.pekko.actor.typed.PostStop.class, signal -> onStop())
                .build();
    }

    private Behavior<Command> onWrite(Write write) throws SQLException {
        store.write(write.batch());
        write.replyTo().tell(new Written(write.token()));
        return this;
    }

    private Behavior<Command> onLoad(Load load) throws SQLException {
        load.replyTo().tell(new Loaded(store.load()));
        return this;
    }

    private Behavior<Command> onReset(Reset reset) throws SQLException {
        store.reset();
        reset.replyTo().tell(new Loaded(store.load()));
        return this;
    }

    private Behavior<Command> onStop() throws SQLException {
        store.close();
        return this;
    }
}
