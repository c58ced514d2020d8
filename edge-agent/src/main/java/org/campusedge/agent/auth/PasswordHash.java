package org.campusedge.agent.auth;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * A salted PBKDF2-HMAC-SHA256 hash of a password (an embedded-broker user's, a dashboard
 * account's), written {@code pbkdf2-sha256$<iterations>$<salt, base64>$<hash, base64>}. The
 * configuration and the users file hold only these, so neither they nor a heap dump show a
 * usable password.
 *
 * <p>Immutable and thread-safe. {@link #matches} is deliberately slow (that is the point of
 * PBKDF2); callers run it off event loops (the broker's authenticator thread, an HTTP worker).
 */
public final class PasswordHash {

    private static final String SCHEME = "pbkdf2-sha256";
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
    public static final int DEFAULT_ITERATIONS = 600_000;
    private static final int MIN_ITERATIONS = 1_000;
    private static final int MAX_ITERATIONS = 10_000_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /** Hashes {@code password} with a fresh random salt and {@link #DEFAULT_ITERATIONS}. */
    public static PasswordHash create(char[] password) {
        return create(password, DEFAULT_ITERATIONS);
    }

    /** Hashes {@code password} with a fresh random salt; fewer iterations only for tests. */
    public static PasswordHash create(char[] password, int iterations) {
        checkIterations(iterations);
        byte[] salt = new byte[SALT_BYTES];
        new SecureRandom().nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations, HASH_BYTES));
    }

    /**
     * Parses the text form made by {@link #toString()}.
     *
     * @throws IllegalArgumentException saying what is wrong, never echoing the text (it is a secret)
     */
    public static PasswordHash parse(String text) {
        String[] parts = text == null ? new String[0] : text.trim().split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            throw new IllegalArgumentException("must be " + SCHEME + "$<iterations>$<salt>$<hash> (base64 salt and hash)");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the iteration count must be a whole number", e);
        }
        checkIterations(iterations);
        byte[] salt;
        byte[] hash;
        try {
            salt = Base64.getDecoder().decode(parts[2]);
            hash = Base64.getDecoder().decode(parts[3]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the salt and the hash must be base64", e);
        }
        if (salt.length < 8 || hash.length < 16) {
            throw new IllegalArgumentException("the salt must be at least 8 bytes and the hash at least 16");
        }
        return new PasswordHash(iterations, salt, hash);
    }

    /** Whether {@code password} is the hashed password; compares in constant time. */
    public boolean matches(char[] password) {
        return MessageDigest.isEqual(hash, derive(password, salt, iterations, hash.length));
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java 17 runtime provides " + ALGORITHM, e);
        } finally {
            spec.clearPassword();
        }
    }

    private static void checkIterations(int iterations) {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("the iteration count must be in " + MIN_ITERATIONS + ".." + MAX_ITERATIONS
                    + ", got " + iterations);
        }
    }

    /** The text form for a configuration file. */
    @Override
    public String toString() {
        Base64.Encoder b64 = Base64.getEncoder();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordHash p && iterations == p.iterations
                && Arrays.equals(salt, p.salt) && MessageDigest.isEqual(hash, p.hash);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(salt) + iterations;
    }
}
