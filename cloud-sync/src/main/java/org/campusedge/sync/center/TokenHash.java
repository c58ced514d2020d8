package org.campusedge.sync.center;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The SHA-256 of a device token. The data center keeps only these after reading its
 * configuration, so a heap dump or a log line never shows a usable token.
 *
 * <p>Immutable and thread-safe.
 */
public final class TokenHash {

    private final byte[] sha256;

    private TokenHash(byte[] sha256) {
        this.sha256 = sha256;
    }

    /** Hashes a token. */
    public static TokenHash of(String token) {
        return new TokenHash(sha256(token));
    }

    /** A hash as stored by {@link DeviceStore}: 64 lower-case hex digits. */
    static TokenHash ofHex(String hex) {
        byte[] digest = HexFormat.of().parseHex(hex);
        if (digest.length != 32) {
            throw new IllegalArgumentException("a SHA-256 hash has 32 bytes, got " + digest.length);
        }
        return new TokenHash(digest);
    }

    /** The hash as 64 lower-case hex digits. */
    String hex() {
        return HexFormat.of().formatHex(sha256);
    }

    /**
     * Whether {@code presented} is the token. Compares the digests in constant time
     * ({@link MessageDigest#isEqual}), so response timing does not reveal how much of a guess was right.
     */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(sha256, sha256(presented));
    }

    boolean matchesDigest(byte[] digest) {
        return MessageDigest.isEqual(sha256, digest);
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenHash t && MessageDigest.isEqual(sha256, t.sha256);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sha256);
    }

    @Override
    public String toString() {
        return "TokenHash[redacted]";
    }
}
