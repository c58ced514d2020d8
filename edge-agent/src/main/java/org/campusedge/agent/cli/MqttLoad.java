package org.campusedge.agent.cli;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A load generator that speaks just enough MQTT 3.1.1 to publish QoS 0 messages as fast as a
 * socket takes them: CONNECT, a stream of PUBLISH packets, DISCONNECT. A full client would
 * measure itself rather than the broker and the subscriber under test.
 *
 * <p>Packet layouts from the OASIS MQTT 3.1.1 standard: fixed header and remaining length
 * (§2.2, §2.2.3), CONNECT (§3.1), CONNACK (§3.2), PUBLISH (§3.3), DISCONNECT (§3.14).
 */
final class MqttLoad implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;

    private MqttLoad(Socket socket) throws IOException {
        this.socket = socket;
        this.out = new BufferedOutputStream(socket.getOutputStream(), 256 * 1024);
    }

    /** Connects with a clean session and waits for an accepting CONNACK. */
    static MqttLoad connect(URI broker, String clientId) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(false);
        s.setSendBufferSize(1 << 20);
        s.connect(new InetSocketAddress(broker.getHost(), broker.getPort() < 0 ? 1883 : broker.getPort()), 5_000);
        s.setSoTimeout(5_000);
        MqttLoad load = new MqttLoad(s);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, "MQTT");      // §3.1.2.1 protocol name
        body.write(4);             // §3.1.2.2 protocol level 4 = 3.1.1
        body.write(0x02);          // §3.1.2.4 clean session
        body.write(0);             // §3.1.2.10 keep alive: 0 = off
        body.write(0);
        string(body, clientId);    // §3.1.3.1 client identifier
        load.packet(0x10, body.toByteArray());
        load.out.flush();
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] connack = new byte[4];
        in.readFully(connack);
        if ((connack[0] & 0xFF) != 0x20 || connack[3] != 0) {
            s.close();
            throw new IOException("broker refused the connection: CONNACK return code " + connack[3]);
        }
        return load;
    }

    /**
     * Subscribes at QoS 0 (§3.8; packet id 1) and returns once the SUBACK (§3.9) arrives; then
     * {@link #countPublishes} reads what the broker sends.
     */
    void subscribe(String filter) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0);
        body.write(1);
        string(body, filter);
        body.write(0);
        packet(0x82, body.toByteArray());
        out.flush();
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16));
        this.in = in;
        int type = in.readUnsignedByte();
        int length = readLength(in);
        in.skipNBytes(length);
        if (type != 0x90) {
            throw new IOException("expected SUBACK, got packet type 0x" + Integer.toHexString(type));
        }
    }

    private DataInputStream in;

    /**
     * Counts PUBLISH packets until {@code expected} arrived or nothing came for the socket timeout;
     * {@code onEach} gets the running count. Returns the count.
     */
    long countPublishes(long expected, java.util.function.LongConsumer onEach) throws IOException {
        socket.setSoTimeout(5_000);
        long n = 0;
        try {
            while (n < expected) {
                int type = in.readUnsignedByte();
                int length = readLength(in);
                in.skipNBytes(length);
                if ((type & 0xF0) == 0x30) {
                    onEach.accept(++n);
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            return n;
        }
        return n;
    }

    private static int readLength(DataInputStream in) throws IOException {
        int value = 0;
        int shift = 0;
        int b;
        do {
            b = in.readUnsignedByte();
            value |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0 && shift < 28);
        return value;
    }

    /** Queues one QoS 0 PUBLISH (§3.3: no packet identifier at QoS 0). */
    void publish(String topic, byte[] payload) throws IOException {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        int remaining = 2 + t.length + payload.length;
        out.write(0x30);
        remainingLength(remaining);
        out.write(t.length >>> 8);
        out.write(t.length & 0xFF);
        out.write(t);
        out.write(payload);
    }

    /**
     * Connects as {@code clientId} and publishes {@code count} messages round-robin over
     * {@code topics}, message {@code i} carrying {@code payload.apply(i)}: as fast as the socket
     * takes them when {@code rate} is 0, else paced to {@code rate} messages/s.
     */
    static void publishRoundRobin(URI broker, String clientId, java.util.List<String> topics, int count, int rate,
                                  java.util.function.IntFunction<byte[]> payload) throws IOException, InterruptedException {
        try (MqttLoad load = connect(broker, clientId)) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                load.publish(topics.get(i % topics.size()), payload.apply(i));
                if (rate > 0 && i % 500 == 499) {
                    load.flush();
                    long wait = start + (long) ((i + 1) * 1e9 / rate) - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
            }
            load.flush();
        }
    }

    void flush() throws IOException {
        out.flush();
    }

    private void packet(int type, byte[] body) throws IOException {
        out.write(type);
        remainingLength(body.length);
        out.write(body);
    }

    /** §2.2.3: seven bits per byte, least significant first, high bit set while more follow. */
    private void remainingLength(int n) throws IOException {
        do {
            int digit = n % 128;
            n /= 128;
            out.write(n > 0 ? digit | 0x80 : digit);
        } while (n > 0);
    }

    private static void string(ByteArrayOutputStream b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.write(bytes.length >>> 8);
        b.write(bytes.length & 0xFF);
        b.write(bytes, 0, bytes.length);
    }

    @Override
    public void close() throws IOException {
        try {
            out.write(0xE0); // DISCONNECT, §3.14
            out.write(0);
            out.flush();
        } finally {
            socket.close();
        }
    }
}
