package io.shardbank.cluster;

import io.shardbank.config.Settings;
import io.shardbank.model.NodeId;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.ActorIdentity;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.Identify;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.remote.artery.GracefulShutdownQuarantinedEvent;
import org.apache.pekko.remote.artery.QuarantinedEvent;

/**
 * Lets a long-lived ActorSystem (a node or a client) reach a node that comes back at the same
 * address as a new incarnation.
 *
 * <p>Artery quarantines a peer's UID when that peer announces its graceful termination (and after
 * some failures). While the association is quarantined it drops every ordinary message to that
 * address before it reaches a send queue, and a few seconds later it stops the outbound streams.
 * Nothing then connects to the address again, so no handshake with a restarted system happens and
 * the quarantine is never lifted from this side: a sender that the restarted node never contacts
 * first (a client, or a coordinator talking to another cluster) stays cut off for good. Only an
 * {@code ActorSelection} message passes a quarantine; sending one restarts the streams, Artery
 * handshakes with whatever system now listens there and, when its UID is new, starts a new
 * incarnation of the association without the quarantine.
 *
 * <p>So, for every node address that gets quarantined, this actor sends an {@link Identify} by
 * selection to the node's guardian every probe interval until an answer comes back, which proves
 * that messages flow both ways again.
 */
public final class PeerReconnector extends AbstractBehavior<PeerReconnector.Command> {

    /** Messages to the reconnector (local only). */
    public sealed interface Command {
    }

    private record PeerQuarantined(Address address) implements Command {
    }

    private record ProbeTick(Address address) implements Command {
    }

    private record Identified(ActorIdentity identity) implements Command {
    }

    /** Pekko setting: how often to probe a quarantined node address until it answers. */
    public static final String PROBE_INTERVAL_KEY = "shardbank.remoting.reconnect-probe-interval";

    private final Map<Address, String> guardianPaths;
    private final Duration probeInterval;
    private final TimerScheduler<Command> timers;
    private final ActorRef<ActorIdentity> identityAdapter;
    /** Quarantined node addresses, each with the time its probing started (for the log). */
    private final Map<Address, Long> probing = new HashMap<>();

    /** Starts the reconnector of {@code system} for the nodes of {@code settings}. */
    public static void install(ActorSystem<?> system, Settings settings) {
        Map<Address, String> guardianPaths = new HashMap<>();
        for (NodeId node : settings.topology().allNodes()) {
            String path = NodeSystem.pathOf(settings, node);
            guardianPaths.put(AddressFromURIString.parse(path), path);
        }
        Duration interval = system.settings().config().getDuration(PROBE_INTERVAL_KEY);
        system.systemActorOf(create(Map.copyOf(guardianPaths), interval), "peer-reconnector", Props.empty());
    }

    static Behavior<Command> create(Map<Address, String> guardianPaths, Duration probeInterval) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers ->
                new PeerReconnector(context, timers, guardianPaths, probeInterval)));
    }

    private PeerReconnector(ActorContext<Command> context, TimerScheduler<Command> timers,
            Map<Address, String> guardianPaths, Duration probeInterval) {
        super(context);
        this.guardianPaths = guardianPaths;
        this.probeInterval = probeInterval;
        this.timers = timers;
        this.identityAdapter = context.messageAdapter(ActorIdentity.class, Identified::new);
        subscribe(context, GracefulShutdownQuarantinedEvent.class, e -> e.uniqueAddress().address());
        subscribe(context, QuarantinedEvent.class, e -> e.uniqueAddress().address());
    }

    private static <E> void subscribe(ActorContext<Command> context, Class<E> event,
            Function<E, Address> addressOf) {
        ActorRef<E> adapter = context.messageAdapter(event, e -> new PeerQuarantined(addressOf.apply(e)));
        context.getSystem().eventStream().tell(new EventStream.Subscribe<>(event, adapter));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(PeerQuarantined.class, this::onPeerQuarantined)
                .onMessage(ProbeTick.class, tick -> probe(tick.address()))
                .onMessage(Identified.class, this::onIdentified)
                .build();
    }

    private Behavior<Command> onPeerQuarantined(PeerQuarantined quarantined) {
        Address address = quarantined.address();
        if (!guardianPaths.containsKey(address) || probing.containsKey(address)) {
            return this; // not a node (a client went away), or probed already
        }
        getContext().getLog().debug("{} quarantined; probing it until a new incarnation answers", address);
        probing.put(address, System.nanoTime());
        timers.startTimerWithFixedDelay(address, new ProbeTick(address), probeInterval);
        return probe(address);
    }

    private Behavior<Command> probe(Address address) {
        if (probing.containsKey(address)) {
            Adapter.toClassic(getContext().getSystem()).actorSelection(guardianPaths.get(address))
                    .tell(new Identify(address.toString()), Adapter.toClassic(identityAdapter));
        }
        return this;
    }

    private Behavior<Command> onIdentified(Identified identified) {
        ActorIdentity identity = identified.identity();
        Address address = AddressFromURIString.parse((String) identity.correlationId());
        Long since = probing.get(address);
        if (since != null && identity.getActorRef().isPresent()) {
            timers.cancel(address);
            probing.remove(address);
            getContext().getLog().info("re-associated with {} after {} ms", address,
                    (System.nanoTime() - since) / 1_000_000);
        }
        return this;
    }
}
