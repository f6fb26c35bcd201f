package io.shardbank.cluster;

import java.util.List;
import java.util.Optional;
import org.apache.pekko.util.ByteString;

/**
 * Follows one inbound connection of Artery's TCP transport and says whether its bytes keep to the
 * framing and to the configured frame sizes: a connection header (four magic bytes, then one
 * stream id: 1 control, 2 ordinary, 3 large messages), then frames, each a 4-byte little-endian
 * length and that many bytes.
 *
 * <p>Pekko 1.7.0's own parser ({@code TcpFraming}) trusts the declared length: it buffers until
 * that many bytes arrived, so one connection can fill the heap, and lengths near 2^31 or below
 * zero overflow its read offset and make it emit empty frames forever (see README, Robustness).
 * This check never buffers: it reads the header and each length and skips the payload by count,
 * so it costs a few fields per connection whatever the peer sends.
 */
final class ArteryFrameCheck {

    static final int MAGIC_LENGTH = 4;
    static final int STREAM_ID_CONTROL = 1;
    static final int STREAM_ID_ORDINARY = 2;
    static final int STREAM_ID_LARGE = 3;
    private static final int LENGTH_FIELD_BYTES = 4;

    private final List<ByteString> acceptedMagics;
    private final int frameSizeMax;
    private final int largeFrameSizeMax;

    private final byte[] magic = new byte[MAGIC_LENGTH];
    /** Bytes of the connection header seen so far: the magic, then the stream id. */
    private int headerBytesSeen;
    private int streamId;
    private int lengthBytesSeen;
    private int declaredLength;
    /** The length of the frame whose payload is arriving. */
    private int frameLength;
    private long payloadBytesRemaining;
    private long framesCompleted;
    private String rejection;

    /**
     * @param acceptedMagics the 4-byte magics a connection may start with ({@code tcp-magic})
     * @param frameSizeMax the largest frame on the control and ordinary streams ({@code maximum-frame-size})
     * @param largeFrameSizeMax the largest frame on the large-message stream ({@code maximum-large-frame-size})
     */
    ArteryFrameCheck(List<ByteString> acceptedMagics, int frameSizeMax, int largeFrameSizeMax) {
        if (acceptedMagics.isEmpty() || acceptedMagics.stream().anyMatch(m -> m.length() != MAGIC_LENGTH)) {
            throw new IllegalArgumentException("accepted magics must be " + MAGIC_LENGTH + " bytes each: "
                    + acceptedMagics);
        }
        if (frameSizeMax <= 0 || largeFrameSizeMax <= 0) {
            throw new IllegalArgumentException("frame size limits must be positive");
        }
        this.acceptedMagics = List.copyOf(acceptedMagics);
        this.frameSizeMax = frameSizeMax;
        this.largeFrameSizeMax = largeFrameSizeMax;
    }

    /**
     * Reads the next bytes of the connection. Returns why the connection breaks the framing, or
     * empty while it keeps to it. Once it has returned a reason, it returns that reason for good.
     */
    Optional<String> accept(ByteString bytes) {
        int index = 0;
        int size = bytes.length();
        while (rejection == null && index < size) {
            if (headerBytesSeen < MAGIC_LENGTH) {
                magic[headerBytesSeen++] = bytes.apply(index++);
                if (headerBytesSeen == MAGIC_LENGTH) {
                    checkMagic();
                }
            } else if (headerBytesSeen == MAGIC_LENGTH) {
                streamId = bytes.apply(index++) & 0xFF;
                headerBytesSeen++;
                checkStreamId();
            } else if (payloadBytesRemaining > 0) {
                int skipped = (int) Math.min(payloadBytesRemaining, size - index);
                index += skipped;
                payloadBytesRemaining -= skipped;
                if (payloadBytesRemaining == 0) {
                    framesCompleted++;
                }
            } else {
                declaredLength |= (bytes.apply(index++) & 0xFF) << (8 * lengthBytesSeen);
                lengthBytesSeen++;
                if (lengthBytesSeen == LENGTH_FIELD_BYTES) {
                    checkDeclaredLength();
                }
            }
        }
        return Optional.ofNullable(rejection);
    }

    /** Frames whose every declared byte arrived. */
    long framesCompleted() {
        return framesCompleted;
    }

    /**
     * Whether the connection rests between two frames, the one place a peer may pause for long: its
     * header and at least one frame are complete, and no byte of the next frame arrived. A peer sends
     * its first frame right after the header, so a connection that stops after the header is not
     * resting.
     */
    boolean betweenFrames() {
        return framesCompleted > 0 && lengthBytesSeen == 0 && payloadBytesRemaining == 0;
    }

    /** Payload bytes of the frame that is arriving, which its receiver holds until the frame is whole. */
    long incompleteFrameBytes() {
        return payloadBytesRemaining == 0 ? 0 : frameLength - payloadBytesRemaining;
    }

    private void checkMagic() {
        ByteString received = ByteString.fromArray(magic);
        if (!acceptedMagics.contains(received)) {
            rejection = "the connection does not start with Artery's magic (got " + hex(magic) + ")";
        }
    }

    private void checkStreamId() {
        if (streamId != STREAM_ID_CONTROL && streamId != STREAM_ID_ORDINARY && streamId != STREAM_ID_LARGE) {
            rejection = "unknown stream id " + streamId;
        }
    }

    private void checkDeclaredLength() {
        int length = declaredLength;
        declaredLength = 0;
        lengthBytesSeen = 0;
        int limit = streamId == STREAM_ID_LARGE ? largeFrameSizeMax : frameSizeMax;
        // Artery never sends an empty frame: every envelope has a header.
        if (length <= 0 || length > limit) {
            rejection = "frame " + (framesCompleted + 1) + " declares " + length + " bytes, outside 1.." + limit
                    + " for stream " + streamId;
            return;
        }
        frameLength = length;
        payloadBytesRemaining = length;
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(text.length() == 0 ? "" : " ").append(String.format("%02x", b & 0xFF));
        }
        return text.toString();
    }
}
