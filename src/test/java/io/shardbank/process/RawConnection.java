package io.shardbank.process;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * A plain TCP connection to a node's cluster port that writes whatever bytes a test chooses, with
 * the pieces of Artery's TCP framing (Pekko 1.7.0, {@code TcpFraming}): a connection header of four
 * magic bytes and a stream id, then frames of a 4-byte little-endian length and the payload.
 */
final class RawConnection implements AutoCloseable {

    /** Stream ids of Artery's connection header. */
    static final int CONTROL_STREAM = 1;
    static final int ORDINARY_STREAM = 2;
    static final int LARGE_STREAM = 3;

    private static final int CONNECT_TIMEOUT_MS = 5000;
    private static final int CHUNK_BYTES = 64 * 1024;

    private final Socket socket;
    private long bytesWritten;

    private RawConnection(Socket socket) {
        this.socket = socket;
    }

    static RawConnection open(String host, int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
        return new RawConnection(socket);
    }

    /** The header a Pekko 1.7.0 peer sends first: magic "AKKA" and the stream id. */
    static byte[] connectionHeader(int streamId) {
        byte[] magic = "AKKA".getBytes(StandardCharsets.US_ASCII);
        byte[] header = new byte[magic.length + 1];
        System.arraycopy(magic, 0, header, 0, magic.length);
        header[magic.length] = (byte) streamId;
        return header;
    }

    /** A frame's length field: the declared length, little-endian, whatever its sign. */
    static byte[] frameLength(int declaredLength) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(declaredLength).array();
    }

    /** Writes the bytes; returns false if the node closed or reset the connection meanwhile. */
    boolean write(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            bytesWritten += bytes.length;
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Writes {@code count} filler bytes in chunks, stopping early when the node closes the
     * connection; returns how many bytes the socket accepted.
     */
    long writeFiller(long count) {
        byte[] chunk = new byte[CHUNK_BYTES];
        long written = 0;
        while (written < count) {
            int size = (int) Math.min(chunk.length, count - written);
            if (!write(size == chunk.length ? chunk : Arrays.copyOf(chunk, size))) {
                break;
            }
            written += size;
        }
        return written;
    }

    long bytesWritten() {
        return bytesWritten;
    }

    /**
     * Waits up to {@code limit} for the node to close (or reset) the connection; returns whether
     * it did. A node never sends anything on an inbound Artery connection, so any read that does
     * not time out means the connection ended.
     */
    boolean awaitClosedByNode(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            InputStream input = socket.getInputStream();
            while (true) {
                // At least one read, however short the limit: a closed connection answers at once.
                long leftMs = (deadline - System.nanoTime()) / 1_000_000;
                socket.setSoTimeout((int) Math.max(1, leftMs));
                try {
                    if (input.read() < 0) {
                        return true;
                    }
                } catch (SocketTimeoutException e) {
                    if (System.nanoTime() >= deadline) {
                        return false;
                    }
                }
            }
        } catch (IOException e) {
            return true; // reset by the node
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
