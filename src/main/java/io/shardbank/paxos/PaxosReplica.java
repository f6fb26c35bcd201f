package io.shardbank.paxos;

import io.shardbank.model.Invariants;
import io.shardbank.paxos.PaxosMessage.Accept;
import io.shardbank.paxos.PaxosMessage.Accepted;
import io.shardbank.paxos.PaxosMessage.CatchupReply;
import io.shardbank.paxos.PaxosMessage.CatchupRequest;
import io.shardbank.paxos.PaxosMessage.Heartbeat;
import io.shardbank.paxos.PaxosMessage.NewView;
import io.shardbank.paxos.PaxosMessage.Phase1Prepare;
import io.shardbank.paxos.PaxosMessage.Promise;
import io.shardbank.paxos.PaxosMessage.Rejected;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * One node's Multi-Paxos replica: acceptor, proposer (when it leads) and learner in one pure,
 * deterministic state machine. It does no I/O and reads no clock: inputs are messages, ticks with
 * the current time, proposals and snapshot notices; every reaction is collected in a {@link Ready}
 * that the host drains with {@link #drainReady()} and carries out in the order Ready describes.
 *
 * <p>Values are opaque bytes; an empty value is a no-op. A leader pipelines up to {@code
 * pipelineDepthMax} slots; a new leader re-proposes, in one {@link NewView}, the highest-ballot
 * accepted value of every slot above its commit index and fills gaps with no-ops.
 */
public final class PaxosReplica {

    /** The replica's part in the protocol right now. */
    public enum Role { FOLLOWER, CANDIDATE, LEADER }

    private final int self;
    private final int[] members;
    private final int quorum;
    private final PaxosSettings settings;
    private final RandomGenerator random;

    // Acceptor and learner state; promised, log and commitIndex are durable.
    private Ballot promised;
    private final TreeMap<Long, SlotValue> log = new TreeMap<>();
    private long commitIndex;
    private long compactedThrough;

    // Who leads, as far as this replica knows.
    private Role role = Role.FOLLOWER;
    private Ballot ballot = Ballot.ZERO;
    private int leaderHint;
    private long highestRoundSeen;
    private long leaderCommitKnown;

    // Time.
    private long now;
    private long electionDeadline;
    private long lastHeardFromLeaderAt = Long.MIN_VALUE / 2;
    private long nextHeartbeatAt;
    private long nextCatchupAt;

    // Candidate state.
    private final Map<Integer, Promise> promises = new HashMap<>();
    /** Members that answered (promise or rejection) in the current election round, self included. */
    private final Set<Integer> electionResponders = new HashSet<>();
    /** Whether the last election round that ran to its timeout heard from fewer than a majority. */
    private boolean lastElectionCutOff;
    private long electionFromSlot;

    // Leader state.
    private long nextSlot;
    private final TreeMap<Long, InFlight> inFlight = new TreeMap<>();
    private final Map<Integer, Long> lastHeardFromFollowerAt = new HashMap<>();
    /**
     * Leader: per member, when this leader sent the latest message the member has answered (by its
     * own clock). Read leases count from here, so that a late answer (after a pause of this
     * process, say) never makes an old contact look fresh; check-quorum and NO_MAJORITY, which
     * only concern liveness, count from arrival.
     */
    private final Map<Integer, Long> answeredSentAt = new HashMap<>();
    /** Candidate: when it sent its Phase1Prepare; promises count as answers from then. */
    private long electionStartedAt;
    private long leaderSince;
    private long newViewLastSlot;

    private Ready ready = new Ready();

    private static final class InFlight {
        final SlotValue entry;
        final Set<Integer> votes = new HashSet<>();
        long lastSentAt;
        boolean chosen;

        InFlight(SlotValue entry, long sentAt) {
            this.entry = entry;
            this.lastSentAt = sentAt;
        }
    }

    /**
     * @param self this node's index
     * @param members every node index of the cluster, self included
     * @param durable what the node found on its disk
     * @param now the current time in milliseconds, from the host's clock
     */
    public PaxosReplica(int self, List<Integer> members, PaxosSettings settings, RandomGenerator random,
            DurableState durable, long now) {
        Invariants.check(members.contains(self), "node %d is not a member of %s", self, members);
        this.self = self;
        this.members = members.stream().mapToInt(Integer::intValue).toArray();
        this.quorum = members.size() / 2 + 1;
        this.settings = settings;
        this.random = random;
        this.promised = durable.promised();
        this.commitIndex = durable.commitIndex();
        this.compactedThrough = durable.compactedThrough();
        for (SlotValue entry : durable.accepted()) {
            if (entry.slot() > compactedThrough) {
                log.put(entry.slot(), entry);
            }
        }
        this.highestRoundSeen = promised.round();
        this.leaderCommitKnown = commitIndex;
        this.now = now;
        resetElectionTimer();
    }

    // ---------------------------------------------------------------- queries

    public int self() {
        return self;
    }

    public Role role() {
        return role;
    }

    public boolean isLeader() {
        return role == Role.LEADER;
    }

    /** The node this replica believes leads, or 0 when it does not know. */
    public int leaderHint() {
        return leaderHint;
    }

    public Ballot ballot() {
        return role == Role.FOLLOWER ? promised : ballot;
    }

    public Ballot promised() {
        return promised;
    }

    public long commitIndex() {
        return commitIndex;
    }

    public long compactedThrough() {
        return compactedThrough;
    }

    /** The value this replica holds for a slot, chosen or only accepted; null when it has none. */
    public SlotValue entry(long slot) {
        return log.get(slot);
    }

    /** True when a leader may start another slot without passing its pipeline bound. */
    public boolean canPropose() {
        return role == Role.LEADER && inFlight.size() < settings.pipelineDepthMax();
    }

    /** Test seam: proposals this leader has in flight. */
    int inFlightCount() {
        return inFlight.size();
    }

    /**
     * The members a leader has heard from within the contact window (see {@link #contactWindowMs}),
     * itself included; empty when not leading. Followers answer every heartbeat, so a member that
     * failed drops out of this set within the window.
     */
    public List<Integer> contactedMembers() {
        return contactedWithin(lastHeardFromFollowerAt, contactWindowMs(), now);
    }

    /** The members whose time in {@code contact} lies within {@code window} before {@code atMs}, itself included. */
    private List<Integer> contactedWithin(Map<Integer, Long> contact, long window, long atMs) {
        List<Integer> contacted = new ArrayList<>();
        if (role != Role.LEADER) {
            return contacted;
        }
        for (int member : members) {
            Long at = contact.get(member);
            if (member == self || at != null && atMs < at + window) {
                contacted.add(member);
            }
        }
        return contacted;
    }

    /**
     * Whether a leader is in touch with a majority right now. A leader that is not does not start
     * new slots: an operation proposed then could only be chosen after the majority returns, long
     * after its client was told the cluster is unavailable.
     */
    public boolean hasQuorumContact() {
        if (role != Role.LEADER) {
            return false;
        }
        return contactedMembers().size() >= quorum;
    }

    /**
     * How recent a follower's last message must be to count as contact: a full election timeout,
     * and at least four heartbeat intervals, so that slow replies or a GC pause on a loaded machine
     * do not make a healthy leader turn clients away. (A leader that really lost its majority finds
     * out within that time, and steps down after it.)
     */
    private long contactWindowMs() {
        return Math.max(4 * settings.heartbeatIntervalMs(), settings.electionTimeoutMs());
    }

    /** Lease reads need fresher contact: half an election timeout (see {@link #hasReadLease}). */
    private long leaseWindowMs() {
        return Math.max(2 * settings.heartbeatIntervalMs(), settings.electionTimeoutMs() / 2);
    }

    /**
     * Whether this replica knows it cannot reach a majority: a leader out of touch with one, or a
     * candidate whose last full election round heard from fewer than a majority. A follower cannot
     * tell, and says no.
     */
    public boolean knowsNoMajority() {
        return switch (role) {
            case LEADER -> !hasQuorumContact();
            case CANDIDATE -> lastElectionCutOff;
            case FOLLOWER -> false;
        };
    }

    /**
     * Whether a leader may answer reads from its applied state at {@code nowMs}: a majority answered
     * messages it sent within the lease window before {@code nowMs} (half an election timeout; a
     * follower that heard from a leader does not vote for another for a full election timeout
     * after it received the message, so no other leader can exist meanwhile, given clocks that
     * drift less than that margin), and every slot of its NEW-VIEW is chosen, so its state holds
     * everything a former leader may have acknowledged.
     *
     * <p>Both ends of the window are the leader's own clock: contact counts from when the leader
     * sent what was answered, and {@code nowMs} is the host's clock at the read, not the time of
     * the last tick. A process paused after a tick (SIGSTOP, a long collection) that resumes with
     * reads and stale answers queued up therefore holds no lease, while a successor elected
     * meanwhile may have committed writes.
     */
    public boolean hasReadLease(long nowMs) {
        return role == Role.LEADER && commitIndex >= newViewLastSlot
                && contactedWithin(answeredSentAt, leaseWindowMs(), Math.max(now, nowMs)).size() >= quorum;
    }

    // ---------------------------------------------------------------- inputs

    /**
     * Makes this replica leader of a cluster that has never run: its ballot (1, self) is the lowest
     * any node can use, so no value can have been accepted below it and phase 1 is already done.
     * Only valid on an empty disk. Test seam; hosts call {@link #bootstrap}.
     */
    void bootstrapAsLeader() {
        bootstrap(new Ballot(1, self));
    }

    /**
     * Starts an empty replica promised to {@code initial}, whose owner leads without phase 1: every
     * member of the cluster starts the same way (at the first start, or after a flush), so no value
     * can have been accepted at a lower ballot. Messages still in flight from before a flush carry
     * lower ballots and are rejected.
     */
    public void bootstrap(Ballot initial) {
        Invariants.check(promised.equals(Ballot.ZERO) && log.isEmpty() && commitIndex == 0,
                "bootstrap needs an empty replica, node %d has state", self);
        promised = initial;
        ready.promised = initial;
        highestRoundSeen = Math.max(highestRoundSeen, initial.round());
        if (initial.node() == self) {
            ballot = initial;
            becomeLeaderWith(List.of());
        } else {
            ballot = initial;
            leaderHint = initial.node();
            lastHeardFromLeaderAt = now;
            resetElectionTimer();
        }
    }

    /** Proposes a value in the next slot. Call only when {@link #canPropose()}; returns the slot. */
    public long propose(byte[] value) {
        Invariants.check(canPropose(), "node %d proposed while not able to (role %s, in flight %d)",
                self, role, inFlight.size());
        SlotValue entry = new SlotValue(nextSlot++, ballot, value);
        inFlight.put(entry.slot(), new InFlight(entry, now));
        broadcastAccept(List.of(entry));
        return entry.slot();
    }

    /** Advances time: elections, heartbeats, retransmissions and catch-up retries happen here. */
    public void tick(long nowMs) {
        now = Math.max(now, nowMs);
        switch (role) {
            case LEADER -> leaderTick();
            case CANDIDATE, FOLLOWER -> {
                if (now >= electionDeadline) {
                    startElection();
                } else if (role == Role.FOLLOWER) {
                    maybeRequestCatchup();
                }
            }
        }
    }

    /**
     * A node that was cut off (or restarted) rejoins: it waits a full election timeout for the
     * current leader before it stands itself, so that coming back does not depose a working leader.
     */
    public void rejoin(long nowMs) {
        now = Math.max(now, nowMs);
        lastHeardFromLeaderAt = Long.MIN_VALUE / 2;
        if (role != Role.FOLLOWER) {
            stepDown();
        }
        resetElectionTimer();
    }

    /** Handles one protocol message. */
    public void onMessage(PaxosMessage message) {
        if (message instanceof Phase1Prepare m) {
            onPhase1Prepare(m);
        } else if (message instanceof Promise m) {
            onPromise(m);
        } else if (message instanceof Rejected m) {
            onRejected(m);
        } else if (message instanceof Accept m) {
            onAccept(m.from(), m.ballot(), m.entries(), m.commitIndex(), m.sentAtMs());
        } else if (message instanceof NewView m) {
            onAccept(m.from(), m.ballot(), m.entries(), m.commitIndex(), m.sentAtMs());
        } else if (message instanceof Accepted m) {
            onAccepted(m);
        } else if (message instanceof Heartbeat m) {
            onHeartbeat(m);
        } else if (message instanceof CatchupRequest m) {
            onCatchupRequest(m);
        } else if (message instanceof CatchupReply m) {
            onCatchupReply(m);
        }
    }

    /**
     * The host installed a snapshot of the state machine as of {@code slot} (received from another
     * node): everything up to it is chosen and applied. A candidate or leader steps down first: its
     * election and its in-flight slots start right above its commit index, which must not move
     * under them.
     */
    public void installSnapshot(long slot) {
        if (slot <= commitIndex) {
            return;
        }
        if (role != Role.FOLLOWER) {
            stepDown();
        }
        log.headMap(slot, true).clear();
        commitIndex = slot;
        compactedThrough = slot;
        leaderCommitKnown = Math.max(leaderCommitKnown, slot);
        ready.commitIndex = commitIndex;
        nextCatchupAt = now;
    }

    /** The host made a snapshot as of {@code slot} durable: values up to it may be dropped. */
    public void compactThrough(long slot) {
        Invariants.check(slot <= commitIndex, "node %d compacts through %d beyond its commit index %d",
                self, slot, commitIndex);
        if (slot > compactedThrough) {
            log.headMap(slot, true).clear();
            compactedThrough = slot;
        }
    }

    /** Everything the inputs since the last call asked for. */
    public Ready drainReady() {
        Ready out = ready;
        ready = new Ready();
        return out;
    }

    // ---------------------------------------------------------------- acceptor

    private void onPhase1Prepare(Phase1Prepare m) {
        observe(m.ballot());
        if (m.ballot().isBelow(promised)) {
            sendNow(m.from(), new Rejected(self, promised));
            return;
        }
        if (m.from() != self && leaderLooksAlive(m.from())) {
            return; // a working leader is not deposed by a node that merely lost touch
        }
        if (m.ballot().isAbove(promised)) {
            promised = m.ballot();
            ready.promised = promised;
        }
        if (m.from() != self && role != Role.FOLLOWER) {
            stepDown();
        }
        if (m.from() != self) {
            resetElectionTimer();
        }
        List<SlotValue> accepted = new ArrayList<>(log.tailMap(m.fromSlot(), true).values());
        ready.sendAfterPersist.add(new Ready.Outbound(m.from(),
                new Promise(self, m.ballot(), commitIndex, compactedThrough, accepted)));
    }

    private boolean leaderLooksAlive(int candidate) {
        if (role == Role.LEADER) {
            return true;
        }
        return leaderHint != 0 && leaderHint != candidate
                && now < lastHeardFromLeaderAt + settings.electionTimeoutMs();
    }

    private void onAccept(int from, Ballot leaderBallot, List<SlotValue> entries, long leaderCommit,
            long leaderSentAtMs) {
        observe(leaderBallot);
        if (leaderBallot.isBelow(promised)) {
            sendNow(from, new Rejected(self, promised));
            return;
        }
        if (leaderBallot.isAbove(promised)) {
            promised = leaderBallot;
            ready.promised = promised;
        }
        followLeader(from, leaderBallot);
        long[] slots = new long[entries.size()];
        for (int i = 0; i < slots.length; i++) {
            SlotValue entry = entries.get(i);
            Invariants.check(entry.ballot().equals(leaderBallot), "accept of %s carries ballot %s",
                    entry, leaderBallot);
            slots[i] = entry.slot();
            if (entry.slot() > commitIndex) {
                log.put(entry.slot(), entry);
                ready.accepted.add(entry);
            }
        }
        ready.sendAfterPersist.add(new Ready.Outbound(from, new Accepted(self, leaderBallot, slots, leaderSentAtMs)));
        learnCommit(leaderBallot, leaderCommit);
    }

    private void onHeartbeat(Heartbeat m) {
        observe(m.ballot());
        if (m.ballot().isBelow(promised)) {
            sendNow(m.from(), new Rejected(self, promised));
            return;
        }
        followLeader(m.from(), m.ballot());
        sendNow(m.from(), new Accepted(self, m.ballot(), new long[0], m.sentAtMs()));
        learnCommit(m.ballot(), m.commitIndex());
    }

    private void followLeader(int leader, Ballot leaderBallot) {
        if (leader != self && role != Role.FOLLOWER) {
            stepDown();
        }
        if (leader != self) {
            leaderHint = leader;
            lastHeardFromLeaderAt = now;
            lastElectionCutOff = false;
            resetElectionTimer();
        }
        ballot = role == Role.FOLLOWER ? leaderBallot : ballot;
    }

    // ---------------------------------------------------------------- learner

    /**
     * The leader of {@code leaderBallot} says every slot up to {@code leaderCommit} is chosen. A slot
     * this replica accepted at that same ballot holds the leader's value, so it is chosen here too;
     * any other slot must come by catch-up.
     */
    private void learnCommit(Ballot leaderBallot, long leaderCommit) {
        leaderCommitKnown = Math.max(leaderCommitKnown, leaderCommit);
        long before = commitIndex;
        while (commitIndex < leaderCommit) {
            SlotValue entry = log.get(commitIndex + 1);
            if (entry == null || !entry.ballot().equals(leaderBallot)) {
                break;
            }
            commitIndex++;
            ready.committed.add(entry);
        }
        if (commitIndex > before) {
            ready.commitIndex = commitIndex;
        }
        if (role == Role.FOLLOWER) {
            maybeRequestCatchup();
        }
    }

    private void maybeRequestCatchup() {
        if (commitIndex >= leaderCommitKnown || leaderHint == 0 || leaderHint == self || now < nextCatchupAt) {
            return;
        }
        nextCatchupAt = now + settings.catchupRetryMs();
        sendNow(leaderHint, new CatchupRequest(self, commitIndex + 1));
    }

    private void onCatchupRequest(CatchupRequest m) {
        if (m.fromSlot() <= compactedThrough) {
            ready.snapshotRequests.add(m.from());
            return;
        }
        long last = Math.min(commitIndex, m.fromSlot() + settings.catchupEntriesMax() - 1);
        if (last < m.fromSlot()) {
            return;
        }
        List<SlotValue> chosen = new ArrayList<>(log.subMap(m.fromSlot(), true, last, true).values());
        sendNow(m.from(), new CatchupReply(self, chosen, commitIndex));
    }

    private void onCatchupReply(CatchupReply m) {
        if (role != Role.FOLLOWER) {
            // Asked for as a follower, arriving late: a candidate's election and a leader's in-flight
            // slots start right above its commit index, and phase 2 will choose those slots anyway.
            return;
        }
        leaderCommitKnown = Math.max(leaderCommitKnown, m.commitIndex());
        long before = commitIndex;
        for (SlotValue entry : m.chosen()) {
            if (entry.slot() != commitIndex + 1) {
                continue;
            }
            log.put(entry.slot(), entry);
            ready.accepted.add(entry);
            commitIndex++;
            ready.committed.add(entry);
        }
        if (commitIndex > before) {
            ready.commitIndex = commitIndex;
            nextCatchupAt = now; // more may follow at once
        }
        if (role == Role.FOLLOWER) {
            maybeRequestCatchup();
        }
    }

    // ---------------------------------------------------------------- candidate

    private void startElection() {
        if (role == Role.LEADER) {
            stepDown();
        }
        if (role == Role.CANDIDATE) {
            lastElectionCutOff = electionResponders.size() < quorum;
        }
        electionResponders.clear();
        role = Role.CANDIDATE;
        ballot = new Ballot(highestRoundSeen + 1, self);
        highestRoundSeen = ballot.round();
        leaderHint = 0;
        promises.clear();
        electionFromSlot = commitIndex + 1;
        electionStartedAt = now;
        resetElectionTimer();
        Phase1Prepare prepare = new Phase1Prepare(self, ballot, electionFromSlot);
        for (int member : members) {
            sendNow(member, prepare);
        }
    }

    private void onPromise(Promise m) {
        if (role != Role.CANDIDATE || !m.ballot().equals(ballot)) {
            return;
        }
        electionResponders.add(m.from());
        promises.put(m.from(), m);
        if (promises.size() < quorum) {
            return;
        }
        Promise ahead = promises.values().stream()
                .filter(p -> p.compactedThrough() >= electionFromSlot)
                .findFirst().orElse(null);
        if (ahead != null) {
            // Slots we lack are only in that node's snapshot: catch up before standing again.
            stepDown();
            leaderCommitKnown = Math.max(leaderCommitKnown, ahead.commitIndex());
            sendNow(ahead.from(), new CatchupRequest(self, commitIndex + 1));
            return;
        }
        becomeLeaderWith(reproposals());
    }

    /** The highest-ballot accepted value of every slot from the election's first slot on; no-ops in gaps. */
    private List<SlotValue> reproposals() {
        TreeMap<Long, SlotValue> best = new TreeMap<>();
        for (Promise promise : promises.values()) {
            for (SlotValue entry : promise.accepted()) {
                if (entry.slot() < electionFromSlot) {
                    continue;
                }
                SlotValue known = best.get(entry.slot());
                if (known == null || entry.ballot().isAbove(known.ballot())) {
                    best.put(entry.slot(), entry);
                }
            }
        }
        List<SlotValue> entries = new ArrayList<>();
        long last = best.isEmpty() ? electionFromSlot - 1 : best.lastKey();
        for (long slot = electionFromSlot; slot <= last; slot++) {
            SlotValue found = best.get(slot);
            entries.add(new SlotValue(slot, ballot, found == null ? SlotValue.NOOP : found.value()));
        }
        return entries;
    }

    private void becomeLeaderWith(List<SlotValue> entries) {
        // A new leader is in touch with those that just promised, as of when it asked them (all
        // members, at a bootstrap).
        lastHeardFromFollowerAt.clear();
        answeredSentAt.clear();
        long askedAt = promises.isEmpty() ? now : electionStartedAt;
        for (int member : promises.isEmpty() ? members : promises.keySet().stream().mapToInt(i -> i).toArray()) {
            lastHeardFromFollowerAt.put(member, now);
            answeredSentAt.put(member, askedAt);
        }
        role = Role.LEADER;
        leaderHint = self;
        promises.clear();
        inFlight.clear();
        nextSlot = (entries.isEmpty() ? commitIndex : entries.get(entries.size() - 1).slot()) + 1;
        newViewLastSlot = nextSlot - 1;
        for (SlotValue entry : entries) {
            inFlight.put(entry.slot(), new InFlight(entry, now));
        }
        ready.leadershipChanged = true;
        leaderSince = now;
        NewView view = new NewView(self, ballot, entries, commitIndex, now);
        ready.views.add(view);
        for (int member : members) {
            sendNow(member, view);
        }
        nextHeartbeatAt = now + settings.heartbeatIntervalMs();
    }

    // ---------------------------------------------------------------- leader

    private void onAccepted(Accepted m) {
        if (role != Role.LEADER || !m.ballot().equals(ballot)) {
            return;
        }
        lastHeardFromFollowerAt.put(m.from(), now);
        answeredSentAt.merge(m.from(), Math.min(m.leaderSentAtMs(), now), Math::max);
        for (long slot : m.slots()) {
            InFlight flight = inFlight.get(slot);
            if (flight != null && flight.votes.add(m.from()) && flight.votes.size() >= quorum) {
                flight.chosen = true;
            }
        }
        advanceCommit();
    }

    private void advanceCommit() {
        long before = commitIndex;
        while (!inFlight.isEmpty() && inFlight.firstEntry().getValue().chosen) {
            InFlight flight = inFlight.pollFirstEntry().getValue();
            Invariants.check(flight.entry.slot() == commitIndex + 1, "leader %d chose slot %d after %d",
                    self, flight.entry.slot(), commitIndex);
            commitIndex++;
            ready.committed.add(flight.entry);
        }
        if (commitIndex > before) {
            ready.commitIndex = commitIndex;
        }
    }

    private void onRejected(Rejected m) {
        observe(m.promised());
        if (role == Role.CANDIDATE) {
            electionResponders.add(m.from());
        }
        if (role != Role.FOLLOWER && m.promised().isAbove(ballot)) {
            stepDown();
        }
    }

    private void leaderTick() {
        if (!hearsFromMajority()) {
            stepDown(); // cut off from a majority: let the connected side elect, and stop taking requests
            return;
        }
        if (now >= nextHeartbeatAt) {
            nextHeartbeatAt = now + settings.heartbeatIntervalMs();
            Heartbeat heartbeat = new Heartbeat(self, ballot, commitIndex, now);
            for (int member : members) {
                if (member != self) {
                    sendNow(member, heartbeat);
                }
            }
        }
        for (InFlight flight : inFlight.values()) {
            if (!flight.chosen && now >= flight.lastSentAt + settings.retransmitMs()) {
                flight.lastSentAt = now;
                Accept accept = new Accept(self, ballot, List.of(flight.entry), commitIndex, now);
                for (int member : members) {
                    if (!flight.votes.contains(member)) {
                        sendNow(member, accept);
                    }
                }
            }
        }
    }

    /** Check-quorum: a leader that has not heard from a majority within an election timeout steps down. */
    private boolean hearsFromMajority() {
        if (now < leaderSince + settings.electionTimeoutMs()) {
            return true;
        }
        int heard = 1;
        for (int member : members) {
            Long at = lastHeardFromFollowerAt.get(member);
            if (member != self && at != null && now < at + settings.electionTimeoutMs()) {
                heard++;
            }
        }
        return heard >= quorum;
    }

    private void broadcastAccept(List<SlotValue> entries) {
        Accept accept = new Accept(self, ballot, entries, commitIndex, now);
        for (int member : members) {
            sendNow(member, accept);
        }
        nextHeartbeatAt = now + settings.heartbeatIntervalMs();
    }

    // ---------------------------------------------------------------- common

    private void stepDown() {
        if (role == Role.LEADER) {
            ready.leadershipChanged = true;
        }
        role = Role.FOLLOWER;
        ballot = promised;
        if (leaderHint == self) {
            leaderHint = 0;
        }
        promises.clear();
        inFlight.clear();
        resetElectionTimer();
    }

    private void observe(Ballot seen) {
        highestRoundSeen = Math.max(highestRoundSeen, seen.round());
    }

    private void resetElectionTimer() {
        long timeout = settings.electionTimeoutMs();
        electionDeadline = now + timeout + random.nextLong(timeout);
    }

    /** Messages to self are handled at once; to others they go out through the Ready. */
    private void sendNow(int to, PaxosMessage message) {
        if (to == self) {
            onMessage(message);
        } else {
            ready.sendNow.add(new Ready.Outbound(to, message));
        }
    }
}
