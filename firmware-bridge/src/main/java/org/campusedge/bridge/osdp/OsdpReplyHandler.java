package org.campusedge.bridge.osdp;

import org.campusedge.bridge.ListenerFailures;
import org.campusedge.bridge.ReaderAlert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;

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
                    Optional<org.campusedge.bridge.CardRead> read = OsdpCardData.toCardRead(pd.id(),
                            OsdpReplies.rawCard(data), clock.instant());
                    if (read.isEmpty()) {
                        pd.cardErrors.incrementAndGet();
                        LOG.warn("PD {}: card data failed its Wiegand parity check", pd.id());
                        return false;
                    }
                    pd.cardReads.incrementAndGet();
                    deliver(pd, read.get(), failures);
                    return true;
                }
                case FMT -> {
                    Optional<org.campusedge.bridge.CardRead> read = OsdpCardData.formatted(pd.id(), data, clock.instant());
                    if (read.isEmpty()) {
                        pd.cardErrors.incrementAndGet();
                        LOG.warn("PD {}: unusable osdp_FMT card data", pd.id());
                        return false;
                    }
                    pd.cardReads.incrementAndGet();
                    deliver(pd, read.get(), failures);
                    return true;
                }
                case KEYPAD -> LOG.debug("PD {}: keys {}", pd.id(), OsdpReplies.keypad(data).digits());
                case LSTATR -> {
                    OsdpReplies.LocalStatus s = OsdpReplies.localStatus(data);
                    if (s.tamper() != pd.tamper) {
                        pd.tamper = s.tamper();
                        alert(pd, new ReaderAlert(pd.id(), ReaderAlert.Kind.TAMPER, s.tamper(), clock.instant()), failures);
                    }
                    if (s.powerFailure() != pd.powerFailure) {
                        pd.powerFailure = s.powerFailure();
                        alert(pd, new ReaderAlert(pd.id(), ReaderAlert.Kind.POWER_FAILURE, s.powerFailure(), clock.instant()),
                                failures);
                    }
                }
                case BUSY -> pd.busy.incrementAndGet();
                case PDID -> {
                    OsdpReplies.PdId id = OsdpReplies.pdId(data);
                    if (!id.equals(pd.identity)) {
                        LOG.info("PD {}: vendor {} model {} version {} serial {} firmware {}", pd.id(), id.vendorOui(),
                                id.model(), id.version(), id.serialNumber(), id.firmware());
                    }
                    pd.identity = id;
                }
                case PDCAP -> LOG.debug("PD {}: capabilities {}", pd.id(), OsdpReplies.pdCap(data));
                default -> {
                    // ACK and informational replies need no action from the poll loop.
                }
            }
        } catch (OsdpException e) {
            LOG.warn("PD {}: bad reply 0x{}: {}", pd.id(), Integer.toHexString(reply.code()), e.getMessage());
        }
        return false;
    }

    private static void alert(OsdpPeripheral pd, ReaderAlert alert, ListenerFailures failures) {
        LOG.warn("PD {}: {} {}", pd.id(), alert.kind().wireName(), alert.active() ? "raised" : "cleared");
        try {
            pd.listener.onAlert(alert);
        } catch (RuntimeException e) {
            failures.record("alert listener", e);
        }
    }

    private static void deliver(OsdpPeripheral pd, org.campusedge.bridge.CardRead read, ListenerFailures failures) {
        try {
            pd.listener.onCardRead(read);
        } catch (RuntimeException e) {
            failures.record("card listener", e);
        }
    }
}
