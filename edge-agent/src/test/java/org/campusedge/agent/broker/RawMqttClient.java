package org.campusedge.agent.broker;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A test client that writes MQTT 3.1.1 packets byte by byte (encodings from OASIS MQTT 3.1.1,
 * chapters 2 and 3), for what Paho will not do: stay silent past the keep-alive, send garbage,
 * die without DISCONNECT, never read, or speak another protocol level.
 */
final class RawMqttClient implements AutoCloseable {

    /** A packet as read: the fixed header's first byte and the remaining bytes. */
    record Packet(int firstByte, byte[] body) {
        int type() {
            return firstByte >> 4;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawMqttClient(String host, int port) throws IOException {
        this(host, port, 0);
    }

    /** @param receiveBuffer socket receive buffer in bytes, 0 for the system default */
    RawMqttClient(String host, int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress(host, port), 10_000);
        socket.setSoTimeout(20_000);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        out = socket.getOutputStream();
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one packet; throws EOFException if the broker closed the connection. */
    Packet read() throws IOException {
        int first = in.read();
        if (first < 0) {
            throw new EOFException("closed by the broker");
        }
        // Section 2.2.3: remaining length, 7 bits per byte, high bit = more bytes follow.
        int length = 0;
        int shift = 0;
        int b;
        do {
            b = in.readUnsignedByte();
            length |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        byte[] body = new byte[length];
        in.readFully(body);
        return new Packet(first, body);
    }

    /** Reads until the broker closes the connection; true if it did (within the socket timeout). */
    boolean closedByBroker() throws IOException {
        try {
            while (in.read() >= 0) {
                // discard anything still in flight
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset by the broker
        }
    }

    /** Ends the input side: a thread blocked in {@link #read()} gets EOF. */
    void stopReading() throws IOException {
        socket.shutdownInput();
    }

    /** Ends the connection abruptly: a TCP reset, no DISCONNECT. */
    void kill() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    // ---- packet encodings ----

    /** CONNECT (section 3.1) for MQTT 3.1.1: protocol name "MQTT", level 4. */
    static byte[] connect(String clientId, boolean cleanSession, int keepAliveSeconds) {
        return connect("MQTT", 4, clientId, cleanSession, keepAliveSeconds, null, null);
    }

    /** CONNECT with a will (QoS 0, not retained) when {@code willTopic} is not null. */
    static byte[] connect(String protocolName, int level, String clientId, boolean cleanSession, int keepAliveSeconds,
                          String willTopic, byte[] willMessage) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, protocolName);
        body.write(level);
        int flags = (cleanSession ? 0x02 : 0) | (willTopic != null ? 0x04 : 0); // section 3.1.2.3
        body.write(flags);
        body.write(keepAliveSeconds >> 8);
        body.write(keepAliveSeconds & 0xFF);
        if (level == 5) {
            body.write(0); // MQTT 5.0, section 3.1.2.11: property length 0
        }
        writeString(body, clientId);
        if (willTopic != null) {
            writeString(body, willTopic);
            writeBinary(body, willMessage);
        }
        return packet(0x10, body.toByteArray());
    }

    /** SUBSCRIBE (section 3.8): fixed header 1000 0010, packet id, one filter and its QoS. */
    static byte[] subscribe(int packetId, String filter, int qos) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(packetId >> 8);
        body.write(packetId & 0xFF);
        writeString(body, filter);
        body.write(qos);
        return packet(0x82, body.toByteArray());
    }

    /** PUBLISH (section 3.3) at QoS 0 or 1 (packet id only for QoS 1), not retained. */
    static byte[] publish(String topic, byte[] payload, int qos, int packetId) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, topic);
        if (qos > 0) {
            body.write(packetId >> 8);
            body.write(packetId & 0xFF);
        }
        body.writeBytes(payload);
        return packet(0x30 | (qos << 1), body.toByteArray());
    }

    /**
     * PUBACK 0x40, PUBREC 0x50, PUBREL 0x62 (flags 0010, section 3.6.1), PUBCOMP 0x70: a fixed
     * header and the packet id.
     */
    static byte[] ack(int firstByte, int packetId) {
        return packet(firstByte, new byte[] {(byte) (packetId >> 8), (byte) packetId});
    }

    /** The packet id of a PUBACK/PUBREC/PUBREL/PUBCOMP body, or of a PUBLISH body at QoS 1 or 2. */
    static int packetId(Packet p) {
        byte[] b = p.body();
        if (p.type() == 3) {
            int topicLength = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
            return ((b[2 + topicLength] & 0xFF) << 8) | (b[3 + topicLength] & 0xFF);
        }
        return ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
    }

    /** The payload of a PUBLISH body at QoS 1 or 2, as UTF-8. */
    static String payloadQos12(Packet p) {
        byte[] b = p.body();
        int topicLength = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
        int start = 2 + topicLength + 2;
        return new String(b, start, b.length - start, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** PUBLISH at QoS 0 with RETAIN set (fixed header 0011 0001, section 3.3.1). */
    static byte[] publishRetained(String topic, byte[] payload) {
        byte[] p = publish(topic, payload, 0, 0);
        p[0] |= 0x01;
        return p;
    }

    static byte[] packet(int firstByte, byte[] body) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(firstByte);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            p.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        p.writeBytes(body);
        return p.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        writeBinary(out, s.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBinary(ByteArrayOutputStream out, byte[] b) {
        out.write(b.length >> 8);
        out.write(b.length & 0xFF);
        out.writeBytes(b);
    }
}
