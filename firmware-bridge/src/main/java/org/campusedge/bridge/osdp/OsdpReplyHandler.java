package org.campusedge.bridge.osdp;

import org.campusedge.bridge.ListenerFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/** What the ACU does with each reply. Runs on the bus thread. */
final class OsdpReplyHandler {

    private static final Logger LOG = LoggerFactory.getLogger(OsdpReplyHandler.class);

    private OsdpReplyHandler() {
    }

    /** Returns whether the reply carried a card read. */
    static boolean handle(OsdpPeripheral pd, OsdpPacket reply, Clock clock, ListenerFailures failures) {
        byte[] data = reply.data();
        try {
            switch (OsdpReply.of(reply.code()).orElse(OsdpReply.ACK)) {
                case NAK -> {
                    pd.naks.incrementAndGet();
                    OsdpNakCode code = OsdpReplies.nak(data);
                    if (code == OsdpNakCode.SEQUENCE_NUMBER) {
                        pd.sequence = -1;
                    }
                    LOG.debug("PD {} NAK: {}", pd.id(), code.meaning());
                }
                case RAW -> {
                    pd.cardReads.incrementAndGet();
                    deliver(pd, OsdpBus.cardRead(pd, OsdpReplies.rawCard(data), clock), failures);
                    return true;
                }
                case LSTATR -> {
                    OsdpReplies.LocalStatus s = OsdpReplies.localStatus(data);
                    pd.tamper = s.tamper();
                    pd.powerFailure = s.powerFailure();
                }
                case BUSY -> pd.busy.incrementAndGet();
                default -> {
                    // ACK and informational replies need no action from the poll loop.
                }
            }
        } catch (OsdpException e) {
            LOG.warn("PD {}: bad reply 0x{}: {}", pd.id(), Integer.toHexString(reply.code()), e.getMessage());
        }
        return false;
    }

    private static void deliver(OsdpPeripheral pd, org.campusedge.bridge.CardRead read, ListenerFailures failures) {
        try {
            pd.listener.onCardRead(read);
        } catch (RuntimeException e) {
            failures.record("card listener", e);
        }
    }
}
