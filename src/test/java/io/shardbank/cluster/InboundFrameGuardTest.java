package io.shardbank.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.shardbank.testing.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The guard in front of Artery, relaying to a plain socket that records what reaches it: valid
 * frames pass byte for byte and may rest between frames; a connection past the incomplete-frame
 * budget, past the connection limit or stuck inside a frame is closed, and the others go on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InboundFrameGuardTest {

    private static final int FRAME_SIZE_MAX = 64 * 1024;
    private static final int INCOMPLETE_FRAME_BYTES_MAX = 128 * 1024;
    private static final int CONNECTIONS_MAX = 4;
    private static final Duration FRAME_TIMEOUT = Duration.ofMillis(1000);
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private ActorSystem<Void> system;
    private ServerSocket artery;
    private final List<ByteArrayOutputStream> received = new CopyOnWriteArrayList<>();
    private InboundFrameGuard guard;
    private int port;
    private final List<Socket> clients = new ArrayList<>();

    @BeforeAll
    void start() throws IOException {
        Config config = ConfigFactory.parseString("""
                pekko.actor.provider = local
                pekko.remote.artery.advanced.maximum-frame-size = 64 KiB
                pekko.remote.artery.advanced.maximum-large-frame-size = 128 KiB
                shardbank.remoting.inbound-guard.incomplete-frame-bytes-max = 128 KiB
                shardbank.remoting.inbound-guard.connections-max = 4
                shardbank.remoting.inbound-guard.frame-timeout = 1 s
                """).withFallback(ConfigFactory.load());
        system = ActorSystem.create(Behaviors.empty(), "guard-test", config);
        artery = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptAndRecord, "artery-stand-in");
        acceptor.setDaemon(true);
        acceptor.start();
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        guard = InboundFrameGuard.start(system, "127.0.0.1", port,
                InetSocketAddress.createUnresolved("127.0.0.1", artery.getLocalPort()));
    }

    @AfterEach
    void closeClients() {
        clients.forEach(InboundFrameGuardTest::closeQuietly);
        clients.clear();
        Eventually.await(PATIENCE, "every connection of the test ended", () -> guard.openConnections() == 0);
    }

    @AfterAll
    void stop() throws IOException {
        guard.unbind();
        system.terminate();
        artery.close();
    }

    @Test
    void validFramesPassByteForByteAndMayRestBetweenFrames() throws Exception {
        byte[] stream = concat(header(2), frame(10), frame(FRAME_SIZE_MAX), frame(1));
        int before = received.size();
        Socket client = connect();
        client.getOutputStream().write(stream);
        Eventually.await(PATIENCE, "Artery received the whole stream",
                () -> received.size() > before && received.get(before).size() == stream.length);
        assertThat(received.get(before).toByteArray()).isEqualTo(stream);
        assertThat(closedWithin(client, FRAME_TIMEOUT.multipliedBy(2))).as("resting between frames").isFalse();
        client.getOutputStream().write(frame(100));
        Eventually.await(PATIENCE, "the next frame arrived", () -> received.get(before).size() == stream.length + 104);
    }

    @Test
    void aConnectionStuckInsideAFrameIsClosedAfterTheFrameTimeout() throws Exception {
        Socket resting = connect();
        resting.getOutputStream().write(concat(header(2), frame(5)));
        Socket stuck = connect();
        byte[] partial = concat(header(2), frame(5), frameHeader(1000), new byte[10]);
        stuck.getOutputStream().write(partial);
        assertThat(closedWithin(stuck, FRAME_TIMEOUT.plus(PATIENCE))).as("stuck inside its second frame").isTrue();
        assertThat(closedWithin(resting, Duration.ofMillis(10))).as("resting between frames").isFalse();
    }

    @Test
    void theIncompleteFrameBudgetIsSharedByAllConnections() throws Exception {
        byte[] mostOfAFrame = concat(header(2), frameHeader(FRAME_SIZE_MAX), new byte[50 * 1024]);
        Socket first = connect();
        first.getOutputStream().write(mostOfAFrame);
        Socket second = connect();
        second.getOutputStream().write(mostOfAFrame);
        Eventually.await(PATIENCE, "both partial frames reached Artery",
                () -> received.stream().filter(r -> r.size() == mostOfAFrame.length).count() >= 2);
        Socket third = connect();
        third.getOutputStream().write(mostOfAFrame);
        assertThat(closedWithin(third, PATIENCE)).as("the connection past the budget").isTrue();
        first.getOutputStream().write(new byte[FRAME_SIZE_MAX - 50 * 1024]);
        Socket fourth = connect();
        fourth.getOutputStream().write(mostOfAFrame);
        assertThat(closedWithin(fourth, Duration.ofMillis(300))).as("room again once a frame completed").isFalse();
    }

    @Test
    void connectionsPastTheLimitAreClosedAtOnce() throws Exception {
        List<Socket> resting = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS_MAX; i++) {
            Socket client = connect();
            client.getOutputStream().write(concat(header(1), frame(3)));
            resting.add(client);
        }
        Eventually.await(PATIENCE, "the guard holds " + CONNECTIONS_MAX + " connections",
                () -> guard.openConnections() == CONNECTIONS_MAX);
        Socket extra = connect();
        assertThat(closedWithin(extra, PATIENCE)).as("a connection past the limit").isTrue();
        for (Socket client : resting) {
            assertThat(closedWithin(client, Duration.ofMillis(10))).as("the connections within the limit").isFalse();
        }
    }

    // ------------------------------------------------------------------------------------------

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        clients.add(socket);
        return socket;
    }

    /** Whether the guard closed the connection within {@code limit} (it never sends anything). */
    private static boolean closedWithin(Socket socket, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            InputStream input = socket.getInputStream();
            while (true) {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
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
            return true;
        }
    }

    private void acceptAndRecord() {
        while (!artery.isClosed()) {
            try {
                Socket socket = artery.accept();
                ByteArrayOutputStream bytes = new SynchronizedBytes();
                received.add(bytes);
                Thread reader = new Thread(() -> copy(socket, bytes), "artery-stand-in-reader");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void copy(Socket socket, ByteArrayOutputStream bytes) {
        byte[] buffer = new byte[8192];
        try (socket) {
            InputStream input = socket.getInputStream();
            for (int n = input.read(buffer); n >= 0; n = input.read(buffer)) {
                bytes.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // the guard reset the connection
        }
    }

    private static byte[] header(int streamId) {
        return new byte[] {'A', 'K', 'K', 'A', (byte) streamId};
    }

    private static byte[] frameHeader(int length) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(length).array();
    }

    private static byte[] frame(int length) {
        byte[] payload = new byte[length];
        new SplittableRandom(length).nextBytes(payload);
        return concat(frameHeader(length), payload);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Written by a reader thread, read by the test. */
    private static final class SynchronizedBytes extends ByteArrayOutputStream {
        @Override
        public synchronized int size() {
            return super.size();
        }
    }
}
