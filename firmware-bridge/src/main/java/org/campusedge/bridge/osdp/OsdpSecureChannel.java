package org.campusedge.bridge.osdp;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One OSDP secure channel session (SIA OSDP v2.2 / IEC 60839-11-5, secure channel; the steps as
 * documented by libosdp, doc/osdp-secure-channel.md): session keys derived from the SCBK and the
 * ACU's random number, mutual authentication by cryptograms, AES-CBC MACs chained from message
 * to message, and AES-CBC encrypted data.
 *
 * <pre>
 * S-ENC  = AES(SCBK, 01 82 RND.A[0..5] 00 ..)     client cryptogram = AES(S-ENC, RND.A || RND.B)
 * S-MAC1 = AES(SCBK, 01 01 RND.A[0..5] 00 ..)     server cryptogram = AES(S-ENC, RND.B || RND.A)
 * S-MAC2 = AES(SCBK, 01 02 RND.A[0..5] 00 ..)     R-MAC_I = AES(S-MAC2, AES(S-MAC1, server cryptogram))
 * MAC: AES-CBC over SOM..data padded with 80 00..; S-MAC1 for all blocks but the last, S-MAC2 for
 *      the last; IV = the last MAC received from the other side; 4 bytes go on the wire.
 * Data: padded with 80 00.., AES-CBC with S-ENC, IV = complement of the last MAC received.
 * </pre>
 *
 * Used by the ACU (the bus thread) and by the PD simulator; not thread-safe.
 */
public final class OsdpSecureChannel {

    /** SCBK-D, the default key every PD accepts in install mode. */
    public static final byte[] SCBK_DEFAULT = HexFormat.of().parseHex("303132333435363738393a3b3c3d3e3f");
    public static final int SCS_11 = 0x11;
    public static final int SCS_12 = 0x12;
    public static final int SCS_13 = 0x13;
    public static final int SCS_14 = 0x14;
    public static final int SCS_15 = 0x15;
    public static final int SCS_16 = 0x16;
    public static final int SCS_17 = 0x17;
    public static final int SCS_18 = 0x18;

    /** Why a secure message or handshake step was rejected. */
    public static final class SecureChannelException extends Exception {
        private static final long serialVersionUID = 1L;

        public SecureChannelException(String message) {
            super(message);
        }
    }

    private final byte[] scbk;
    private byte[] rndA;
    private byte[] rndB;
    private byte[] sEnc;
    private byte[] sMac1;
    private byte[] sMac2;
    private byte[] lastCommandMac = new byte[16];
    private byte[] lastReplyMac = new byte[16];
    private boolean established;

    public OsdpSecureChannel(byte[] scbk) {
        if (scbk.length != 16) {
            throw new IllegalArgumentException("an SCBK is 16 bytes");
        }
        this.scbk = scbk.clone();
    }

    public boolean established() {
        return established;
    }

    /** Whether this session runs on the well-known default key (install mode). */
    public boolean usesDefaultKey() {
        return Arrays.equals(scbk, SCBK_DEFAULT);
    }

    // ---- handshake, ACU side ----

    /** SCS_11: the data of osdp_CHLNG, the ACU's random number RND.A. */
    public byte[] challenge(SecureRandom random) {
        rndA = new byte[8];
        random.nextBytes(rndA);
        established = false;
        return rndA.clone();
    }

    /**
     * SCS_12 received (osdp_CCRYPT: cUID 8, RND.B 8, client cryptogram 16): authenticates the PD and
     * returns the data of osdp_SCRYPT (the server cryptogram).
     */
    public byte[] acceptClientCryptogram(byte[] ccrypt) throws SecureChannelException {
        if (rndA == null || ccrypt.length != 32) {
            throw new SecureChannelException("osdp_CCRYPT must carry 32 bytes after a challenge, got " + ccrypt.length);
        }
        rndB = Arrays.copyOfRange(ccrypt, 8, 16);
        deriveKeys();
        byte[] expected = aes(sEnc, concat(rndA, rndB));
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(ccrypt, 16, 32))) {
            throw new SecureChannelException("the PD's cryptogram does not match: it holds a different key");
        }
        return aes(sEnc, concat(rndB, rndA));
    }

    /** SCS_14 received (osdp_RMAC_I): checks the initial reply MAC; the session is then established. */
    public void acceptInitialReplyMac(byte[] rmacI) throws SecureChannelException {
        byte[] expected = initialReplyMac();
        if (rmacI.length != 16 || !MessageDigest.isEqual(expected, rmacI)) {
            throw new SecureChannelException("the PD's initial R-MAC does not match");
        }
        lastReplyMac = expected;
        established = true;
    }

    // ---- handshake, PD side (simulator) ----

    /** SCS_11 received: returns the data of osdp_CCRYPT for this PD's cUID. */
    public byte[] answerChallenge(byte[] challenge, byte[] clientUid, SecureRandom random) {
        rndA = challenge.clone();
        rndB = new byte[8];
        random.nextBytes(rndB);
        established = false;
        deriveKeys();
        return concat(concat(clientUid, rndB), aes(sEnc, concat(rndA, rndB)));
    }

    /** SCS_13 received: checks the server cryptogram and returns R-MAC_I, or empty if it does not match. */
    public Optional<byte[]> answerServerCryptogram(byte[] serverCryptogram) {
        if (sEnc == null || !MessageDigest.isEqual(aes(sEnc, concat(rndB, rndA)), serverCryptogram)) {
            return Optional.empty();
        }
        lastReplyMac = initialReplyMac();
        established = true;
        return Optional.of(lastReplyMac.clone());
    }

    private byte[] initialReplyMac() {
        return aes(sMac2, aes(sMac1, aes(sEnc, concat(rndB, rndA))));
    }

    private void deriveKeys() {
        sEnc = aes(scbk, derivation(0x82));
        sMac1 = aes(scbk, derivation(0x01));
        sMac2 = aes(scbk, derivation(0x02));
    }

    private byte[] derivation(int kind) {
        byte[] b = new byte[16];
        b[0] = 0x01;
        b[1] = (byte) kind;
        System.arraycopy(rndA, 0, b, 2, 6);
        return b;
    }

    // ---- messages ----

    /** Secures a packet for sending: SCS_15/16 (MAC only) without data, SCS_17/18 (MAC + encrypted data) with. */
    public OsdpPacket seal(OsdpPacket plain) {
        requireEstablished();
        boolean command = !plain.reply();
        byte[] data = plain.data();
        int type = data.length == 0 ? (command ? SCS_15 : SCS_16) : (command ? SCS_17 : SCS_18);
        byte[] body = data.length == 0 ? data : crypt(Cipher.ENCRYPT_MODE, pad(data), complement(command ? lastReplyMac : lastCommandMac));
        OsdpPacket unsigned = new OsdpPacket(plain.address(), plain.reply(), plain.sequence(), true,
                Optional.of(new OsdpPacket.SecurityBlock(type, new byte[0])), plain.code(), body, Optional.of(new byte[4]));
        byte[] mac = mac(macInput(unsigned), command ? lastReplyMac : lastCommandMac);
        if (command) {
            lastCommandMac = mac;
        } else {
            lastReplyMac = mac;
        }
        return new OsdpPacket(plain.address(), plain.reply(), plain.sequence(), true, unsigned.security(), plain.code(), body,
                Optional.of(Arrays.copyOf(mac, 4)));
    }

    /** Checks and decrypts a received secure packet; a wrong MAC or padding ends the session. */
    public OsdpPacket open(OsdpPacket secured) throws SecureChannelException {
        requireEstablished();
        boolean command = !secured.reply();
        int type = secured.security().map(OsdpPacket.SecurityBlock::type).orElse(-1);
        int plainType = command ? SCS_15 : SCS_16;
        int encType = command ? SCS_17 : SCS_18;
        if (type != plainType && type != encType) {
            established = false;
            throw new SecureChannelException(type < 0 ? "a plaintext packet on a secure channel (downgrade refused)"
                    : String.format("unexpected security block SCS_%02X", type));
        }
        byte[] expected = mac(macInput(secured), command ? lastReplyMac : lastCommandMac);
        if (!MessageDigest.isEqual(Arrays.copyOf(expected, 4), secured.mac().orElseThrow())) {
            established = false;
            throw new SecureChannelException("MAC check failed: the packet was altered, replayed or out of order");
        }
        byte[] iv = complement(command ? lastReplyMac : lastCommandMac);
        if (command) {
            lastCommandMac = expected;
        } else {
            lastReplyMac = expected;
        }
        byte[] data = secured.data();
        if (type == encType) {
            if (data.length == 0 || data.length % 16 != 0) {
                established = false;
                throw new SecureChannelException("encrypted data is not a whole number of AES blocks");
            }
            data = unpad(crypt(Cipher.DECRYPT_MODE, data, iv));
        }
        return new OsdpPacket(secured.address(), secured.reply(), secured.sequence(), secured.crc(), Optional.empty(),
                secured.code(), data, Optional.empty());
    }

    /** Ends the session: the next exchange starts a new handshake. */
    public void reset() {
        established = false;
        rndA = null;
        rndB = null;
    }

    private void requireEstablished() {
        if (!established) {
            throw new IllegalStateException("no secure channel session");
        }
    }

    /** The bytes a MAC covers: SOM through the end of the data (the encoding without MAC and CRC). */
    private static byte[] macInput(OsdpPacket p) {
        byte[] wire = OsdpEncoder.encode(p);
        return Arrays.copyOf(wire, wire.length - OsdpPacket.MAC_LENGTH - 2);
    }

    private byte[] mac(byte[] message, byte[] iv) {
        byte[] padded = message.length % 16 == 0 ? message : pad(message);
        byte[] chain = iv;
        if (padded.length > 16) {
            byte[] head = crypt(sMac1, Cipher.ENCRYPT_MODE, Arrays.copyOf(padded, padded.length - 16), iv);
            chain = Arrays.copyOfRange(head, head.length - 16, head.length);
        }
        return crypt(sMac2, Cipher.ENCRYPT_MODE, Arrays.copyOfRange(padded, padded.length - 16, padded.length), chain);
    }

    private static byte[] pad(byte[] data) {
        byte[] out = new byte[(data.length / 16 + 1) * 16];
        System.arraycopy(data, 0, out, 0, data.length);
        out[data.length] = (byte) 0x80;
        return out;
    }

    private static byte[] unpad(byte[] data) throws SecureChannelException {
        int i = data.length - 1;
        while (i >= 0 && data[i] == 0) {
            i--;
        }
        if (i < 0 || data[i] != (byte) 0x80) {
            throw new SecureChannelException("decrypted data has no 0x80 end marker");
        }
        return Arrays.copyOf(data, i);
    }

    private byte[] crypt(int mode, byte[] data, byte[] iv) {
        return crypt(sEnc, mode, data, iv);
    }

    private static byte[] crypt(byte[] key, int mode, byte[] data, byte[] iv) {
        try {
            Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
            c.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return c.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC is unavailable", e);
        }
    }

    /** AES-128 of one block (ECB). */
    static byte[] aes(byte[] key, byte[] block) {
        try {
            Cipher c = Cipher.getInstance("AES/ECB/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            return c.doFinal(block);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is unavailable", e);
        }
    }

    private static byte[] complement(byte[] b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) ~b[i];
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
