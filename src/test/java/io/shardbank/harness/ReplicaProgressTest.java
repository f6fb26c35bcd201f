package io.shardbank.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardbank.model.NodeId;
import io.shardbank.model.Topology;
import io.shardbank.node.NodeProtocol;
import io.shardbank.paxos.Ballot;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaProgressTest {

    private static final Topology TOPOLOGY = new Topology(2, 3, 100, 10);
    private final Map<NodeId, NodeProtocol.Status> statuses = new HashMap<>();

    private void status(int node, long commitIndex, long appliedSlot) {
        statuses.put(new NodeId(node), new NodeProtocol.Status(node, "FOLLOWER", 1, new Ballot(1, 1), commitIndex,
                appliedSlot, false, List.of(), 0, 0, 0));
    }

    private static List<NodeId> nodes(int... indexes) {
        return java.util.Arrays.stream(indexes).mapToObj(NodeId::new).toList();
    }

    @Test
    void caughtUpWhenEveryLiveNodeAppliedWhatItsClusterChose() {
        status(1, 5, 5);
        status(2, 5, 5);
        status(4, 2, 2);
        status(5, 2, 2);

        assertThat(ReplicaProgress.caughtUp(TOPOLOGY, nodes(1, 2, 4, 5), statuses)).isTrue();
    }

    @Test
    void aFollowerBehindTheLeadersCommitIndexIsNotCaughtUp() {
        status(1, 5, 5);
        status(2, 4, 4);

        assertThat(ReplicaProgress.caughtUp(TOPOLOGY, nodes(1, 2), statuses)).isFalse();
    }

    @Test
    void clustersAreJudgedApart() {
        status(1, 5, 5);
        status(4, 2, 2);

        assertThat(ReplicaProgress.caughtUp(TOPOLOGY, nodes(1, 4), statuses)).isTrue();
    }

    @Test
    void aLiveNodeWithoutStatusIsNotCaughtUp() {
        status(1, 0, 0);

        assertThat(ReplicaProgress.caughtUp(TOPOLOGY, nodes(1, 2), statuses)).isFalse();
    }
}
