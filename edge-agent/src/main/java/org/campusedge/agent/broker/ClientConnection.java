package org.campusedge.agent.broker;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import org.campusedge.sync.runtime.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One client's connection: the MQTT 3.1.1 server side of CONNECT, PUBLISH (QoS 0, 1, 2),
 * SUBSCRIBE, UNSUBSCRIBE, PING and DISCONNECT, the keep-alive, and the last will. Packets are
 * decoded by Netty's {@code MqttDecoder} ahead of it; a packet that failed to decode closes this
 * connection only, and is counted.
 *
 * <p>Not thread-safe: lives on the broker's event loop, like {@link BrokerCore}.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);
    static final String IDLE_HANDLER = "idle";
    /** Section 3.1.2.2: protocol name "MQTT" and level 4 identify 3.1.1. */
    private static final int PROTOCOL_LEVEL_3_1_1 = MqttVersion.MQTT_3_1_1.protocolLevel();

    private enum State { AWAITING_CONNECT, AUTHENTICATING, CONNECTED, CLOSED }

    /** A CONNECT accepted so far, waiting for its credentials to be checked. */
    private record Pending(String clientId, boolean cleanSession, int keepAliveSeconds) {
    }

    private final String brokerName;
    private final BrokerCore core;
    private final BrokerCounters counters;
    private final BrokerAuthenticator authenticator;
    private final int maxConnections;
    private final LogThrottle problemLog;
    private final List<MqttMessage> heldDuringAuthentication = new ArrayList<>();
    private Channel channel;
    private State state = State.AWAITING_CONNECT;
    private String clientId = "?";
    private Session session;
    private BrokerMessage will;
    private boolean counted;
    private boolean dirty;

    ClientConnection(String brokerName, BrokerCore core, BrokerCounters counters, BrokerAuthenticator authenticator,
                     int maxConnections, LogThrottle problemLog) {
        this.brokerName = brokerName;
        this.core = core;
        this.counters = counters;
        this.authenticator = authenticator;
        this.maxConnections = maxConnections;
        this.problemLog = problemLog;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        counted = true;
        if (counters.connectionsOpen.incrementAndGet() > maxConnections) {
            counters.refused(ConnectionRefusal.MAX_CONNECTIONS);
            problemLog.acquire().ifPresent(n -> LOG.warn("{}: refused a connection from {}: {} connections open already "
                    + "({} similar lines suppressed)", brokerName, channel.remoteAddress(), maxConnections, n));
            state = State.CLOSED;
            channel.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttMessage m)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (state == State.AUTHENTICATING) {
            heldDuringAuthentication.add(m); // released once handled, after the verdict
            return;
        }
        try {
            handle(m);
        } finally {
            ReferenceCountUtil.release(m);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        core.flushAll();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (state == State.CONNECTED && channel.isWritable()) {
            core.drain(session);
            core.flushAll();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!(evt instanceof IdleStateEvent)) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        if (state == State.CONNECTED) {
            // Section 3.1.2.10: silent for 1.5 x keep-alive means gone; the will is published on close.
            counters.keepAliveTimeouts.increment();
            LOG.info("{}: client {} silent past its keep-alive; closing", brokerName, clientId);
        } else if (state != State.CLOSED) {
            counters.refused(ConnectionRefusal.CONNECT_TIMEOUT);
        }
        close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            // Decoding errors arrive as failed messages, so this is a fault here; count it, never let it escape.
            counters.protocolError(ProtocolError.VIOLATION);
            problemLog.acquire().ifPresent(n -> LOG.warn("{}: closing client {} after {} ({} similar lines suppressed)",
                    brokerName, clientId, cause.toString(), n));
        }
        close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (counted) {
            counters.connectionsOpen.decrementAndGet();
        }
        heldDuringAuthentication.forEach(ReferenceCountUtil::release);
        heldDuringAuthentication.clear();
        state = State.CLOSED;
        if (session != null) {
            // Section 3.1.2.5: the will goes out when the connection ends without DISCONNECT
            // (DISCONNECT and a takeover clear it first).
            if (will != null && !core.stopping()) {
                LOG.debug("{}: client {} gone without DISCONNECT; publishing its will on {}", brokerName, clientId, will.topic());
                core.publish(will);
                will = null;
            }
            core.detach(this, session);
            session = null;
            core.flushAll();
        }
    }

    private void handle(MqttMessage m) {
        DecoderResult result = m.decoderResult();
        if (result.isFailure()) {
            decodeFailed(result.cause());
            return;
        }
        MqttMessageType type = m.fixedHeader().messageType();
        switch (state) {
            case AWAITING_CONNECT -> {
                if (type == MqttMessageType.CONNECT) {
                    onConnect((MqttConnectMessage) m);
                } else {
                    protocolError(ProtocolError.FIRST_PACKET_NOT_CONNECT, "first packet " + type + ", not CONNECT");
                }
            }
            case CONNECTED -> onPacket(type, m);
            default -> {
                // CLOSED: the connection is going away; nothing more is processed.
            }
        }
    }

    private void onPacket(MqttMessageType type, MqttMessage m) {
        switch (type) {
            case PUBLISH -> onPublish((MqttPublishMessage) m);
            case PUBACK -> core.acknowledged(session, messageId(m));
            case PUBREC -> core.received(session, messageId(m));
            case PUBREL -> {
                // Section 4.3.3: the id may be reused once PUBCOMP is sent.
                session.inboundQos2.remove(messageId(m));
                write(new MqttMessage(header(MqttMessageType.PUBCOMP, MqttQoS.AT_MOST_ONCE),
                        MqttMessageIdVariableHeader.from(messageId(m))));
            }
            case PUBCOMP -> core.completed(session, messageId(m));
            case SUBSCRIBE -> onSubscribe((MqttSubscribeMessage) m);
            case UNSUBSCRIBE -> onUnsubscribe((MqttUnsubscribeMessage) m);
            case PINGREQ -> write(new MqttMessage(header(MqttMessageType.PINGRESP, MqttQoS.AT_MOST_ONCE)));
            case DISCONNECT -> {
                // Section 3.14.4-3: on DISCONNECT the will is discarded, not published.
                will = null;
                close();
            }
            case CONNECT -> protocolError(ProtocolError.SECOND_CONNECT, "a second CONNECT");
            default -> protocolError(ProtocolError.VIOLATION, "a " + type + " packet, which clients never send");
        }
    }

    private void onConnect(MqttConnectMessage connect) {
        MqttConnectVariableHeader header = connect.variableHeader();
        MqttConnectPayload payload = connect.payload();
        if (header.version() != PROTOCOL_LEVEL_3_1_1 || !"MQTT".equals(header.name())) {
            refuse(ConnectionRefusal.UNSUPPORTED_PROTOCOL, MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
            return;
        }
        if (header.hasPassword() && !header.hasUserName()) {
            // Section 3.1.2-22: no password without a user name.
            protocolError(ProtocolError.VIOLATION, "a password without a user name");
            return;
        }
        String id = payload.clientIdentifier() == null ? "" : payload.clientIdentifier();
        if (id.isEmpty()) {
            if (!header.isCleanSession()) {
                // Section 3.1.3-8: an empty client id with CleanSession=0 is refused with 0x02.
                refuse(ConnectionRefusal.IDENTIFIER_REJECTED, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
                return;
            }
            id = core.assignClientId(); // Section 3.1.3-6.
        }
        clientId = id;
        if (header.isWillFlag()) {
            if (header.willQos() > 2) {
                protocolError(ProtocolError.MALFORMED, "will QoS 3"); // Section 3.1.2-14.
                return;
            }
            if (!validTopicName(payload.willTopic())) {
                protocolError(ProtocolError.INVALID_TOPIC, "an invalid will topic");
                return;
            }
            byte[] message = payload.willMessageInBytes() == null ? new byte[0] : payload.willMessageInBytes();
            will = new BrokerMessage(payload.willTopic(), message, header.willQos(), header.isWillRetain());
        }
        Pending pending = new Pending(id, header.isCleanSession(), header.keepAliveTimeSeconds());
        if (!authenticator.required()) {
            accept(pending);
            return;
        }
        if (!header.hasUserName()) {
            refuse(ConnectionRefusal.NOT_AUTHORIZED, MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
            return;
        }
        state = State.AUTHENTICATING;
        channel.config().setAutoRead(false);
        try {
            authenticator.check(payload.userName(), payload.passwordInBytes(),
                    ok -> channel.eventLoop().execute(() -> authenticated(ok, pending, payload.userName())));
        } catch (RejectedExecutionException e) {
            refuse(ConnectionRefusal.SERVER_UNAVAILABLE, MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
        }
    }

    private void authenticated(boolean ok, Pending pending, String user) {
        if (state != State.AUTHENTICATING) {
            return; // closed while the check ran
        }
        if (!ok) {
            LOG.info("{}: refused client {}: bad user name or password (user \"{}\")", brokerName, clientId, user);
            refuse(ConnectionRefusal.BAD_CREDENTIALS, MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
            return;
        }
        accept(pending);
        List<MqttMessage> held = new ArrayList<>(heldDuringAuthentication);
        heldDuringAuthentication.clear();
        for (MqttMessage m : held) {
            try {
                handle(m);
            } finally {
                ReferenceCountUtil.release(m);
            }
        }
        channel.config().setAutoRead(true);
        core.flushAll();
    }

    private void accept(Pending pending) {
        BrokerCore.Attached attached = core.attach(this, pending.clientId(), pending.cleanSession());
        session = attached.session();
        state = State.CONNECTED;
        counters.connectionsAccepted.increment();
        // Section 3.1.2.10: disconnect a client silent for one and a half times its keep-alive; 0 turns it off.
        if (pending.keepAliveSeconds() > 0) {
            channel.pipeline().replace(IDLE_HANDLER, IDLE_HANDLER,
                    new IdleStateHandler(pending.keepAliveSeconds() * 1500L, 0, 0, TimeUnit.MILLISECONDS));
        } else {
            channel.pipeline().remove(IDLE_HANDLER);
        }
        write(new MqttConnAckMessage(header(MqttMessageType.CONNACK, MqttQoS.AT_MOST_ONCE),
                new MqttConnAckVariableHeader(MqttConnectReturnCode.CONNECTION_ACCEPTED, attached.present())));
        LOG.debug("{}: client {} connected from {} (clean session {}, session present {})", brokerName, clientId,
                channel.remoteAddress(), pending.cleanSession(), attached.present());
        if (attached.present()) {
            core.resume(session);
        }
    }

    private void onPublish(MqttPublishMessage publish) {
        String topic = publish.variableHeader().topicName();
        if (!validTopicName(topic)) {
            protocolError(ProtocolError.INVALID_TOPIC, "PUBLISH to an invalid topic name");
            return;
        }
        int qos = publish.fixedHeader().qosLevel().value();
        int packetId = publish.variableHeader().packetId();
        BrokerMessage message = new BrokerMessage(topic, ByteBufUtil.getBytes(publish.content()), qos,
                publish.fixedHeader().isRetain());
        switch (qos) {
            case 0 -> core.publish(message);
            case 1 -> {
                core.publish(message);
                write(new MqttMessage(header(MqttMessageType.PUBACK, MqttQoS.AT_MOST_ONCE),
                        MqttMessageIdVariableHeader.from(packetId)));
            }
            default -> {
                // Section 4.3.3, method B: deliver on first receipt, keep the id until PUBREL so a
                // retransmitted PUBLISH (DUP) is not delivered twice.
                if (session.inboundQos2.add(packetId)) {
                    core.publish(message);
                }
                write(new MqttMessage(header(MqttMessageType.PUBREC, MqttQoS.AT_MOST_ONCE),
                        MqttMessageIdVariableHeader.from(packetId)));
            }
        }
    }

    private void onSubscribe(MqttSubscribeMessage subscribe) {
        List<MqttTopicSubscription> requested = subscribe.payload().topicSubscriptions();
        if (requested.isEmpty()) {
            protocolError(ProtocolError.VIOLATION, "SUBSCRIBE without a topic filter"); // Section 3.8.3-3.
            return;
        }
        List<String> filters = new ArrayList<>(requested.size());
        List<Integer> qos = new ArrayList<>(requested.size());
        for (MqttTopicSubscription s : requested) {
            filters.add(s.topicFilter());
            qos.add(s.qualityOfService().value());
        }
        int[] granted = core.subscribe(session, filters, qos);
        write(new MqttSubAckMessage(header(MqttMessageType.SUBACK, MqttQoS.AT_MOST_ONCE),
                MqttMessageIdVariableHeader.from(subscribe.variableHeader().messageId()), new MqttSubAckPayload(granted)));
        core.sendRetained(session, filters, granted);
    }

    private void onUnsubscribe(MqttUnsubscribeMessage unsubscribe) {
        List<String> filters = unsubscribe.payload().topics();
        if (filters.isEmpty()) {
            protocolError(ProtocolError.VIOLATION, "UNSUBSCRIBE without a topic filter"); // Section 3.10.3-2.
            return;
        }
        core.unsubscribe(session, filters);
        // Section 3.10.4-5: UNSUBACK even when nothing was subscribed.
        write(new MqttUnsubAckMessage(header(MqttMessageType.UNSUBACK, MqttQoS.AT_MOST_ONCE),
                MqttMessageIdVariableHeader.from(unsubscribe.variableHeader().messageId())));
    }

    private void decodeFailed(Throwable cause) {
        if (state == State.AWAITING_CONNECT && cause instanceof MqttUnacceptableProtocolVersionException) {
            refuse(ConnectionRefusal.UNSUPPORTED_PROTOCOL, MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
        } else if (state == State.AWAITING_CONNECT && cause instanceof MqttIdentifierRejectedException) {
            refuse(ConnectionRefusal.IDENTIFIER_REJECTED, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
        } else if (cause instanceof TooLongFrameException) {
            protocolError(ProtocolError.PACKET_TOO_LARGE, cause.getMessage());
        } else {
            protocolError(ProtocolError.MALFORMED, "undecodable bytes: " + cause.getMessage());
        }
    }

    private void protocolError(ProtocolError reason, String what) {
        counters.protocolError(reason);
        problemLog.acquire().ifPresent(n -> LOG.warn("{}: closing client {} from {}: {} ({} similar lines suppressed)",
                brokerName, clientId, channel.remoteAddress(), what, n));
        close();
    }

    /**
     * Section 3.2.2-5: a CONNACK with a non-zero return code is followed by closing the connection.
     * The CONNACK is written as raw 3.1.1 bytes (section 3.2: 0x20, remaining length 2, flags 0,
     * return code) rather than through the encoder, which would use the MQTT 5 layout for a
     * client that asked for MQTT 5; a 3.1.1 server answers every client in 3.1.1.
     */
    private void refuse(ConnectionRefusal reason, MqttConnectReturnCode code) {
        counters.refused(reason);
        state = State.CLOSED;
        byte[] connack = {0x20, 0x02, 0x00, code.byteValue()};
        channel.writeAndFlush(Unpooled.wrappedBuffer(connack)).addListener(ChannelFutureListener.CLOSE);
    }

    /** Another connection took over this client id (section 3.1.4-2); it is not an abnormal end, so no will. */
    void takenOver() {
        LOG.info("{}: client {} connected again; closing its previous connection from {}", brokerName, clientId,
                channel.remoteAddress());
        will = null;
        close();
    }

    private void close() {
        state = State.CLOSED;
        channel.flush();
        channel.close();
    }

    boolean writable() {
        return channel.isWritable();
    }

    void sendPublish(int packetId, BrokerMessage message, int qos, boolean dup) {
        write(new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(qos), message.retain(), 0),
                new MqttPublishVariableHeader(message.topic(), qos == 0 ? 0 : packetId), Unpooled.wrappedBuffer(message.payload())));
    }

    void sendPubrel(int packetId) {
        // Section 3.6.1: PUBREL's fixed header flags are 0010, i.e. QoS 1.
        write(new MqttMessage(header(MqttMessageType.PUBREL, MqttQoS.AT_LEAST_ONCE), MqttMessageIdVariableHeader.from(packetId)));
    }

    void flush() {
        dirty = false;
        channel.flush();
    }

    private void write(MqttMessage m) {
        channel.write(m, channel.voidPromise());
        if (!dirty) {
            dirty = true;
            core.markDirty(this);
        }
        if (!channel.isWritable()) {
            // Over the high-water mark: hand what we have to the socket now rather than at the end of the batch.
            channel.flush();
        }
    }

    private static MqttFixedHeader header(MqttMessageType type, MqttQoS qos) {
        return new MqttFixedHeader(type, false, qos, false, 0);
    }

    private static int messageId(MqttMessage m) {
        return ((MqttMessageIdVariableHeader) m.variableHeader()).messageId();
    }

    /** Section 4.7.3 and 3.3.2-2: a topic name is not empty and holds no wildcard and no U+0000. */
    static boolean validTopicName(String topic) {
        return topic != null && !topic.isEmpty() && topic.indexOf('+') < 0 && topic.indexOf('#') < 0
                && topic.indexOf('\u0000') < 0;
    }
}
