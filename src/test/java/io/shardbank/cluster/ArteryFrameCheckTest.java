package io.shardbank.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The check of Artery's TCP framing that stands in front of a node's Artery transport. */
class ArteryFrameCheckTest {

    private static final int FRAME_SIZE_MAX = 1000;
    private static final int LARGE_FRAME_SIZE_MAX = 5000;

    private static ArteryFrameCheck newCheck() {
        return new ArteryFrameCheck(List.of(magic("AKKA"), magic("PEKK")), FRAME_SIZE_MAX, LARGE_FRAME_SIZE_MAX);
    }

    private static ByteString magic(String text) {
        return ByteString.fromArray(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] header(String magic, int streamId) {
        byte[] bytes = new byte[5];
        System.arraycopy(magic.getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, 4);
        bytes[4] = (byte) streamId;
        return bytes;
    }

    private static byte[] frame(int declaredLength, int payloadBytes) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + payloadBytes).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(declaredLength);
        return buffer.array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static Optional<String> acceptAll(ArteryFrameCheck check, byte[] bytes) {
        return check.accept(ByteString.fromArray(bytes));
    }

    @Test
    void framesSplitAtEveryByteBoundaryPass() {
        byte[] stream = concat(header("AKKA", 2), frame(1, 1), frame(FRAME_SIZE_MAX, FRAME_SIZE_MAX), frame(7, 7));
        for (int split = 0; split <= stream.length; split++) {
            ArteryFrameCheck check = newCheck();
            assertThat(acceptAll(check, java.util.Arrays.copyOfRange(stream, 0, split))).isEmpty();
            assertThat(acceptAll(check, java.util.Arrays.copyOfRange(stream, split, stream.length)))
                    .as("split at %d", split).isEmpty();
            assertThat(check.framesCompleted()).isEqualTo(3);
            assertThat(check.betweenFrames()).isTrue();
            assertThat(check.incompleteFrameBytes()).isZero();
        }
    }

    @Test
    void oneByteAtATimePasses() {
        ArteryFrameCheck check = newCheck();
        for (byte b : concat(header("PEKK", 1), frame(3, 3), frame(2, 2))) {
            assertThat(check.accept(ByteString.fromArray(new byte[] {b}))).isEmpty();
        }
        assertThat(check.framesCompleted()).isEqualTo(2);
    }

    @Test
    void aFrameInProgressCountsItsBytesAndIsNotBetweenFrames() {
        ArteryFrameCheck check = newCheck();
        assertThat(check.betweenFrames()).as("before the header").isFalse();
        acceptAll(check, header("AKKA", 2));
        assertThat(check.betweenFrames()).as("after the header, before the first frame").isFalse();
        acceptAll(check, frame(500, 200));
        assertThat(check.incompleteFrameBytes()).isEqualTo(200);
        assertThat(check.betweenFrames()).isFalse();
        acceptAll(check, new byte[300]);
        assertThat(check.incompleteFrameBytes()).isZero();
        assertThat(check.betweenFrames()).isTrue();
        acceptAll(check, new byte[] {1, 0});
        assertThat(check.betweenFrames()).as("half a length field").isFalse();
    }

    @ParameterizedTest(name = "declared length {0} on stream {1}")
    @CsvSource({
        "0, 2", "-1, 2", "-4, 2", "-2147483648, 2", "2147483647, 2", "2147483644, 2", "1073741824, 2",
        "1001, 1", "1001, 2", "5001, 3", "2147483647, 3"
    })
    void aDeclaredLengthOutsideTheStreamsBoundIsRejected(int declaredLength, int streamId) {
        ArteryFrameCheck check = newCheck();
        Optional<String> rejection = acceptAll(check, concat(header("AKKA", streamId), frame(declaredLength, 0)));
        assertThat(rejection).hasValueSatisfying(reason -> assertThat(reason).contains("declares " + declaredLength));
        assertThat(acceptAll(check, new byte[10])).as("a rejection stays").isEqualTo(rejection);
        assertThat(check.incompleteFrameBytes()).isZero();
    }

    @Test
    void theLargeStreamTakesLargeFrames() {
        ArteryFrameCheck check = newCheck();
        assertThat(acceptAll(check, concat(header("AKKA", 3), frame(LARGE_FRAME_SIZE_MAX, LARGE_FRAME_SIZE_MAX))))
                .isEmpty();
        assertThat(check.framesCompleted()).isEqualTo(1);
    }

    @Test
    void aLaterOversizedFrameIsRejectedAfterGoodOnes() {
        ArteryFrameCheck check = newCheck();
        assertThat(acceptAll(check, concat(header("AKKA", 2), frame(10, 10), frame(10, 10)))).isEmpty();
        assertThat(acceptAll(check, frame(FRAME_SIZE_MAX + 1, 0))).hasValueSatisfying(
                reason -> assertThat(reason).startsWith("frame 3 declares"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET ", "akka", "AKK\0", "\0\0\0\0", "PEKO"})
    void aConnectionWithoutArterysMagicIsRejected(String start) {
        assertThat(acceptAll(newCheck(), concat(start.getBytes(StandardCharsets.ISO_8859_1), new byte[] {2})))
                .hasValueSatisfying(reason -> assertThat(reason).contains("magic"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 4, 255})
    void anUnknownStreamIdIsRejected(int streamId) {
        assertThat(acceptAll(newCheck(), header("AKKA", streamId)))
                .hasValueSatisfying(reason -> assertThat(reason).contains("stream id " + streamId));
    }

    @Test
    void aPartialHeaderIsNeitherRejectedNorBetweenFrames() {
        ArteryFrameCheck check = newCheck();
        assertThat(acceptAll(check, new byte[] {'A', 'K'})).isEmpty();
        assertThat(check.betweenFrames()).isFalse();
        assertThat(check.framesCompleted()).isZero();
    }
}
