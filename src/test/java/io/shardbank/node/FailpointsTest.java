package io.shardbank.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardbank.model.NodeId;
import io.shardbank.node.FailPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Arming fail points. Firing one kills the JVM, so only the process tests see that. */
class FailpointsTest {

    private static final NodeId N1 = new NodeId(1);
    private static final NodeId N2 = new NodeId(2);

    @TempDir
    Path data;

    @Test
    void armsOnlyThePointsNamedForTheNode() {
        Failpoints n1 = Failpoints.parse("n1=coordinator-before-decision, n2=participant-prepared", N1, data);
        Failpoints n2 = Failpoints.parse("n1=coordinator-before-decision, n2=participant-prepared", N2, data);

        assertThat(n1.isArmed(FailPoint.COORDINATOR_BEFORE_DECISION)).isTrue();
        assertThat(n1.isArmed(FailPoint.PARTICIPANT_PREPARED)).isFalse();
        assertThat(n2.isArmed(FailPoint.PARTICIPANT_PREPARED)).isTrue();
        assertThat(n2.isArmed(FailPoint.COORDINATOR_BEFORE_DECISION)).isFalse();
    }

    @Test
    void nothingIsArmedByDefault() {
        assertThat(Failpoints.parse("", N1, data).isArmed(FailPoint.PARTICIPANT_PREPARED)).isFalse();
        assertThat(Failpoints.none().isArmed(FailPoint.COORDINATOR_BEFORE_DECISION)).isFalse();
    }

    @Test
    void aPointThatFiredInTheDataDirectoryStaysDisarmed() throws Exception {
        Files.writeString(Failpoints.marker(data, FailPoint.PARTICIPANT_PREPARED), "n2 at participant-prepared\n");

        Failpoints restarted = Failpoints.parse("n1=participant-prepared", N1, data);

        assertThat(restarted.isArmed(FailPoint.PARTICIPANT_PREPARED)).isFalse();
    }

    @Test
    void aPointAnotherNodeFiredMeanwhileDoesNotFireAgain() throws Exception {
        Failpoints armed = Failpoints.parse("n1=participant-prepared", N1, data);
        Files.writeString(Failpoints.marker(data, FailPoint.PARTICIPANT_PREPARED), "n2 at participant-prepared\n");

        armed.reach(FailPoint.PARTICIPANT_PREPARED, "voted yes"); // returns: this JVM lives on

        assertThat(armed.isArmed(FailPoint.PARTICIPANT_PREPARED)).isFalse();
        assertThat(Files.readString(Failpoints.marker(data, FailPoint.PARTICIPANT_PREPARED))).startsWith("n2 ");
    }

    @Test
    void rejectsUnknownPointsAndMalformedPairs() {
        assertThatThrownBy(() -> Failpoints.parse("n1=coordinator-after-lunch", N1, data))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("coordinator-after-lunch");
        assertThatThrownBy(() -> Failpoints.parse("n1:participant-prepared", N1, data))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node=point");
        assertThatThrownBy(() -> Failpoints.parse("x1=participant-prepared", N1, data))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
