package org.campusedge.bridge.osdp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.Optional;

/**
 * The ACU's side of setting up a secure channel with one PD, on the bus thread: CHLNG/CCRYPT,
 * SCRYPT/RMAC_I, and — in install mode — KEYSET to give the PD its own key, after which the
 * default key is never used again for that PD.
 */
final class OsdpHandshake {

    private static final Logger LOG = LoggerFactory.getLogger(OsdpHandshake.class);
    /** Pause after a failed handshake, so a PD with the wrong key does not flood the bus or the log. */
    private static final long RETRY_NANOS = 2_000_000_000L;

    private final OsdpBus bus;
    private final SecureRandom random;

    OsdpHandshake(OsdpBus bus, SecureRandom random) {
        this.bus = bus;
        this.random = random;
    }

    /** Tries once; on failure the PD stays unsecured and the next turn tries again. */
    void establish(OsdpPeripheral pd) {
        OsdpSecurity security = pd.security.orElseThrow();
        // In install mode a PD may be new (default key) or already keyed (an earlier run gave it
        // its key): alternate between the two until one works.
        boolean useDefault = security.installMode() && !pd.keyInstalled
                && (security.key().isEmpty() || pd.tryDefaultKey);
        byte[] key = useDefault ? OsdpSecureChannel.SCBK_DEFAULT.clone() : security.key().orElseThrow();
        byte keyIndicator = (byte) (useDefault ? 0 : 1);
        OsdpSecureChannel session = new OsdpSecureChannel(key);
        pd.session = session;
        Optional<OsdpPacket> ccrypt = bus.transact(pd, OsdpCommand.CHLNG.code(), session.challenge(random),
                block(OsdpSecureChannel.SCS_11, keyIndicator));
        if (!replied(pd, ccrypt, OsdpReply.CCRYPT, OsdpSecureChannel.SCS_12)) {
            return;
        }
        byte[] serverCryptogram;
        try {
            serverCryptogram = session.acceptClientCryptogram(ccrypt.get().data());
        } catch (OsdpSecureChannel.SecureChannelException e) {
            fail(pd, e.getMessage());
            return;
        }
        Optional<OsdpPacket> rmac = bus.transact(pd, OsdpCommand.SCRYPT.code(), serverCryptogram,
                block(OsdpSecureChannel.SCS_13, keyIndicator));
        if (!replied(pd, rmac, OsdpReply.RMAC_I, OsdpSecureChannel.SCS_14)) {
            return;
        }
        try {
            session.acceptInitialReplyMac(rmac.get().data());
        } catch (OsdpSecureChannel.SecureChannelException e) {
            fail(pd, e.getMessage());
            return;
        }
        pd.handshakeFailing = false;
        if (session.usesDefaultKey()) {
            LOG.warn("PD {} is in INSTALL MODE: secure channel on the well-known default key", pd.id());
            security.key().ifPresent(own -> installKey(pd, security, own));
        } else {
            LOG.info("PD {}: secure channel established", pd.id());
        }
    }

    private void installKey(OsdpPeripheral pd, OsdpSecurity security, byte[] own) {
        Optional<OsdpPacket> ack = bus.transact(pd, OsdpCommand.KEYSET.code(), OsdpCommands.keySet(own), Optional.empty());
        if (ack.isPresent() && ack.get().code() == OsdpReply.ACK.code()) {
            pd.keyInstalled = true;
            pd.session.reset();
            LOG.info("PD {}: its own secure channel key is installed; the default key is no longer used", pd.id());
            security.onKeyInstalled().accept(own.clone());
        } else {
            fail(pd, "KEYSET was not acknowledged");
        }
    }

    private boolean replied(OsdpPeripheral pd, Optional<OsdpPacket> reply, OsdpReply expected, int scbType) {
        if (reply.isEmpty()) {
            return false;
        }
        OsdpPacket r = reply.get();
        if (r.code() != expected.code() || r.security().map(OsdpPacket.SecurityBlock::type).orElse(-1) != scbType) {
            fail(pd, String.format("expected osdp_%s with SCS_%02X, got %s", expected.name(), scbType, r));
            return false;
        }
        return true;
    }

    private void fail(OsdpPeripheral pd, String why) {
        pd.secureFailures.incrementAndGet();
        pd.session.reset();
        pd.nextHandshakeNanos = System.nanoTime() + RETRY_NANOS;
        if (pd.security.orElseThrow().installMode()) {
            pd.tryDefaultKey = !pd.tryDefaultKey;
        }
        if (!pd.handshakeFailing) {
            LOG.warn("PD {}: secure channel handshake failed: {} (retrying every {} s)", pd.id(), why, RETRY_NANOS / 1_000_000_000L);
        }
        pd.handshakeFailing = true;
    }

    private static Optional<OsdpPacket.SecurityBlock> block(int type, byte keyIndicator) {
        return Optional.of(new OsdpPacket.SecurityBlock(type, new byte[] {keyIndicator}));
    }
}
